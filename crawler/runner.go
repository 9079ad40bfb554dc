package crawler

import (
	"context"
	"math/rand/v2"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/internal/hostid"
)

// item is one request in the queue; it is also the frontier's line format.
type item struct {
	URL     string
	Method  string `json:",omitempty"` // "" = GET
	Body    string `json:",omitempty"` // POST form
	Referer string `json:",omitempty"`
	Kind    string
	Portal  string
	Parent  string `json:",omitempty"`
	Title   string `json:",omitempty"`
	Start   bool   `json:",omitempty"` // a configured start URL
	More    bool   `json:",omitempty"` // script.json: the list's page 1 held new items
	Page    int    `json:",omitempty"` // 1-based page number within its list
	Mode    string `json:",omitempty"` // "", modeScriptJSON, modeHanweb, modeGkmlpt
	Pager   *pager `json:",omitempty"`
}

const (
	modeScriptJSON = "scriptjson"
	modeHanweb     = "hanweb"
	modeGkmlpt     = "gkmlpt"
	modeCatalogue  = "catalogue" // a page listing departments' own columns
)

// pager builds further pages of a list whose page count is known from a
// script (createPageHTML, countPage, endPage) or an API.
type pager struct {
	Pattern string // fmt pattern with one %d
	Offset  int    // suffix = page - 1 + Offset (TRS 0-based: 0; 1-based: 1)
	Last    int    // last page number; 0 = unknown (stop on an empty page)
	PerPage int    `json:",omitempty"` // Hanweb records per request
	Form    string `json:",omitempty"` // Hanweb POST fields
}

func (it *item) method() string {
	if it.Method == "" {
		return "GET"
	}
	return it.Method
}

func (it *item) key() string { return it.method() + " " + canonicalKey(it.URL) + " " + it.Body }

type runner struct {
	ctx     context.Context
	opts    Options
	st      *store
	rd      *archive.Run
	portals map[string]*portalRun
	order   []*portalRun

	mu      sync.Mutex
	queues  map[string][]*item
	seen    map[string]bool
	active  map[string]bool
	stopped map[string]string // host → reason it gets no more requests this run
	clients map[string]*hostClient
	pending int
	wake    chan struct{}
	nextAt  map[string]time.Time
	known   map[string]bool   // item URLs seen on list pages of earlier runs
	shas    map[string]string // payload sha → first URL this run
	listed  map[string]bool   // item URLs listed on pages of this run
	// incomplete is set when items were left queued on purpose (a spent
	// budget): the run is not marked complete, so the next Run resumes it.
	incomplete bool
	faulted    []HostState // hosts a fault stopped during this run
	skipped    []HostState // hosts not asked: backing off from earlier runs
	nreq       atomic.Int64
	saved      atomic.Int64 // pages processed, for periodic state saves

	progressMu sync.Mutex
}

func newRunner(ctx context.Context, opts Options, st *store, rd *archive.Run, prs []*portalRun) *runner {
	r := &runner{ctx: ctx, opts: opts, st: st, rd: rd, portals: map[string]*portalRun{}, order: prs,
		queues: map[string][]*item{}, seen: map[string]bool{}, active: map[string]bool{}, stopped: map[string]string{}, clients: map[string]*hostClient{},
		wake: make(chan struct{}, 1), nextAt: map[string]time.Time{}, known: map[string]bool{}, shas: map[string]string{}, listed: map[string]bool{}}
	for _, p := range prs {
		r.portals[p.Name] = p
	}
	st.mu.Lock()
	for u, s := range st.st.URLs {
		r.known[canonicalKey(u)] = true
		for _, i := range s.Items {
			r.known[canonicalKey(i)] = true
		}
	}
	st.mu.Unlock()
	return r
}

func (r *runner) requests() int { return int(r.nreq.Load()) }

func (r *runner) seed() {
	for _, p := range r.order {
		for _, s := range p.StartURLs {
			r.add(&item{URL: s, Kind: KindList, Portal: p.Name, Start: true, Page: 1})
		}
		if p.DepartmentCatalogue != "" {
			r.add(&item{URL: p.DepartmentCatalogue, Kind: KindList, Portal: p.Name, Start: true, Page: 1, Mode: modeCatalogue})
		}
	}
}

