package crawler_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawler"
)

// site is a tiny test server: named routes, a request log by host.
type site struct {
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	log    []string // "host path"
	times  map[string][]time.Time
	// allTimes[i] is when log[i] arrived.
	allTimes []time.Time
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{routes: map[string]http.HandlerFunc{}, times: map[string][]time.Time{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.Host+" "+r.URL.RequestURI())
		s.times[r.Host] = append(s.times[r.Host], time.Now())
		s.allTimes = append(s.allTimes, time.Now())
		h := s.routes[r.Host+r.URL.Path]
		if h == nil {
			h = s.routes[r.URL.RequestURI()]
		}
		if h == nil {
			h = s.routes[r.URL.Path]
		}
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) html(path, body string) {
	s.routes[path] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func (s *site) requested(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.log {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

func (s *site) resolve(hosts ...string) map[string]string {
	m := map[string]string{}
	for _, h := range hosts {
		m[h] = s.srv.Listener.Addr().String()
	}
	return m
}

func reportLink(href, title string) string {
	return fmt.Sprintf(`<li><a href="%s" title="%s">%s</a><span>2024-01-20</span></li>`, href, title, title)
}

const reportBody = `<html><head><meta charset="utf-8"><title>报告</title></head><body><div class="TRS_Editor"><p>一、总体情况</p></div></body></html>`

func siteOptions(s *site, dir string, hosts ...string) crawler.Options {
	return crawler.Options{ArchiveDir: dir, Delay: -1, Timeout: 5 * time.Second, Resolve: s.resolve(hosts...)}
}

func TestRun_CollyEnvironmentCannotLoosenPolicy(t *testing.T) {
	for k, v := range map[string]string{
		"COLLY_IGNORE_ROBOTSTXT": "true", "COLLY_ALLOWED_DOMAINS": "evil.test", "COLLY_CACHE_DIR": t.TempDir(),
		"COLLY_USER_AGENT": "colly", "COLLY_MAX_BODY_SIZE": "10", "COLLY_DISALLOWED_DOMAINS": "a.test",
		"COLLY_DETECT_CHARSET": "yes", "COLLY_DISABLE_COOKIES": "1", "COLLY_MAX_REQUESTS": "1",
	} {
		t.Setenv(k, v)
	}
	s := newSite(t)
	s.routes["/robots.txt"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	}
	s.html("/col/index.html", `<ul>`+reportLink("/private/r.html", "甲局2023年政府信息公开工作年度报告")+
		reportLink("/pub/r.html", "乙局2023年政府信息公开工作年度报告")+reportLink("http://evil.test/r.html", "丙局2023年政府信息公开工作年度报告")+`</ul>`)
	s.html("/private/r.html", reportBody)
	s.html("/pub/r.html", reportBody+strings.Repeat("<!-- padding -->", 100))
	res := mustRun(t, siteOptions(s, t.TempDir(), "a.test", "evil.test"),
		[]crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/index.html"}}})
	if n := s.requested("/private/"); n != 0 {
		t.Errorf("robots.txt-disallowed path requested %d times", n)
	}
	if n := s.requested("evil.test"); n != 0 {
		t.Errorf("host outside allowed domains requested %d times", n)
	}
	got := byURL(res.Pages)
	if p := got["http://a.test/pub/r.html"]; p.Status != 200 || p.Size < 1000 || p.Error != "" {
		t.Errorf("allowed report: %+v", p)
	}
	for _, l := range s.log {
		_ = l
	}
}

func TestRun_RedirectsAndHosts(t *testing.T) {
	s := newSite(t)
	s.html("/col/", `<ul>`+
		reportLink("/r1.html", "甲局2023年政府信息公开工作年度报告")+
		reportLink("/r2.html", "乙局2023年政府信息公开工作年度报告")+
		reportLink("http://c.test/r3.html", "丙局2023年政府信息公开工作年度报告")+
		reportLink("ftp://a.test/r4.html", "丁局2023年政府信息公开工作年度报告")+
		reportLink("javascript:void(0)", "戊局2023年政府信息公开工作年度报告")+`</ul>`)
	s.routes["/r1.html"] = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://evil.test/r1.html", http.StatusFound)
	}
	s.routes["/r2.html"] = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://a.test:8081/r2.html", http.StatusFound)
	}
	s.html("/r3.html", reportBody)
	res := mustRun(t, siteOptions(s, t.TempDir(), "a.test", "evil.test"), // c.test allowed but not resolvable
		[]crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}, AllowedDomains: []string{"a.test", "c.test"}}})
	for _, sub := range []string{"evil.test", "a.test:8081", "c.test", "r4"} {
		if n := s.requested(sub); n != 0 {
			t.Errorf("%s requested %d times", sub, n)
		}
	}
	got := byURL(res.Pages)
	for _, u := range []string{"http://a.test/r1.html", "http://a.test/r2.html", "http://c.test/r3.html"} {
		if p, ok := got[u]; !ok || p.Error == "" {
			t.Errorf("page %s: want an error page, got %+v", u, p)
		}
	}
	if p := got["http://a.test/r1.html"]; p.Status != http.StatusFound || !strings.Contains(p.Error, "outside allowed") {
		t.Errorf("off-domain redirect recorded as %d %q", p.Status, p.Error)
	}
}

