package sampleportal

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configures [Start]. The zero value serves every family with seed 0.
type Options struct {
	// Seed varies the generated numbers; the same seed gives the same portal.
	Seed int64
	// Families lists the CMS families served and published (see
	// [AllFamilies]); nil means [DefaultFamilies].
	Families []string
	// Now is the clock for request logs and Last-Modified; nil means time.Now.
	Now func() time.Time
}

// DefaultFamilies are the families served when Options.Families is nil:
// all of them.
func DefaultFamilies() []string { return []string{"sitesources", "trs", "hanweb", "gkmlpt", "legacy"} }

// AllFamilies lists every family the portal can serve.
func AllFamilies() []string { return DefaultFamilies() }

// PortalConfig is one portal as a nianbao.yaml would list it.
type PortalConfig struct {
	Name, RegionCode, Family  string
	StartURLs, AllowedDomains []string
	// DepartmentCatalogue is the optional hint naming the page that lists
	// the departments' own columns ("" when the site has none).
	DepartmentCatalogue string
}

// ExpectedReport is a report the portal publishes and what the extractor
// must read from its page.
type ExpectedReport struct {
	URL, Agency, RegionCode, Format string
	Year                            int
	// Cells maps "t3.new.natural" to the decimal the page prints, or nil for a
	// blank or placeholder cell; every printed cell of tables 二/三/四 is listed.
	Cells map[string]*string
	// Unbalanced names the rules the page breaks (i1_balance, i2_results,
	// i3_total_column, i4_review_suit); empty when it balances (blank = 0).
	Unbalanced []string
	// Attachments are absolute URLs of files linked from the report page
	// (PDF, DOCX): each prints the whole report, tables with the values in
	// Cells, so that parsing it gives exactly Cells.
	Attachments []string
	// Portal is the PortalConfig.Name of the site publishing it; Title is the
	// report's title as listed.
	Portal, Title string
	// Kind is one of the Kind* constants.
	Kind string
	// VersionOf is the URL of the report this one re-issues (a （更正版）
	// item with the same agency and year), or "".
	VersionOf string
}

// What a report page holds (ExpectedReport.Kind).
const (
	// KindTables is an HTML report with tables 二/三/四; it may also link
	// attachments printing the same report.
	KindTables = "tables"
	// KindAttachment is a report whose page only links its attachment:
	// Cells are what the attachment prints, the page itself has none.
	KindAttachment = "attachment"
	// KindImageTables has its tables as <img>: Cells is empty and Format
	// "unknown".
	KindImageTables = "image_tables"
	// KindPre2019 is free-form, before the national format: Cells is empty
	// and Format "pre2019".
	KindPre2019 = "pre2019"
)

// Request is one request the portal received.
type Request struct {
	Method, Host, Path string // Path includes the query
	Header             http.Header
	Time               time.Time // arrival
	Status             int       // 0 when the connection was reset
	TLS                bool      // received on the TLS listener
}

// Portal is a running sample portal: several virtual hosts on one loopback
// listener plus one TLS listener. Its methods are safe for concurrent use.
type Portal struct {
	opts  Options
	now   func() time.Time
	ln    net.Listener // the one loopback listener, demultiplexed by scheme
	plain *httptest.Server
	tls   *httptest.Server

	mu         sync.Mutex
	night      int
	sites      map[string]*site // by host
	aliases    map[string]string
	behaviours map[string]*hostState
	counts     map[string]int
	log        []Request
	reports    []*report
	portals    []PortalConfig
	rng        *rand.Rand
}

// site is one virtual host's content.
type site struct {
	host  string
	pages map[string]*page // by path (no query)
	// handle serves dynamic endpoints; it returns false when the path is not
	// one of them.
	handle func(p *Portal, w http.ResponseWriter, r *http.Request) bool
}

// page is one static resource.
type page struct {
	body     []byte
	ctype    string // Content-Type header as sent
	mod      time.Time
	etag     string
	status   int    // 0 means 200
	location string // for redirects
}