// restore re-queues what an interrupted run had queued but not fetched.
func (r *runner) restore(p *pendingRun) {
	r.mu.Lock()
	for _, l := range p.done {
		r.seen[l.Key] = true
		if l.Page.SHA256 != "" && r.shas[l.Page.SHA256] == "" {
			r.shas[l.Page.SHA256] = l.Page.URL
		}
	}
	r.mu.Unlock()
	for i := range p.items {
		it := p.items[i]
		if _, ok := r.portals[it.Portal]; ok {
			r.enqueue(&it, false)
		}
	}
	// Start URLs never fetched (killed before the first request) are seeded too.
	r.seed()
}

func (r *runner) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// hostOf is the host a URL is queued, paced, budgeted and backed off under.
func hostOf(raw string) string { return hostid.OfURL(raw) }

// add queues an item once per run, logging it to the frontier; it reports
// whether the item was new.
func (r *runner) add(it *item) bool { return r.enqueue(it, true) }

func (r *runner) enqueue(it *item, log bool) bool {
	p := r.portals[it.Portal]
	u, err := url.Parse(it.URL)
	if err != nil || p == nil || !p.allows(u) {
		return false // never queued, never dialed
	}
	k := it.key()
	r.mu.Lock()
	if r.seen[k] {
		r.mu.Unlock()
		return false
	}
	if it.Kind == KindList {
		p.mu.Lock()
		over := p.lists >= p.MaxPages
		if !over {
			p.lists++
		}
		p.mu.Unlock()
		if over {
			r.mu.Unlock()
			r.opts.Logger.Warn("max_pages reached; list page skipped", "portal", p.Name, "url", it.URL)
			return false
		}
	}
	r.seen[k] = true
	h := hostOf(it.URL)
	r.queues[h] = append(r.queues[h], it)
	r.pending++
	r.mu.Unlock()
	if log {
		if err := r.rd.Queue(it); err != nil {
			r.opts.Logger.Error("frontier write failed", "err", err)
		}
	}
	r.signal()
	return true
}

// run drives one worker per host, at most ParallelHosts at a time, until the
// queue is drained or ctx is cancelled (workers finish their page in flight).
func (r *runner) run(ctx context.Context) error {
	var wg sync.WaitGroup
	now := r.opts.Now()
	for {
		r.mu.Lock()
		if r.pending == 0 || ctx.Err() != nil {
			r.mu.Unlock()
			break
		}
		for h, q := range r.queues {
			if len(q) == 0 || r.active[h] || len(r.active) >= r.opts.ParallelHosts {
				continue
			}
			if reason := r.hostGate(h, now); reason != "" {
				r.pending -= len(q)
				r.queues[h] = nil
				r.opts.Logger.Info("host skipped", "host", h, "reason", reason)
				continue
			}
			r.active[h] = true
			wg.Add(1)
			go func(h string) {
				defer wg.Done()
				r.worker(ctx, h)
				r.mu.Lock()
				delete(r.active, h)
				r.mu.Unlock()
				r.signal()
			}(h)
		}
		r.mu.Unlock()
		select {
		case <-r.wake:
		case <-ctx.Done():
		}
	}
	wg.Wait()
	return nil
}

// hostGate says why a host gets no requests now ("" = go). Called with r.mu held.
func (r *runner) hostGate(h string, now time.Time) string {
	if reason, ok := r.stopped[h]; ok {
		return reason
	}
	hr := r.st.host(h)
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	if hr.State == StateOK || hr.State == "" || !now.Before(hr.RetryAfter) {
		return ""
	}
	if r.opts.RetryNow && !now.Before(hr.AskedUntil) {
		return "" // the operator asked; only a server's own Retry-After still holds
	}
	r.stopped[h] = "backing off until " + hr.RetryAfter.Format(time.RFC3339) + " (" + hr.State + ")"
	r.skipped = append(r.skipped, hr.HostState)
	return r.stopped[h]
}

