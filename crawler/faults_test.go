package crawler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

func hostState(res *crawler.Result, host string) crawler.HostState {
	for _, h := range res.Hosts {
		if h.Host == host {
			return h
		}
	}
	return crawler.HostState{}
}

// reportsOf counts the fetched, error-free report pages of host.
func reportsOf(res *crawler.Result, host string) int {
	n := 0
	for _, p := range res.Pages {
		if p.Kind == crawler.KindReport && p.Error == "" && p.Status == 200 && strings.Contains(p.URL, "://"+host+"/") {
			n++
		}
	}
	return n
}

func expectedOf(sp *sampleportal.Portal, host string) int {
	n := 0
	for _, r := range sp.Reports() {
		if strings.Contains(r.URL, "://"+host+"/") {
			n++
		}
	}
	return n
}

// TestRun_Faults switches one server behaviour on per case and checks the
// host's recorded state: blocked / moved / unreachable, never "no reports";
// recoverable faults (a 502, a reset, a 429) are retried through.
func TestRun_Faults(t *testing.T) {
	const ss, trs = sampleportal.HostSitesources, sampleportal.HostTRS
	cases := []struct {
		name     string
		host     string
		b        sampleportal.Behaviour
		portals  func([]crawler.Portal) []crawler.Portal
		state    string // want host state
		complete bool   // every report of the host still fetched
		maxReq   int    // at most this many requests to the host (0: no limit)
	}{
		{name: "502 once then fine", host: ss, b: sampleportal.Behaviour{Fail502First: 2}, state: crawler.StateOK, complete: true},
		{name: "reset mid-body once", host: trs, b: sampleportal.Behaviour{ResetFirst: 2}, state: crawler.StateOK, complete: true},
		{name: "429 with Retry-After", host: ss, b: sampleportal.Behaviour{Fail429First: 1, RetryAfter: 1}, state: crawler.StateOK, complete: true},
		{name: "502 for good", host: ss, b: sampleportal.Behaviour{Status502Rate: 1}, state: crawler.StateUnreachable, maxReq: 4},
		{name: "WAF 521 JS cookie stub", host: ss, b: sampleportal.Behaviour{WAF: sampleportal.WAF521}, state: crawler.StateBlocked, maxReq: 2},
		{name: "WAF 412 after some requests", host: ss, b: sampleportal.Behaviour{WAF: sampleportal.WAF412, WAFAfter: 6}, state: crawler.StateBlocked, maxReq: 7},
		{name: "WAF 200 enable JavaScript", host: trs, b: sampleportal.Behaviour{WAF: sampleportal.WAFEnableJS}, state: crawler.StateBlocked, maxReq: 2},
		{name: "WAF block all 403", host: trs, b: sampleportal.Behaviour{WAF: sampleportal.WAFBlockAll}, state: crawler.StateBlocked, maxReq: 2},
		{name: "cloud 403 spares an honest UA", host: trs, b: sampleportal.Behaviour{WAF: sampleportal.WAFCloud403}, state: crawler.StateOK, complete: true},
		{name: "cloud 403 blocks a library UA", host: trs, b: sampleportal.Behaviour{WAF: sampleportal.WAFCloud403},
			portals: func(ps []crawler.Portal) []crawler.Portal {
				for i := range ps {
					ps[i].UserAgent = "Go-http-client/1.1"
				}
				return ps
			}, state: crawler.StateBlocked, maxReq: 2},
		{name: "robots disallow all", host: ss, b: sampleportal.Behaviour{Robots: sampleportal.RobotsDisallowAll}, state: crawler.StateRobotsDisallowed, maxReq: 1},
		{name: "robots 404", host: ss, b: sampleportal.Behaviour{Robots: sampleportal.RobotsNotFound}, state: crawler.StateOK, complete: true},
		{name: "robots soft 404 html", host: ss, b: sampleportal.Behaviour{Robots: sampleportal.RobotsSoft404}, state: crawler.StateOK, complete: true},
		{name: "SPA shell for every path", host: ss, b: sampleportal.Behaviour{SoftNotFound: sampleportal.SoftSPAShell}, state: crawler.StateMoved, maxReq: 2},
		{name: "soft 404 page for a missing column", host: ss, b: sampleportal.Behaviour{SoftNotFound: sampleportal.SoftPage200},
			portals: missingColumn(ss), state: crawler.StateMoved, maxReq: 2},
		{name: "redirect home for a missing column", host: ss, b: sampleportal.Behaviour{SoftNotFound: sampleportal.SoftRedirectHome},
			portals: missingColumn(ss), state: crawler.StateMoved, maxReq: 4},
		{name: "real 404 for a missing column", host: ss, portals: missingColumn(ss), state: crawler.StateMoved, maxReq: 2},
		{name: "domain move to a host not allowed", host: ss, b: sampleportal.Behaviour{MoveTo: "new.xxmyq.mock.gov.test", MoveAfter: 1},
			state: crawler.StateMoved, maxReq: 2},
		{name: "domain move to an allowed host", host: ss, b: sampleportal.Behaviour{MoveTo: "new.xxmyq.mock.gov.test", MoveAfter: 1},
			portals: func(ps []crawler.Portal) []crawler.Portal {
				for i := range ps {
					ps[i].AllowedDomains = append(ps[i].AllowedDomains, "new.xxmyq.mock.gov.test")
				}
				return ps
			}, state: crawler.StateOK},
		{name: "TLS handshake fails", host: ss, b: sampleportal.Behaviour{TLS: sampleportal.TLSHandshakeFail}, portals: httpsStart(ss),
			state: crawler.StateUnreachable},
		{name: "http upgrades to self-signed https", host: ss, b: sampleportal.Behaviour{TLS: sampleportal.TLSUpgrade},
			state: crawler.StateUnreachable, maxReq: 2},
		{name: "https 502 while http works", host: ss, b: sampleportal.Behaviour{TLS: sampleportal.TLS502}, state: crawler.StateOK, complete: true},
		{name: "charset header utf-8 over GBK", host: trs, b: sampleportal.Behaviour{Charset: sampleportal.CharsetHeaderUTF8}, state: crawler.StateOK, complete: true},
		{name: "charset meta after 1 KiB", host: trs, b: sampleportal.Behaviour{Charset: sampleportal.CharsetMetaLate}, state: crawler.StateOK, complete: true},
		{name: "charset nowhere", host: trs, b: sampleportal.Behaviour{Charset: sampleportal.CharsetNoHints}, state: crawler.StateOK, complete: true},
		{name: "no validators", host: ss, b: sampleportal.Behaviour{NoValidators: true}, state: crawler.StateOK, complete: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			family := map[string]string{ss: "sitesources", trs: "trs"}[tc.host]
			sp, ps := startSample(t, sampleportal.Options{Families: []string{family}})
			sp.Set(tc.host, tc.b)
			if tc.portals != nil {
				ps = tc.portals(ps)
			}
			dir := t.TempDir()
			opts := fastOptions(sp, dir)
			opts.Resolve = sp.Resolve()
			res := mustRun(t, opts, ps)
			hs := hostState(res, tc.host)
			if hs.State != tc.state {
				t.Errorf("host %s state %q (%s); want %q", tc.host, hs.State, hs.Detail, tc.state)
			}
			got, want := reportsOf(res, tc.host), expectedOf(sp, tc.host)
			if strings.Contains(tc.name, "allowed host") {
				got += reportsOf(res, "new.xxmyq.mock.gov.test")
				if got < want {
					t.Errorf("after the move %d of %d reports fetched", got, want)
				}
			}
			if tc.complete && got != want {
				t.Errorf("%d of %d reports fetched", got, want)
			}
			if n := sp.Requests(tc.host); tc.maxReq > 0 && n > tc.maxReq {
				for _, r := range sp.Log() {
					t.Logf("%s %s%s %d", r.Method, r.Host, r.Path, r.Status)
				}
				t.Errorf("%d requests to %s; want at most %d (stop at the fault)", n, tc.host, tc.maxReq)
			}
			for _, p := range res.Pages {
				if strings.Contains(p.URL, "://"+tc.host+"/") && p.Kind == crawler.KindReport && p.Charset != "" && strings.ContainsRune(p.Title, '\uFFFD') {
					t.Errorf("mojibake title %q on %s", p.Title, p.URL)
				}
				if strings.Contains(p.URL, "://"+trs+"/") && tc.host == trs && p.Kind == crawler.KindReport && p.Error == "" && !strings.Contains(p.Title, "浉河区") {
					t.Errorf("TRS title %q not decoded (charset %s)", p.Title, p.Charset)
				}
			}
			if tc.state == crawler.StateOK {
				return
			}
			if len(res.Faulted) == 0 || res.Faulted[0].Host != tc.host {
				t.Errorf("Result.Faulted = %+v; want %s", res.Faulted, tc.host)
			}
			// The next night: a block backs off (no request); a fault that
			// may pass (unreachable, moved) is tried again.
			sp.ResetLog()
			opts.Now = func() time.Time { return time.Now().Add(24 * time.Hour) }
			res2 := mustRun(t, opts, ps)
			n := sp.Requests(tc.host)
			switch tc.state {
			case crawler.StateBlocked:
				if n != 0 || len(res2.Skipped) != 1 || res2.Skipped[0].Host != tc.host {
					t.Errorf("next night sent %d requests to blocked %s (skipped %+v); want a back-off", n, tc.host, res2.Skipped)
				}
			case crawler.StateUnreachable, crawler.StateMoved:
				// Tried again (a TLS failure logs no request at the server).
				if len(res2.Skipped) != 0 || n == 0 && len(res2.Faulted) == 0 {
					t.Errorf("next night skipped %+v, faulted %+v (%d requests); want %s (%s once) tried again",
						res2.Skipped, res2.Faulted, n, tc.host, tc.state)
				}
			}
			if hs2 := hostState(res2, tc.host); hs2.State != tc.state {
				t.Errorf("next night state %q; want %q kept", hs2.State, tc.state)
			}
		})
	}
}

func missingColumn(host string) func([]crawler.Portal) []crawler.Portal {
	return func(ps []crawler.Portal) []crawler.Portal {
		for i := range ps {
			for j, s := range ps[i].StartURLs {
				if strings.Contains(s, "://"+host+"/") {
					ps[i].StartURLs[j] = "http://" + host + "/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb2099/list1.html"
				}
			}
		}
		return ps
	}
}

func httpsStart(host string) func([]crawler.Portal) []crawler.Portal {
	return func(ps []crawler.Portal) []crawler.Portal {
		for i := range ps {
			for j, s := range ps[i].StartURLs {
				ps[i].StartURLs[j] = strings.Replace(s, "http://"+host+"/", "https://"+host+"/", 1)
			}
		}
		return ps
	}
}