func TestRun_SizeCaps(t *testing.T) {
	s := newSite(t)
	s.html("/col/", `<ul>`+reportLink("/big.html", "甲局2023年政府信息公开工作年度报告")+
		reportLink("/bomb.html", "乙局2023年政府信息公开工作年度报告")+reportLink("/ok.html", "丙局2023年政府信息公开工作年度报告")+`</ul>`)
	s.html("/big.html", strings.Repeat("x", 300<<10))
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(bytes.Repeat([]byte("0"), 20<<20))
	zw.Close()
	s.routes["/bomb.html"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	}
	s.html("/ok.html", reportBody)
	opts := siteOptions(s, t.TempDir(), "a.test")
	opts.MaxBodySize = 200 << 10
	res := mustRun(t, opts, []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	got := byURL(res.Pages)
	for _, u := range []string{"http://a.test/big.html", "http://a.test/bomb.html"} {
		if p := got[u]; !strings.Contains(p.Error, "exceeds size limit") {
			t.Errorf("%s: error %q; want the size limit named", u, p.Error)
		}
	}
	if p := got["http://a.test/ok.html"]; p.Error != "" || p.Status != 200 {
		t.Errorf("small page after the big ones: %+v", p)
	}
	if res.Hosts[0].State != crawler.StateOK {
		t.Errorf("an oversized page faulted the host: %+v", res.Hosts[0])
	}
}

func TestRun_RetryAfterAndBackoff(t *testing.T) {
	s := newSite(t)
	var mu sync.Mutex
	n := 0
	s.routes["/col/"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<ul>`+reportLink("/r.html", "甲局2023年政府信息公开工作年度报告")+`</ul>`)
	}
	s.html("/r.html", reportBody)
	res := mustRun(t, siteOptions(s, t.TempDir(), "a.test"), []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	if p := byURL(res.Pages)["http://a.test/r.html"]; p.Status != 200 {
		t.Fatalf("report after a 503: %+v", p)
	}
	var col []time.Time
	s.mu.Lock()
	for i, l := range s.log {
		if strings.HasSuffix(l, " /col/") {
			col = append(col, s.times["a.test"][i])
		}
	}
	s.mu.Unlock()
	if len(col) != 2 || col[1].Sub(col[0]) < 900*time.Millisecond {
		t.Errorf("column requested at %v; want a retry honouring Retry-After: 1", col)
	}
}

func TestRun_PolitenessDelayAndParallelHosts(t *testing.T) {
	s := newSite(t)
	for _, h := range []string{"a.test", "b.test"} {
		var links strings.Builder
		for i := range 4 {
			links.WriteString(reportLink(fmt.Sprintf("/r%d.html", i), fmt.Sprintf("%s局%d2023年政府信息公开工作年度报告", h, i)))
		}
		s.html(h+"/col/", "<ul>"+links.String()+"</ul>")
	}
	for i := range 4 {
		s.html(fmt.Sprintf("/r%d.html", i), reportBody)
	}
	opts := siteOptions(s, t.TempDir(), "a.test", "b.test")
	opts.Delay, opts.Jitter, opts.ParallelHosts = 150*time.Millisecond, -1, 2
	start := time.Now()
	mustRun(t, opts, []crawler.Portal{
		{Name: "A", StartURLs: []string{"http://a.test/col/"}},
		{Name: "B", StartURLs: []string{"http://b.test/col/"}}})
	took := time.Since(start)
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, ts := range s.times {
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < 140*time.Millisecond {
				t.Errorf("%s: requests %d and %d only %v apart; want the 150ms delay", h, i-1, i, gap)
			}
		}
	}
	perHost := len(s.times["a.test"]) // robots + column + 4 reports
	bound := time.Duration(perHost-1) * opts.Delay
	t.Logf("%d requests per host, took %v, bound %v, ratio %.2f", perHost, took, bound, float64(took)/float64(bound))
	if took > 2*bound {
		t.Errorf("two hosts took %v; with parallel hosts it should stay near one host's %v", took, bound)
	}
}

func TestRun_DailyBudget(t *testing.T) {
	s := newSite(t)
	var links strings.Builder
	for i := range 6 {
		links.WriteString(reportLink(fmt.Sprintf("/r%d.html", i), fmt.Sprintf("局%d2023年政府信息公开工作年度报告", i)))
		s.html(fmt.Sprintf("/r%d.html", i), reportBody)
	}
	s.html("/col/", "<ul>"+links.String()+"</ul>")
	dir := t.TempDir()
	now := time.Date(2026, 2, 1, 2, 0, 0, 0, time.UTC)
	opts := siteOptions(s, dir, "a.test")
	opts.DailyBudget = 4
	opts.Now = func() time.Time { return now }
	ps := []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}}
	mustRun(t, opts, ps)
	if n := len(s.log); n != 4 {
		t.Errorf("first run sent %d requests; want the budget of 4", n)
	}
	res := mustRun(t, opts, ps) // same day: nothing left
	if n := len(s.log); n != 4 {
		t.Errorf("same-day run sent %d more requests", n-4)
	}
	for day := 2; day <= 3; day++ {
		before := len(s.log)
		now = now.Add(24 * time.Hour)
		res = mustRun(t, opts, ps)
		if !res.Resumed {
			t.Errorf("day %d did not resume the budget-stopped queue", day)
		}
		if n := len(s.log) - before; n > 4 {
			t.Errorf("day %d sent %d requests; budget 4", day, n)
		}
	}
	all := 0
	for i := range 6 {
		if s.requested(fmt.Sprintf("/r%d.html", i)) == 1 {
			all++
		}
	}
	if all != 6 {
		t.Errorf("%d of 6 reports fetched exactly once over three days", all)
	}
}

func TestRun_IgnoreRobotsIsPerPortalAndLogged(t *testing.T) {
	s := newSite(t)
	s.routes["/robots.txt"] = func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /\n") }
	s.html("/col/", "<ul>"+reportLink("/r.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	s.html("/r.html", reportBody)
	var logs bytes.Buffer
	opts := siteOptions(s, t.TempDir(), "a.test", "b.test")
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	res := mustRun(t, opts, []crawler.Portal{
		{Name: "守规矩", StartURLs: []string{"http://b.test/col/"}},
		{Name: "不守", StartURLs: []string{"http://a.test/col/"}, IgnoreRobots: true}})
	if s.requested("a.test /r.html") != 1 {
		t.Error("ignore_robots portal did not fetch its report")
	}
	if n := s.requested("b.test /col/"); n != 0 {
		t.Errorf("the other portal ignored robots.txt too (%d requests)", n)
	}
	if hostState(res, "b.test").State != crawler.StateRobotsDisallowed {
		t.Errorf("b.test state %+v; want robots_disallowed", hostState(res, "b.test"))
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "robots.txt IGNORED") {
		t.Errorf("ignore_robots not logged loudly: %s", logs.String())
	}
}

func TestRun_SameBytesTwoColumns(t *testing.T) {
	s := newSite(t)
	s.html("/col/", "<ul>"+reportLink("/a/r.html", "甲局2023年政府信息公开工作年度报告")+reportLink("/b/r.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	s.html("/a/r.html", reportBody)
	s.html("/b/r.html", reportBody)
	res := mustRun(t, siteOptions(s, t.TempDir(), "a.test"), []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	got := byURL(res.Pages)
	a, b := got["http://a.test/a/r.html"], got["http://a.test/b/r.html"]
	if (a.DuplicateOf == "") == (b.DuplicateOf == "") || a.SHA256 != b.SHA256 {
		t.Errorf("same report through two columns: DuplicateOf %q / %q", a.DuplicateOf, b.DuplicateOf)
	}
}

func TestRun_RefusesPrivateAddressesWithoutResolve(t *testing.T) {
	s := newSite(t)
	s.html("/col/", "<ul>"+reportLink("/r.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	addr := s.srv.Listener.Addr().String()
	res, err := crawler.Run(t.Context(), crawler.Options{ArchiveDir: t.TempDir(), Delay: -1, Retries: -1},
		[]crawler.Portal{{Name: "甲", StartURLs: []string{"http://" + addr + "/col/"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.log) != 0 {
		t.Errorf("loopback server got %d requests; a portal must not lead to a private address", len(s.log))
	}
	if hs := hostState(res, addr); hs.State != crawler.StateUnreachable || !strings.Contains(hs.Detail, "non-public") {
		t.Errorf("host state %+v; want unreachable, non-public address", hs)
	}
}

func TestRun_LongRetryAfterRestsTheHost(t *testing.T) {
	s := newSite(t)
	s.routes["/col/"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "86400")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}
	now := time.Date(2026, 2, 1, 2, 0, 0, 0, time.UTC)
	opts := siteOptions(s, t.TempDir(), "a.test")
	opts.Now = func() time.Time { return now }
	start := time.Now()
	res := mustRun(t, opts, []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	if time.Since(start) > 10*time.Second {
		t.Errorf("run waited %v for a day-long Retry-After", time.Since(start))
	}
	hs := hostState(res, "a.test")
	if hs.State != crawler.StateBlocked || hs.RetryAfter.Before(now.Add(24*time.Hour)) {
		t.Errorf("host state %+v; want blocked until at least a day later", hs)
	}
	if n := s.requested("/col/"); n != 1 {
		t.Errorf("column requested %d times; a day-long Retry-After is not retried within the run", n)
	}
}

// TestRun_OneHostOneQueue: http://h/, http://h:80/ and http://H/ are one
// host: one queue, one politeness clock, one state. An explicit port is
// another host, allowed when listed as host:port.
func TestRun_OneHostOneQueue(t *testing.T) {
	s := newSite(t)
	s.html("/col/", "<ul>"+
		reportLink("http://a.test:80/r1.html", "甲局2023年政府信息公开工作年度报告")+
		reportLink("http://A.TEST/r2.html", "乙局2023年政府信息公开工作年度报告")+
		reportLink("/r3.html", "丙局2023年政府信息公开工作年度报告")+
		reportLink("http://a.test:8080/r4.html", "丁局2023年政府信息公开工作年度报告")+"</ul>")
	for i := 1; i <= 4; i++ {
		s.html(fmt.Sprintf("/r%d.html", i), reportBody)
	}
	opts := siteOptions(s, t.TempDir(), "a.test")
	opts.Delay, opts.Jitter, opts.ParallelHosts = 120*time.Millisecond, -1, 4
	res := mustRun(t, opts, []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}, AllowedDomains: []string{"a.test", "a.test:8080"}}})
	var hosts []string
	for _, h := range res.Hosts {
		hosts = append(hosts, h.Host)
	}
	if strings.Join(hosts, " ") != "a.test a.test:8080" {
		t.Errorf("host states %v; want a.test and a.test:8080 (one state for http://a.test/ and http://a.test:80/)", hosts)
	}
	for _, p := range res.Pages {
		if p.Kind == crawler.KindReport && p.Status != 200 {
			t.Errorf("report %s: status %d, %s", p.URL, p.Status, p.Error)
		}
	}
	// One queue: requests to the default port never overlap the delay.
	s.mu.Lock()
	defer s.mu.Unlock()
	var ts []time.Time
	for i, l := range s.log {
		if strings.HasPrefix(l, "a.test ") || strings.HasPrefix(l, "a.test:80 ") || strings.HasPrefix(l, "A.TEST ") {
			ts = append(ts, s.allTimes[i])
		}
	}
	if len(ts) < 4 {
		t.Fatalf("%d requests to a.test on port 80; want robots, column and three reports (log %v)", len(ts), s.log)
	}
	for i := 1; i < len(ts); i++ {
		if gap := ts[i].Sub(ts[i-1]); gap < 100*time.Millisecond {
			t.Errorf("requests %d and %d to a.test only %v apart: two queues for one host", i-1, i, gap)
		}
	}
}

// TestRun_AllowPrivateNetwork: a portal on a loopback address and an odd
// port is crawled when it sets AllowPrivateNetwork (logged once), with no
// Resolve: the real dial path. A redirect from a public host into private
// space stays refused, even for that portal.
func TestRun_AllowPrivateNetwork(t *testing.T) {
	s := newSite(t)
	addr := s.srv.Listener.Addr().String() // 127.0.0.1:<odd port>
	s.html("/col/", "<ul>"+reportLink("/r.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	s.html("/r.html", reportBody)
	var logs bytes.Buffer
	opts := crawler.Options{ArchiveDir: t.TempDir(), Delay: -1, Timeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	res := mustRun(t, opts, []crawler.Portal{{Name: "镜像", StartURLs: []string{"http://" + addr + "/col/"}, AllowPrivateNetwork: true}})
	if p := byURL(res.Pages)["http://"+addr+"/r.html"]; p.Status != 200 || p.Error != "" {
		t.Errorf("report on the loopback mirror: %+v", p)
	}
	if hs := hostState(res, addr); hs.State != crawler.StateOK {
		t.Errorf("host %s state %+v; want ok", addr, hs)
	}
	if n := strings.Count(logs.String(), "private and loopback addresses allowed"); n != 1 {
		t.Errorf("allow_private_network logged %d times; want once per run:\n%s", n, logs.String())
	}

	t.Run("redirect from a public host", func(t *testing.T) {
		s := newSite(t)
		addr := s.srv.Listener.Addr().String()
		s.html("pub.test/col/", "<ul>"+reportLink("/r.html", "乙局2023年政府信息公开工作年度报告")+"</ul>")
		s.routes["pub.test/r.html"] = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+addr+"/inside.html", http.StatusFound)
		}
		s.html("/inside.html", reportBody)
		s.html(addr+"/col/", "<ul>"+reportLink("/own.html", "丙局2023年政府信息公开工作年度报告")+"</ul>")
		s.html("/own.html", reportBody)
		opts := siteOptions(s, t.TempDir(), "pub.test") // pub.test stands for a public host
		res := mustRun(t, opts, []crawler.Portal{
			{Name: "公网", StartURLs: []string{"http://pub.test/col/"}, AllowedDomains: []string{"pub.test", addr}, AllowPrivateNetwork: true},
			{Name: "内网", StartURLs: []string{"http://" + addr + "/col/"}, AllowPrivateNetwork: true}})
		if n := s.requested("/inside.html"); n != 0 {
			t.Errorf("private address reached %d times through a public host's redirect", n)
		}
		if p := byURL(res.Pages)["http://pub.test/r.html"]; !strings.Contains(p.Error, "non-public") {
			t.Errorf("redirected report page error %q; want a non-public refusal", p.Error)
		}
		if p := byURL(res.Pages)["http://"+addr+"/own.html"]; p.Status != 200 {
			t.Errorf("the private portal's own report: %+v", p)
		}
	})
}

// TestRun_FaultsRetriedNotPunished drives four nights on the crawler's
// clock: a transient fault (HTTP 502) is tried again the next night; a
// second faulty night backs the host off, so the third night skips it;
// RetryNow asks it anyway, and the host recovers.
func TestRun_FaultsRetriedNotPunished(t *testing.T) {
	s := newSite(t)
	var down atomic.Bool
	down.Store(true)
	s.routes["/col/"] = func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<ul>"+reportLink("/r.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	}
	s.html("/r.html", reportBody)
	now := time.Date(2026, 2, 1, 2, 0, 0, 0, time.UTC)
	opts := siteOptions(s, t.TempDir(), "a.test")
	opts.Retries = -1 // one try per night keeps the count simple
	opts.Now = func() time.Time { return now }
	ps := []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}}
	night := func(name string, wantAsked bool) *crawler.Result {
		t.Helper()
		before := s.requested(" /col/")
		res := mustRun(t, opts, ps)
		if asked := s.requested(" /col/") > before; asked != wantAsked {
			t.Errorf("%s: host asked = %v; want %v (state %+v)", name, asked, wantAsked, hostState(res, "a.test"))
		}
		return res
	}

	res := night("night 1", true)
	hs := hostState(res, "a.test")
	if hs.State != crawler.StateUnreachable || len(res.Faulted) != 1 || res.Faulted[0].Host != "a.test" {
		t.Fatalf("night 1: state %+v, faulted %+v; want a.test unreachable", hs, res.Faulted)
	}
	if next := now.Add(24 * time.Hour); !hs.RetryAfter.Before(next) {
		t.Errorf("night 1: next try %v; want before the next night %v", hs.RetryAfter, next)
	}

	now = now.Add(24 * time.Hour)
	res = night("night 2 (transient fault tried again)", true)
	hs = hostState(res, "a.test")
	if hs.State != crawler.StateUnreachable || hs.RetryAfter.Before(now.Add(36*time.Hour)) {
		t.Errorf("night 2: state %+v; want unreachable and backing off past the next night", hs)
	}

	now = now.Add(24 * time.Hour)
	res = night("night 3 (repeated fault backs off)", false)
	if len(res.Skipped) != 1 || res.Skipped[0].Host != "a.test" || len(res.Faulted) != 0 {
		t.Errorf("night 3: skipped %+v, faulted %+v; want a.test skipped", res.Skipped, res.Faulted)
	}

	down.Store(false)
	opts.RetryNow = true
	res = night("night 3 with RetryNow", true)
	if hs := hostState(res, "a.test"); hs.State != crawler.StateOK || !hs.RetryAfter.IsZero() {
		t.Errorf("after RetryNow: state %+v; want ok", hs)
	}
	if p := byURL(res.Pages)["http://a.test/r.html"]; p.Status != 200 {
		t.Errorf("after RetryNow: report %+v", p)
	}
	if len(res.Skipped)+len(res.Faulted) != 0 {
		t.Errorf("after RetryNow: skipped %+v, faulted %+v; want none", res.Skipped, res.Faulted)
	}
}