// Start builds the portal's sites and starts listening on 127.0.0.1.
// Call [Portal.Close] when done (t.Cleanup(p.Close) in tests).
func Start(opts Options) (*Portal, error) {
	p, err := newPortal(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sampleportal: listen: %w", err)
	}
	p.ln = ln
	plainL, tlsL := newChanListener(ln.Addr()), newChanListener(ln.Addr())
	p.plain = newServer(p.handler(false), plainL)
	p.plain.Start()
	p.tls = newServer(p.handler(true), tlsL)
	p.tls.TLS = &tls.Config{GetConfigForClient: p.tlsConfigFor}
	p.tls.StartTLS()
	go demux(ln, plainL, tlsL)
	return p, nil
}

// newPortal builds the portal's sites without listening.
func newPortal(opts Options) (*Portal, error) {
	p := &Portal{opts: opts, now: opts.Now, behaviours: map[string]*hostState{}, counts: map[string]int{},
		aliases: map[string]string{}, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 7))}
	if p.now == nil {
		p.now = time.Now
	}
	if err := p.build(); err != nil {
		return nil, fmt.Errorf("sampleportal: build sites: %w", err)
	}
	return p, nil
}

// Catalogue lists the reports a portal started with opts publishes on its
// first night (as [Portal.Reports]), without starting it: `nianbao help
// demo` derives what it says from it.
func Catalogue(opts Options) ([]ExpectedReport, error) {
	p, err := newPortal(opts)
	if err != nil {
		return nil, err
	}
	return p.Reports(), nil
}

// tlsConfigFor fails the handshake for hosts whose behaviour says so.
func (p *Portal) tlsConfigFor(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.behaviours[strings.ToLower(hello.ServerName)]; st != nil && st.b.TLS == TLSHandshakeFail {
		return nil, fmt.Errorf("sampleportal: TLS refused for %s", hello.ServerName)
	}
	return nil, nil
}

func newServer(h http.Handler, ln net.Listener) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = ln
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are intended
	s.Config.ReadHeaderTimeout = 10 * time.Second
	return s
}

// Close stops both listeners and waits for handlers to return.
func (p *Portal) Close() {
	p.ln.Close()
	p.plain.CloseClientConnections()
	p.tls.CloseClientConnections()
	p.plain.Close()
	p.tls.Close()
}

// Addr is the portal's address ("127.0.0.1:port"). It serves plain HTTP
// and, for connections that open with a TLS handshake, HTTPS with a
// self-signed certificate.
func (p *Portal) Addr() string { return p.ln.Addr().String() }

// Certificate is the self-signed certificate of the portal's HTTPS side, for
// tests that want a client that trusts it.
func (p *Portal) Certificate() *x509.Certificate { return p.tls.Certificate() }

// Resolve maps every virtual hostname to [Portal.Addr]; the same address
// serves http:// and https://. Hosts added by a domain move appear once Set
// names them.
func (p *Portal) Resolve() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[string]string{}
	for h := range p.sites {
		m[h] = p.Addr()
	}
	for h := range p.aliases {
		m[h] = p.Addr()
	}
	return m
}

// Hosts lists the virtual hostnames, sorted.
func (p *Portal) Hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var hs []string
	for h := range p.sites {
		hs = append(hs, h)
	}
	for h := range p.aliases {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	return hs
}

// Portals lists the portals a nianbao.yaml for the sample portal would name.
func (p *Portal) Portals() []PortalConfig {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PortalConfig, len(p.portals))
	for i, c := range p.portals {
		c.StartURLs = slices.Clone(c.StartURLs)
		c.AllowedDomains = slices.Clone(c.AllowedDomains)
		out[i] = c
	}
	return out
}

// Reports lists every report the portal publishes tonight, sorted by URL.
func (p *Portal) Reports() []ExpectedReport {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []ExpectedReport
	for _, r := range p.reports {
		out = append(out, r.expected())
	}
	slices.SortFunc(out, func(a, b ExpectedReport) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// Requests is the number of requests received for host (on either listener).
func (p *Portal) Requests(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[strings.ToLower(host)]
}

// Log returns a copy of every request answered so far, in the order the
// answers completed; Request.Time is the arrival time.
func (p *Portal) Log() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, len(p.log))
	for i, r := range p.log {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// ResetLog forgets the request log and the per-host counts.
func (p *Portal) ResetLog() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = nil
	p.counts = map[string]int{}
}

// NextNight advances the portal one night: one report's page changes, one new
// report appears (in a new year column), and one report page goes away (its
// URL answers 404 while the list still links it).
func (p *Portal) NextNight() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.night++
	if err := p.buildLocked(); err != nil {
		panic(fmt.Sprintf("sampleportal: rebuild night %d: %v", p.night, err))
	}
}

