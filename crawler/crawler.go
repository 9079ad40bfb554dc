package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/internal/hostid"
)

// Defaults used when the matching Options field is zero.
const (
	DefaultUserAgent     = "nianbao/0.1 (+https://github.com/nianbao/nianbao; research crawler of annual reports)"
	DefaultDelay         = time.Second
	DefaultTimeout       = 30 * time.Second
	DefaultMaxBodySize   = 64 << 20 // above colly's 10 MiB: scanned PDFs are large
	DefaultParallelHosts = 4
	DefaultDailyBudget   = 5000
	DefaultRetries       = 2
	DefaultMaxPages      = 500 // list pages per portal per run
	// RecheckAge is how long a known report or attachment linked from an
	// unchanged page goes without a conditional re-check; pages linked from
	// a changed list page are re-checked at once.
	RecheckAge = 7 * 24 * time.Hour
	// MaxRetryAfter is the longest Retry-After the crawler waits for within a
	// run; a longer one ends the host's night.
	MaxRetryAfter = 2 * time.Minute
)

// DefaultJitter is the random extra pause between requests to one host
// when Options.Jitter is zero: half the delay.
func DefaultJitter(delay time.Duration) time.Duration { return delay / 2 }

// CMS families (../shared/spec/portals.md §1): the closed vocabulary of
// Portal.Family. Discovery recognises every family from its pages; the hint
// changes discovery only where a page alone cannot tell: FamilySitesources
// (listN.html pages counted by script.json, even under another path) and
// FamilyGkmlpt (the JSON API behind an SPA shell). The others are recorded
// with the portal (warehouse portals.family) for the researcher.
const (
	FamilySitesources = "sitesources" // Henan sitesources/page_pc
	FamilyTRS         = "trs"         // TRS WCM
	FamilyHanweb      = "hanweb"      // Hanweb JCMS
	FamilyGkmlpt      = "gkmlpt"      // Guangdong gkmlpt
	FamilySiteServer  = "siteserver"  // channels/contents
	FamilyJEECMS      = "jeecms"      // .jhtml
	FamilyLegacy      = "legacy"      // Henan legacy Java CMS (viewCmsCac.do)
	FamilyGeneric     = "generic"     // anything else
)

// Families returns the values Portal.Family may take besides "".
func Families() []string {
	return []string{FamilySitesources, FamilyTRS, FamilyHanweb, FamilyGkmlpt, FamilySiteServer, FamilyJEECMS, FamilyLegacy, FamilyGeneric}
}

// CheckFamily returns an error naming the known families unless f is "" or
// one of [Families].
func CheckFamily(f string) error {
	if f == "" || slices.Contains(Families(), f) {
		return nil
	}
	return fmt.Errorf("%q: want one of %s", f, strings.Join(Families(), ", "))
}

// CheckUserAgent is the contact rule for every user agent the crawler may
// send (Options.UserAgent and each Portal.UserAgent): it names nianbao and a
// way to reach its operator (a URL or an e-mail address), as a polite
// crawler does. Run does not enforce it, so that tests can play a library
// UA against a WAF; config does, for every user_agent key.
func CheckUserAgent(ua string) error {
	if strings.Contains(strings.ToLower(ua), "nianbao") && (strings.Contains(ua, "http://") || strings.Contains(ua, "https://") ||
		strings.Contains(ua, "mailto:") || strings.Contains(ua, "@")) {
		return nil
	}
	return fmt.Errorf("%q must name nianbao and a contact URL or e-mail (e.g. %q)", ua, DefaultUserAgent)
}

// Page kinds.
const (
	KindList       = "list"
	KindReport     = "report"
	KindAttachment = "attachment"
	KindOther      = "other"
)

// Host states.
const (
	StateOK               = "ok"
	StateBlocked          = "blocked"
	StateMoved            = "moved"
	StateUnreachable      = "unreachable"
	StateRobotsDisallowed = "robots_disallowed"
)

// Portal is one site to crawl. Only Name and StartURLs are required.
type Portal struct {
	Name, RegionCode string
	// Family is an optional CMS hint, one of [Families] (see FamilyTRS and
	// the others); discovery works without it.
	Family    string
	StartURLs []string
	// AllowedDomains are the hosts the crawler may contact ("host" or
	// "host:port"; a bare host means the default port only). Empty means the
	// start URLs' hosts.
	AllowedDomains []string
	// ReportTitle overrides the built-in annual-report title filter.
	ReportTitle *regexp.Regexp
	// MaxPages caps list pages per portal per run (0: DefaultMaxPages).
	MaxPages int
	// DepartmentCatalogue is an optional page listing departments whose own
	// catalogues hold 年报 columns.
	DepartmentCatalogue string
	// IgnoreRobots skips robots.txt for this portal; it is logged loudly.
	IgnoreRobots bool
	// UserAgent overrides Options.UserAgent for this portal.
	UserAgent string
	// AllowPrivateNetwork lets the crawler connect to loopback and private
	// addresses for this portal (a local mirror, an intranet portal); it is
	// logged once per run. A redirect from a public host into private
	// space stays refused.
	AllowPrivateNetwork bool
}

