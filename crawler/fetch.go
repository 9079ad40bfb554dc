package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/internal/hostid"
)

// Policy errors: the crawler refused the request itself; nothing was sent.
var (
	ErrForbiddenHost = errors.New("crawler: host not allowed")
	ErrBadScheme     = errors.New("crawler: not an http(s) URL")
	ErrBudget        = errors.New("crawler: daily request budget of host spent")
	ErrTooLarge      = errors.New("crawler: body exceeds size limit")
	ErrNonPublic     = errors.New("crawler: host resolves to a non-public address")
)

// hostClient fetches for one host worker: a colly collector whose transport
// records every exchange (redirect hops included) as it crossed the wire.
// Not safe for concurrent use: one worker, one request at a time.
type hostClient struct {
	r    *runner
	host string
	c    *colly.Collector
	tr   *captureTransport
}

type captureTransport struct {
	r    *runner
	base *http.Transport
	mu   sync.Mutex
	hops []*archive.Response
	p    *portalRun // portal of the request in flight (its allowed hosts)
	// publicSeen is set once a hop of the fetch in flight reached a public
	// address: from then on no hop may reach a private one (a public host
	// must not redirect the crawler into the network it runs in).
	publicSeen bool
	ctx        context.Context
	bodyB      map[*archive.Response][]byte
}

func (r *runner) newHostClient(host string) *hostClient {
	base := &http.Transport{
		// One connection per host, as the portals ask of crawlers.
		MaxConnsPerHost:       1,
		MaxIdleConnsPerHost:   1,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   r.opts.Timeout,
		ResponseHeaderTimeout: r.opts.Timeout,
		// Compression is negotiated by nobody: the archive keeps what the
		// server sent, and a server that gzips anyway is decoded below, capped.
		DisableCompression: true,
		TLSClientConfig:    &tls.Config{MinVersion: tls.VersionTLS12},
		Proxy:              nil, // an environment proxy must not reroute the crawl
		DialContext:        r.dial,
	}
	tr := &captureTransport{r: r, base: base, ctx: r.ctx, bodyB: map[*archive.Response][]byte{}}

	c := colly.NewCollector()
	// colly's defaults and its COLLY_* environment are not our policy: set
	// every field that matters after NewCollector has read the environment.
	c.IgnoreRobotsTxt = false
	c.AllowURLRevisit = true // the frontier dedupes; colly must not skip re-checks
	c.MaxDepth = 0
	c.MaxRequests = 0
	c.CacheDir = ""
	c.DetectCharset = false
	c.ParseHTTPErrorResponse = true
	c.TraceHTTP = false
	c.Async = false
	c.DisallowedDomains = nil
	c.URLFilters, c.DisallowedURLFilters = nil, nil
	c.MaxBodySize = int(r.opts.MaxBodySize) + 1
	c.Context = context.WithoutCancel(r.ctx) // a cancelled run still finishes the page in flight
	var domains []string
	for _, p := range r.order {
		for h := range p.allowed {
			if hn, _, err := net.SplitHostPort(h); err == nil {
				h = hn
			}
			h = strings.Trim(h, "[]")
			domains = append(domains, h)
		}
	}
	c.AllowedDomains = domains // host names only (colly ignores ports); captureTransport checks ports
	c.WithTransport(tr)
	jar, _ := cookiejar.New(nil)
	c.SetCookieJar(jar) // JS-free cookie-setting redirects exist; COLLY_DISABLE_COOKIES must not matter
	c.SetRequestTimeout(r.opts.Timeout)
	c.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		tr.mu.Lock()
		p := tr.p
		tr.mu.Unlock()
		if p == nil || !p.allows(req.URL) {
			return http.ErrUseLastResponse // the 3xx itself is the answer: a moved site
		}
		return nil
	})
	return &hostClient{r: r, host: host, c: c, tr: tr}
}

// RoundTrip enforces the host policy on every request (redirect hops and
// robots.txt included), paces the host, counts the budget, and records the
// exchange with its raw payload.
func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	p, publicSeen := t.p, t.publicSeen
	t.mu.Unlock()
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("%s: %w", req.URL, ErrBadScheme)
	}
	if p == nil || !p.allows(req.URL) {
		return nil, fmt.Errorf("%s: %w", req.URL, ErrForbiddenHost)
	}
	allowPrivate := p.AllowPrivateNetwork && !publicSeen
	var public bool
	trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) { public = connPublic(ci.Conn) }}
	req = req.WithContext(httptrace.WithClientTrace(context.WithValue(req.Context(), privateOK{}, allowPrivate), trace))
	h := hostid.Of(req.URL)
	if err := t.r.spend(h); err != nil {
		return nil, err
	}
	if err := t.r.pace(t.ctx, h); err != nil {
		return nil, err
	}
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	t.r.nreq.Add(1)
	resp, err := t.base.RoundTrip(req)
	t.r.paced(h)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if public {
		t.mu.Lock()
		t.publicSeen = true
		t.mu.Unlock()
	} else if !allowPrivate {
		// A kept-alive connection is not dialed again: refuse its answer here.
		return nil, fmt.Errorf("%s: %w", req.URL, ErrNonPublic)
	}
	max := t.r.opts.MaxBodySize
	raw, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("read body of %s: %w", req.URL, err)
	}
	if int64(len(raw)) > max {
		return nil, fmt.Errorf("%s: %w (%d bytes)", req.URL, ErrTooLarge, max)
	}
	body := raw
	if enc := resp.Header.Get("Content-Encoding"); archive.Known(enc) {
		if body, err = archive.Decode(raw, enc, max); err != nil {
			if errors.Is(err, archive.ErrTooLarge) {
				err = fmt.Errorf("%w after decompression (%d bytes)", ErrTooLarge, max)
			}
			return nil, fmt.Errorf("decode body of %s: %w", req.URL, err)
		}
	} // an unknown coding keeps its bytes: detection will call them binary
	x := &archive.Response{Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header.Clone(), RequestBody: reqBody,
		Proto: resp.Proto, Status: resp.StatusCode, StatusText: strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode))),
		Header: resp.Header.Clone(), Body: raw, At: t.r.opts.Now()}
	t.mu.Lock()
	t.hops = append(t.hops, x)
	t.bodyB[x] = body
	t.mu.Unlock()
	out := *resp
	out.Header = resp.Header.Clone()
	out.Header.Del("Content-Encoding")
	out.Header.Del("Content-Length")
	out.Uncompressed = true
	// colly would read and keep its own copy of every body, which nothing
	// reads: the page is taken from bodyB. Only robots.txt, which colly
	// parses itself, is handed over.
	if req.URL.Path == "/robots.txt" {
		out.ContentLength = int64(len(body))
		out.Body = io.NopCloser(bytes.NewReader(body))
	} else {
		out.ContentLength = 0
		out.Body = http.NoBody
	}
	return &out, nil
}