func (p *Portal) build() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buildLocked()
}

func (p *Portal) family(f string) bool {
	if p.opts.Families == nil {
		return slices.Contains(DefaultFamilies(), f)
	}
	return slices.Contains(p.opts.Families, f)
}

// buildLocked regenerates every site for the current night.
func (p *Portal) buildLocked() error {
	p.sites = map[string]*site{}
	p.reports = nil
	p.portals = nil
	p.addOffDomain()
	if p.family("sitesources") {
		p.addSitesources()
	}
	if p.family("trs") {
		if err := p.addTRS(); err != nil {
			return fmt.Errorf("trs site: %w", err)
		}
	}
	if p.family("hanweb") {
		p.addHanweb()
	}
	if p.family("gkmlpt") {
		p.addGkmlpt()
	}
	if p.family("legacy") {
		if err := p.addLegacy(); err != nil {
			return fmt.Errorf("legacy site: %w", err)
		}
	}
	for _, s := range p.sites {
		for _, pg := range s.pages {
			pg.etag = etagOf(pg.body)
		}
	}
	return nil
}

func (p *Portal) addSite(s *site) { p.sites[s.host] = s }

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (p *Portal) handler(isTLS bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		arrived := p.now()
		p.mu.Lock()
		p.counts[host]++
		n := p.counts[host]
		p.mu.Unlock()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			p.mu.Lock()
			p.log = append(p.log, Request{Method: r.Method, Host: host, Path: r.URL.RequestURI(),
				Header: r.Header.Clone(), Time: arrived, Status: sw.status, TLS: isTLS})
			p.mu.Unlock()
		}()
		p.serve(sw, r, host, n, isTLS)
	})
}

// serve answers one request: behaviours first, then the site's content.
func (p *Portal) serve(w *statusWriter, r *http.Request, host string, n int, isTLS bool) {
	p.mu.Lock()
	s := p.sites[host]
	if s == nil {
		if orig, ok := p.aliases[host]; ok {
			s = p.sites[orig]
		}
	}
	var st *hostState
	if b := p.behaviours[host]; b != nil {
		st = b
	}
	p.mu.Unlock()
	if s == nil {
		http.Error(w, "no such site: "+host, http.StatusNotFound)
		return
	}
	if st != nil && p.applyBehaviour(w, r, s, st, n, isTLS) {
		return
	}
	p.serveContent(w, r, s, st)
}

// serveContent serves a static page or a dynamic endpoint of s.
func (p *Portal) serveContent(w *statusWriter, r *http.Request, s *site, st *hostState) {
	if s.handle != nil && s.handle(p, w, r) {
		return
	}
	path := r.URL.Path
	if strings.HasSuffix(path, "/") {
		if _, ok := s.pages[path+"index.html"]; ok {
			path += "index.html"
		}
	}
	p.mu.Lock()
	pg := s.pages[path]
	p.mu.Unlock()
	if pg == nil {
		p.notFound(w, r, s, st)
		return
	}
	if pg.location != "" {
		http.Redirect(w, r, pg.location, pg.status)
		return
	}
	p.writePage(w, r, pg, st)
}

// stateOf is the behaviour of the request's host, or nil.
func (p *Portal) stateOf(r *http.Request) *hostState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.behaviours[strings.ToLower(hostOnly(r.Host))]
}

// writePage sends a page with its validators, honouring conditional GETs,
// charset traps and mid-body resets.
func (p *Portal) writePage(w *statusWriter, r *http.Request, pg *page, st *hostState) {
	body, ctype := pg.body, pg.ctype
	if st != nil {
		body, ctype = st.charsetTrap(body, ctype)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Server", "nginx")
	validators := st == nil || !st.b.NoValidators
	if validators {
		h.Set("ETag", pg.etag)
		h.Set("Last-Modified", pg.mod.UTC().Format(http.TimeFormat))
		if notModified(r, pg) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if st != nil && st.shouldReset() {
		resetMidBody(w, body, ctype)
		return
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func notModified(r *http.Request, pg *page) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == pg.etag || t == "*" || strings.TrimPrefix(t, "W/") == pg.etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !pg.mod.Truncate(time.Second).After(t) {
			return true
		}
	}
	return false
}

// sleepCtx waits d or until the request is cancelled.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