// Options configure [Run]. The zero value of each field means its Default*;
// a negative Delay, Jitter, Retries or DailyBudget turns the feature off.
type Options struct {
	ArchiveDir string // WARC files + crawl state live here (content is never lost; resume reads it)

	UserAgent     string
	Delay, Jitter time.Duration // between requests to one host; Jitter 0 means Delay/2
	Timeout       time.Duration // per request
	MaxBodySize   int64         // bytes, on the wire and after decompression
	ParallelHosts int
	DailyBudget   int // requests per host per day
	Retries       int // on timeouts, resets, 429 and 5xx, with exponential back-off
	// RetryNow asks hosts that are backing off after faults of earlier runs
	// (a server's own Retry-After is still honoured).
	RetryNow bool
	Resolve  map[string]string // tests: name → loopback address standing in for a public host
	Logger   *slog.Logger
	Progress func(Event)
	Now      func() time.Time
}

// Page is one fetched URL as recorded in the archive. Status is 0 when no
// HTTP answer came (Error says why); Error is also set for answers that are
// faults (challenge, soft 404, 404, oversize). ArchivePath and WARCOffset
// locate the WARC record for [archive.Archive.Read]; for NotModified pages (a 304) and
// unchanged bytes it is a revisit record that Read follows to the
// bytes, and SHA256 is theirs. Kind is KindList, KindReport, KindAttachment
// or KindOther; an attachment's ParentURL is its report page.
type Page struct {
	Portal, URL, FinalURL, ParentURL, Kind string
	FetchedAt                              time.Time
	Status                                 int
	ContentType, Charset, SHA256           string
	Size                                   int64
	Title, ArchivePath, WARCRecordID       string
	WARCOffset                             int64
	ETag, LastModified, Error              string
	NotModified                            bool
	// Method is "" for GET, or "POST" (list endpoints such as Hanweb's
	// dataproxy.jsp, whose URL alone does not name the request).
	Method string `json:",omitempty"`
	// ReportKey groups versions of one report: the title without
	// （更正版）-style suffixes and spacing.
	ReportKey string `json:",omitempty"`
	// DuplicateOf is the URL of an earlier page of this run with the same
	// bytes (the same report reached through two columns, a _wap twin).
	DuplicateOf string `json:",omitempty"`

	revisitOf *archive.Revisit
}

// HostState is the crawler's view of one host after a run: its state
// (StateOK, StateBlocked …) since Since, and the time before which a run
// does not ask it again (zero: the next run).
type HostState struct {
	Host, State, Detail string
	Since, RetryAfter   time.Time
}

// Result is what [Run] fetched. Pages include un-acked pages of earlier runs
// that were interrupted; call [Ack] with RunID once they are stored.
type Result struct {
	RunID    string
	Pages    []Page
	Hosts    []HostState
	Requests int
	Resumed  bool
	// Faulted lists the hosts a fault stopped during this run (their state
	// after it, with the next try); Skipped the hosts not asked because they
	// were backing off from earlier runs. A run with either did not cover
	// every portal.
	Faulted, Skipped []HostState
}

// Event reports progress after each page; counts are per portal.
type Event struct {
	Portal, Host, URL, Kind string
	Status                  int
	Err                     string
	Pages, Reports, Errors  int
}