func (r *runner) worker(ctx context.Context, h string) {
	// One client per host per run, kept across worker restarts: its robots.txt
	// and cookies are the host's, fetched once.
	r.mu.Lock()
	hc := r.clients[h]
	if hc == nil {
		hc = r.newHostClient(h)
		r.clients[h] = hc
	}
	r.mu.Unlock()
	for ctx.Err() == nil {
		r.mu.Lock()
		if _, stop := r.stopped[h]; stop {
			r.pending -= len(r.queues[h])
			r.queues[h] = nil
		}
		q := r.queues[h]
		if len(q) == 0 {
			r.mu.Unlock()
			return
		}
		it := q[0]
		r.queues[h] = q[1:]
		r.mu.Unlock()
		r.process(hc, it)
		r.mu.Lock()
		r.pending--
		r.mu.Unlock()
	}
}

// stopHost ends the host's night and records why; the queue is dropped (its
// items are found again from the start URLs on a later night).
func (r *runner) stopHost(h, state, detail string) {
	r.mu.Lock()
	if _, ok := r.stopped[h]; ok {
		r.mu.Unlock()
		return
	}
	r.stopped[h] = state + ": " + detail
	r.mu.Unlock()
	now := r.opts.Now()
	var faulted HostState
	r.st.withHost(h, func(hr *hostRecord) {
		if hr.State != state {
			hr.Since = now
		}
		if state == StateRobotsDisallowed {
			hr.State, hr.Detail, hr.RetryAfter, hr.Nights = state, detail, time.Time{}, 0
			faulted = hr.HostState
			return
		}
		hr.State, hr.Detail = state, detail
		hr.Nights++
		hr.RetryAfter = now.Add(backoff(state, hr.Nights))
		faulted = hr.HostState
	})
	r.mu.Lock()
	r.faulted = append(r.faulted, faulted)
	r.mu.Unlock()
	r.opts.Logger.Warn("host stopped for this run", "host", h, "state", state, "detail", detail)
	// A fault must survive a kill: the next night's back-off depends on it.
	if err := r.st.save(); err != nil {
		r.opts.Logger.Error("save crawl state", "err", err)
	}
}

func (r *runner) hostOK(h string) {
	r.st.withHost(h, func(hr *hostRecord) {
		if hr.State != StateOK {
			hr.State, hr.Detail, hr.Since, hr.RetryAfter, hr.Nights = StateOK, "", r.opts.Now(), time.Time{}, 0
		}
	})
}

// Back-off after a fault. A night is [Night] less [nightSlack], so that a
// nightly schedule drifting a little still finds the host due.
const (
	Night      = 24 * time.Hour
	nightSlack = 4 * time.Hour
	// MaxBackoffNights is the longest a faulty host rests between tries.
	MaxBackoffNights = 32
)

// backoff is how long a host rests after its nights-th consecutive faulty
// run. Faults that pass (StateUnreachable: timeouts, resets, DNS, TLS, 5xx
// after the in-run retries; StateMoved) are tried again the next night, then
// 2, 4 … nights for repeated faults. A block (StateBlocked: a WAF challenge,
// a 403 block page, a long Retry-After) is not asked again so soon: 2, 4 …
// nights from the first. At most MaxBackoffNights.
func backoff(state string, nights int) time.Duration {
	shift := nights - 1
	if state == StateBlocked {
		shift = nights
	}
	n := 1 << min(max(shift, 0), 5)
	n = min(n, MaxBackoffNights)
	return time.Duration(n)*Night - nightSlack
}

// pace blocks until the host may be asked again (real time, not Options.Now:
// the fake clock of tests must not stall or speed up politeness).
func (r *runner) pace(ctx context.Context, h string) error {
	r.mu.Lock()
	wait := time.Until(r.nextAt[h])
	r.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// paced records a request to h: the next one waits Delay plus jitter, doubled
// for a host that faulted on earlier nights.
func (r *runner) paced(h string) {
	d := r.opts.Delay + jitter(r.opts.Jitter)
	r.st.withHost(h, func(hr *hostRecord) {
		if hr.Nights > 0 {
			d *= 2
		}
	})
	r.mu.Lock()
	r.nextAt[h] = time.Now().Add(d)
	r.mu.Unlock()
}

func jitter(j time.Duration) time.Duration {
	if j <= 0 {
		return 0
	}
	return rand.N(j)
}