// spend counts a request against the host's daily budget.
func (r *runner) spend(h string) error {
	if r.opts.DailyBudget < 0 {
		return nil
	}
	day := r.opts.Now().Format("2006-01-02")
	var err error
	r.st.withHost(h, func(hr *hostRecord) {
		if hr.BudgetDay != day {
			hr.BudgetDay, hr.BudgetUsed = day, 0
		}
		if hr.BudgetUsed >= r.opts.DailyBudget {
			err = fmt.Errorf("%s: %w (%d)", h, ErrBudget, r.opts.DailyBudget)
			return
		}
		hr.BudgetUsed++
	})
	return err
}

// fetched is the outcome of one request: every hop, the last one's body.
type fetched struct {
	hops  []*archive.Response
	final *archive.Response
	body  []byte // content-decoded payload of final
	err   error
}

// fetchOnce sends one request through colly and returns what crossed the wire.
func (hc *hostClient) fetchOnce(p *portalRun, it *item, hdr http.Header) fetched {
	hc.tr.mu.Lock()
	hc.tr.hops, hc.tr.p, hc.tr.publicSeen = nil, p, false
	clear(hc.tr.bodyB)
	hc.tr.mu.Unlock()
	var body io.Reader
	if it.Body != "" {
		body = strings.NewReader(it.Body)
	}
	hc.c.IgnoreRobotsTxt = p.IgnoreRobots
	hc.c.UserAgent = hdr.Get("User-Agent") // robots.txt groups are matched on it
	err := hc.c.Request(it.method(), it.URL, body, nil, hdr)
	hc.tr.mu.Lock()
	defer hc.tr.mu.Unlock()
	f := fetched{hops: hc.tr.hops, err: err}
	// robots.txt is fetched by colly through the same transport; it is not
	// the page's answer.
	var page []*archive.Response
	for _, x := range f.hops {
		if !strings.HasSuffix(x.URL, "/robots.txt") || strings.HasSuffix(it.URL, "/robots.txt") {
			page = append(page, x)
		}
	}
	if len(page) > 0 {
		f.final = page[len(page)-1]
		f.body = hc.tr.bodyB[f.final]
	}
	return f
}

// robotsExchange returns the robots.txt exchange of the last fetch, if any.
func (f *fetched) robots() *archive.Response {
	for _, x := range f.hops {
		if strings.HasSuffix(x.URL, "/robots.txt") {
			return x
		}
	}
	return nil
}

// retryable reports whether a failed attempt is worth repeating and how long
// the server asked us to wait.
func retryable(f *fetched, now time.Time) (bool, time.Duration) {
	if f.err != nil {
		if errors.Is(f.err, ErrForbiddenHost) || errors.Is(f.err, ErrBadScheme) || errors.Is(f.err, ErrNonPublic) || errors.Is(f.err, ErrBudget) ||
			errors.Is(f.err, ErrTooLarge) || errors.Is(f.err, colly.ErrRobotsTxtBlocked) || isTLSError(f.err) {
			return false, 0
		}
		var ue *url.Error
		if errors.As(f.err, &ue) && strings.Contains(ue.Err.Error(), "redirect") {
			return false, 0
		}
		return true, 0 // timeouts, resets, EOF mid-body, refused connections
	}
	if f.final == nil {
		return false, 0
	}
	switch s := f.final.Status; {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
		return true, retryAfter(f.final.Header.Get("Retry-After"), now)
	case s == 500 || s == 502 || s == 504:
		return true, retryAfter(f.final.Header.Get("Retry-After"), now)
	}
	return false, 0
}

func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

func isTLSError(err error) bool {
	var re tls.RecordHeaderError
	var ce *tls.CertificateVerificationError
	if errors.As(err, &re) || errors.As(err, &ce) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "tls:") || strings.Contains(s, "x509:") || strings.Contains(s, "certificate")
}