// WithDefaults returns o with every zero field set to its default (and the
// negative "off" values to zero): the options [Run] works with.
func (o Options) WithDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Delay == 0 {
		o.Delay = DefaultDelay
	}
	if o.Delay < 0 {
		o.Delay = 0
	}
	if o.Jitter == 0 {
		o.Jitter = DefaultJitter(o.Delay)
	}
	if o.Jitter < 0 {
		o.Jitter = 0
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.ParallelHosts <= 0 {
		o.ParallelHosts = DefaultParallelHosts
	}
	if o.DailyBudget == 0 {
		o.DailyBudget = DefaultDailyBudget
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// portalRun is a Portal prepared for the run.
type portalRun struct {
	Portal
	allowed  hostid.Set
	startDir []string // directories under which sub-columns are followed
	mu       sync.Mutex
	lists    int
	counts   Event
}

func preparePortal(p Portal) (*portalRun, error) {
	if p.Name == "" {
		return nil, errors.New("crawler: portal without a name")
	}
	if len(p.StartURLs) == 0 {
		return nil, fmt.Errorf("portal %s: no start URLs", p.Name)
	}
	if err := CheckFamily(p.Family); err != nil {
		return nil, fmt.Errorf("portal %s: family %w", p.Name, err)
	}
	allowed, err := hostid.NewSet(p.AllowedDomains)
	if err != nil {
		return nil, fmt.Errorf("portal %s: allowed domains: %w", p.Name, err)
	}
	pr := &portalRun{Portal: p, allowed: allowed}
	if pr.MaxPages <= 0 {
		pr.MaxPages = DefaultMaxPages
	}
	for _, s := range p.StartURLs {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("portal %s: start URL %q is not an http(s) URL", p.Name, s)
		}
		if len(p.AllowedDomains) == 0 {
			pr.allowed[hostid.Of(u)] = true
		}
		d := u.Path
		if !strings.HasSuffix(d, "/") {
			d = d[:strings.LastIndexByte(d, '/')+1]
		}
		pr.startDir = append(pr.startDir, hostid.Of(u)+d)
	}
	for _, s := range p.StartURLs {
		u, _ := url.Parse(s)
		if !pr.allows(u) {
			return nil, fmt.Errorf("portal %s: start URL %s is outside allowed_domains", p.Name, s)
		}
	}
	return pr, nil
}

// allows reports whether u may be fetched for this portal: http(s), and the
// host (with its port) listed. A bare host allows only the default port.
func (p *portalRun) allows(u *url.URL) bool { return p.allowed.Allows(u) }

// Run crawls portals once: it resumes an interrupted run's queue if there is
// one, fetches what changed, archives every response as WARC under
// opts.ArchiveDir and returns the pages. On cancellation it finishes the pages
// in flight and returns the partial Result with an error wrapping ctx.Err();
// those pages are journaled and must be stored and acked like any others.
func Run(ctx context.Context, opts Options, portals []Portal) (*Result, error) {
	opts = opts.WithDefaults()
	if opts.ArchiveDir == "" {
		return nil, errors.New("crawler: Options.ArchiveDir is empty")
	}
	var prs []*portalRun
	for _, p := range portals {
		pr, err := preparePortal(p)
		if err != nil {
			return nil, err
		}
		if pr.IgnoreRobots {
			opts.Logger.Warn("robots.txt IGNORED for this portal by configuration", "portal", pr.Name)
		}
		if pr.AllowPrivateNetwork {
			opts.Logger.Warn("private and loopback addresses allowed for this portal by configuration", "portal", pr.Name)
		}
		prs = append(prs, pr)
	}
	st, err := openStore(opts.ArchiveDir, opts.UserAgent)
	if err != nil {
		return nil, err
	}
	defer st.close()

	pending, err := st.pendingRuns()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var resume *pendingRun
	var carried []string
	for i := range pending {
		for _, l := range pending[i].done {
			st.remember(&l.Page, nil)
		}
		if !pending[i].complete {
			resume = &pending[i] // the latest interrupted run wins; older ones are carried
		}
	}
	now := opts.Now()
	if resume != nil {
		res.RunID, res.Resumed = resume.id, true
	} else {
		res.RunID = now.UTC().Format("20060102T150405Z") + "-" + archive.NewRecordID()[10:18]
	}
	for _, p := range pending {
		if p.id != res.RunID && len(p.unacked) > 0 {
			carried = append(carried, p.id)
		}
	}
	rd, err := st.a.OpenRun(res.RunID, now)
	if err != nil {
		return nil, err
	}
	defer rd.Close()

	r := newRunner(ctx, opts, st, rd, prs)
	if resume != nil {
		r.restore(resume)
	} else {
		r.seed()
	}
	runErr := r.run(ctx)
	res.Requests = r.requests()
	r.mu.Lock()
	incomplete := r.incomplete
	r.mu.Unlock()
	if runErr == nil && ctx.Err() == nil && !incomplete {
		if err := rd.Complete(opts.Now()); err != nil {
			return nil, err
		}
	}
	if err := st.save(); err != nil {
		return nil, err
	}
	if len(carried) > 0 {
		if err := rd.Carry(carried); err != nil {
			return nil, err
		}
	}
	// The Result is read back from the journals: exactly what survives a crash.
	for _, p := range pending {
		if p.id != res.RunID {
			for _, l := range p.unacked {
				res.Pages = append(res.Pages, l.Page)
			}
		}
	}
	own, total, err := st.a.Unacked(res.RunID)
	if err != nil {
		return nil, err
	}
	lines, err := decodeLines(own)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", res.RunID, err)
	}
	for _, l := range lines {
		res.Pages = append(res.Pages, l.Page)
	}
	if err := st.a.Returned(res.RunID, total); err != nil {
		return nil, err
	}
	for _, p := range pending {
		if p.id != res.RunID {
			if err := st.a.Returned(p.id, len(p.done)); err != nil {
				return nil, err
			}
		}
	}
	res.Hosts = st.hostStates()
	r.mu.Lock()
	res.Faulted, res.Skipped = r.faulted, r.skipped
	r.mu.Unlock()
	if runErr != nil {
		return res, runErr
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("crawl run %s interrupted: %w", res.RunID, ctx.Err())
	}
	return res, nil
}
