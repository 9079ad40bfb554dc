package sampleportal_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nianbao/nianbao/internal/charset"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

const (
	ssList1  = "http://" + sampleportal.HostSitesources + "/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/list1.html"
	trsIndex = "http://" + sampleportal.HostTRS + "/zwgk/zfxxgk/zfxxgknb/index.html"
)

// tlsClient trusts nothing but the system roots unless insecure is set.
func tlsClient(p *sampleportal.Portal, insecure bool) *http.Client {
	c := client(p, false)
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: insecure} //nolint:gosec // self-signed test server
	return c
}

func TestSet_Statuses(t *testing.T) {
	tests := []struct {
		name  string
		b     sampleportal.Behaviour
		url   string
		ua    string
		want  []int  // statuses of successive requests
		body  string // substring of the last body
		hdr   string // header that must be set on the first response
		hdrIs string
	}{
		{"502 first two", sampleportal.Behaviour{Fail502First: 2}, trsIndex, "", []int{502, 502, 200}, "浉", "", ""},
		{"502 always", sampleportal.Behaviour{Status502Rate: 1}, trsIndex, "", []int{502, 502}, "502 Bad Gateway", "", ""},
		{"429 retry-after", sampleportal.Behaviour{Fail429First: 1, RetryAfter: 3}, ssList1, "", []int{429, 200}, "hap_infoBox", "Retry-After", "3"},
		{"521 js cookie", sampleportal.Behaviour{WAF: sampleportal.WAF521}, ssList1, "", []int{521, 521}, "sl_clearance_s", "Set-Cookie", "__jsluid_s="},
		{"412 after K", sampleportal.Behaviour{WAF: sampleportal.WAF412, WAFAfter: 2}, ssList1, "", []int{200, 200, 412, 412}, "http-equiv=\"refresh\"", "", ""},
		{"enable javascript", sampleportal.Behaviour{WAF: sampleportal.WAFEnableJS}, ssList1, "", []int{200}, "enable JavaScript", "", ""},
		{"yunfanghu go client", sampleportal.Behaviour{WAF: sampleportal.WAFCloud403}, ssList1, "Go-http-client/1.1", []int{403}, "403 - 云防护", "", ""},
		{"yunfanghu python", sampleportal.Behaviour{WAF: sampleportal.WAFCloud403}, ssList1, "python-requests/2.31", []int{403}, "云防护", "", ""},
		{"yunfanghu honest ua passes", sampleportal.Behaviour{WAF: sampleportal.WAFCloud403}, ssList1, "nianbao/0.1 (+https://example.org/contact)", []int{200}, "hap_infoBox", "", ""},
		{"block all", sampleportal.Behaviour{WAF: sampleportal.WAFBlockAll}, ssList1, "", []int{403}, "403", "", ""},
		{"soft 404 page", sampleportal.Behaviour{SoftNotFound: sampleportal.SoftPage200}, "http://" + sampleportal.HostTRS + "/zwgk/nosuch/", "", []int{200}, "页面不存在", "", ""},
		{"soft 404 existing", sampleportal.Behaviour{SoftNotFound: sampleportal.SoftPage200}, trsIndex, "", []int{200}, "createPageHTML", "", ""},
		{"redirect home", sampleportal.Behaviour{SoftNotFound: sampleportal.SoftRedirectHome}, "http://" + sampleportal.HostTRS + "/zwgk/2031n/", "", []int{302}, "", "Location", "/"},
		{"spa shell missing", sampleportal.Behaviour{SoftNotFound: sampleportal.SoftSPAShell}, "http://" + sampleportal.HostTRS + "/nosuch", "", []int{200}, `<div id="app"></div>`, "", ""},
		{"spa shell existing", sampleportal.Behaviour{SoftNotFound: sampleportal.SoftSPAShell}, trsIndex, "", []int{200}, `<div id="app"></div>`, "", ""},
		{"real 404", sampleportal.Behaviour{}, "http://" + sampleportal.HostTRS + "/nosuch", "", []int{404}, "404 Not Found", "", ""},
		{"http to https", sampleportal.Behaviour{TLS: sampleportal.TLSUpgrade}, trsIndex, "", []int{301}, "", "Location", "https://" + sampleportal.HostTRS + "/zwgk/"},
		{"move after one", sampleportal.Behaviour{MoveTo: "www.newtrs.mock.gov.test", MoveAfter: 1}, trsIndex, "", []int{200, 301}, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := start(t, sampleportal.Options{})
			host := strings.Split(strings.TrimPrefix(tc.url, "http://"), "/")[0]
			p.Set(host, tc.b)
			ua := tc.ua
			if ua == "" {
				ua = "nianbao-test/0.1"
			}
			var last fetched
			for i, want := range tc.want {
				last = get(t, c, tc.url, "User-Agent", ua)
				if last.status != want {
					t.Fatalf("request %d: status %d; want %d (body %.200q)", i+1, last.status, want, last.body)
				}
				if i == 0 && tc.hdr != "" && !strings.HasPrefix(last.header.Get(tc.hdr), tc.hdrIs) {
					t.Errorf("%s = %q; want prefix %q", tc.hdr, last.header.Get(tc.hdr), tc.hdrIs)
				}
			}
			text, _ := charset.Decode(last.body, last.header.Get("Content-Type"))
			if !strings.Contains(string(text), tc.body) {
				t.Errorf("body %.300q does not contain %q", text, tc.body)
			}
			if got := p.Requests(host); got != len(tc.want) {
				t.Errorf("Requests(%s) = %d; want %d", host, got, len(tc.want))
			}
		})
	}
}

func TestSet_WAF521PassesWithClearanceCookie(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	p.Set(sampleportal.HostSitesources, sampleportal.Behaviour{WAF: sampleportal.WAF521})
	if f := get(t, c, ssList1, "Cookie", "__jsl_clearance_s=1732860000.123|0|x"); f.status != http.StatusOK {
		t.Errorf("with clearance cookie: status %d; want 200", f.status)
	}
}

func TestSet_Latency(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	p.Set(sampleportal.HostTRS, sampleportal.Behaviour{Latency: 150 * time.Millisecond})
	t0 := time.Now()
	get(t, c, trsIndex)
	if d := time.Since(t0); d < 150*time.Millisecond {
		t.Errorf("response after %v; want ≥ 150ms", d)
	}
	t0 = time.Now()
	get(t, c, ssList1)
	if d := time.Since(t0); d > 100*time.Millisecond {
		t.Errorf("other host answered after %v; want no latency", d)
	}
}

func TestSet_ResetMidBody(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	p.Set(sampleportal.HostTRS, sampleportal.Behaviour{ResetFirst: 1})
	resp, err := c.Get(trsIndex)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("first response read completely; want a reset mid-body")
	}
	if f := get(t, c, trsIndex); f.status != http.StatusOK {
		t.Errorf("second request: status %d; want 200", f.status)
	}
}

func TestSet_Robots(t *testing.T) {
	tests := []struct {
		name   string
		b      sampleportal.Behaviour
		status int
		body   string
	}{
		{"site default", sampleportal.Behaviour{}, 200, "Disallow: /search/"},
		{"disallow all", sampleportal.Behaviour{Robots: sampleportal.RobotsDisallowAll}, 200, "Disallow: /\n"},
		{"404", sampleportal.Behaviour{Robots: sampleportal.RobotsNotFound}, 404, ""},
		{"soft 404", sampleportal.Behaviour{Robots: sampleportal.RobotsSoft404}, 200, "页面不存在"},
		{"one path", sampleportal.Behaviour{Robots: sampleportal.RobotsDisallowOne, RobotsDisallowPath: "/zwgk/zfxxgk/zfxxgknb/2019/"}, 200, "Disallow: /zwgk/zfxxgk/zfxxgknb/2019/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := start(t, sampleportal.Options{})
			p.Set(sampleportal.HostTRS, tc.b)
			f := get(t, c, "http://"+sampleportal.HostTRS+"/robots.txt")
			if f.status != tc.status || !strings.Contains(string(f.body), tc.body) {
				t.Errorf("robots.txt = %d %q; want %d containing %q", f.status, f.body, tc.status, tc.body)
			}
		})
	}
	p, c := start(t, sampleportal.Options{})
	if f := get(t, c, "http://"+sampleportal.HostSitesources+"/robots.txt"); f.status != http.StatusNotFound {
		t.Errorf("sitesources robots.txt = %d; want 404 (most portals have none)", f.status)
	}
	_ = p
}

func TestSet_TLS(t *testing.T) {
	trsHTTPS := "https://" + sampleportal.HostTRS + "/zwgk/zfxxgk/zfxxgknb/index.html"
	t.Run("self-signed refused by a verifying client", func(t *testing.T) {
		p, _ := start(t, sampleportal.Options{})
		_, err := tlsClient(p, false).Get(trsHTTPS)
		var certErr *tls.CertificateVerificationError
		if !errors.As(err, &certErr) {
			t.Errorf("GET %s: err %v; want a certificate verification error", trsHTTPS, err)
		}
	})
	t.Run("upgrade serves content over https", func(t *testing.T) {
		p, _ := start(t, sampleportal.Options{})
		p.Set(sampleportal.HostTRS, sampleportal.Behaviour{TLS: sampleportal.TLSUpgrade})
		if f := get(t, tlsClient(p, true), trsHTTPS); f.status != 200 || !strings.Contains(string(f.body), "createPageHTML") {
			t.Errorf("https status %d; want the list page", f.status)
		}
	})
	t.Run("upgrade to a broken https path", func(t *testing.T) {
		p, c := start(t, sampleportal.Options{})
		p.Set(sampleportal.HostTRS, sampleportal.Behaviour{TLS: sampleportal.TLSUpgradeBroken})
		if f := get(t, c, trsIndex); f.status != 301 || !strings.HasPrefix(f.header.Get("Location"), "https://") {
			t.Errorf("http: %d Location %q; want 301 to https", f.status, f.header.Get("Location"))
		}
		if f := get(t, tlsClient(p, true), trsHTTPS); f.status != 404 {
			t.Errorf("https: %d; want 404", f.status)
		}
	})
	t.Run("handshake fails", func(t *testing.T) {
		p, c := start(t, sampleportal.Options{})
		p.Set(sampleportal.HostTRS, sampleportal.Behaviour{TLS: sampleportal.TLSHandshakeFail})
		if _, err := tlsClient(p, true).Get(trsHTTPS); err == nil {
			t.Errorf("GET %s succeeded; want a handshake failure", trsHTTPS)
		}
		if f := get(t, c, trsIndex); f.status != 200 {
			t.Errorf("http still answers %d; want 200", f.status)
		}
	})
	t.Run("https 502 http fine", func(t *testing.T) {
		p, c := start(t, sampleportal.Options{})
		p.Set(sampleportal.HostTRS, sampleportal.Behaviour{TLS: sampleportal.TLS502})
		if f := get(t, tlsClient(p, true), trsHTTPS); f.status != 502 {
			t.Errorf("https: %d; want 502", f.status)
		}
		if f := get(t, c, trsIndex); f.status != 200 {
			t.Errorf("http: %d; want 200", f.status)
		}
	})
}

func TestSet_DomainMove(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	const newHost = "www.newxxmyq.mock.gov.test"
	p.Set(sampleportal.HostSitesources, sampleportal.Behaviour{MoveTo: newHost, MoveAfter: 2})
	if _, ok := p.Resolve()[newHost]; !ok {
		t.Fatalf("Resolve() lacks the new host %s", newHost)
	}
	get(t, c, ssList1)
	get(t, c, ssList1)
	f := get(t, c, ssList1)
	want := strings.Replace(ssList1, sampleportal.HostSitesources, newHost, 1)
	if f.status != http.StatusMovedPermanently || f.header.Get("Location") != want {
		t.Fatalf("third request: %d Location %q; want 301 to %s", f.status, f.header.Get("Location"), want)
	}
	if g := get(t, c, want); g.status != 200 || !strings.Contains(string(g.body), "hap_infoBox") {
		t.Errorf("GET %s = %d; want the same list", want, g.status)
	}
}

func TestSet_CharsetTraps(t *testing.T) {
	tests := []struct {
		name     string
		trap     sampleportal.CharsetTrap
		ctype    string
		metaFrom int // minimum byte offset of the meta charset; -1: none
	}{
		{"meta only", sampleportal.CharsetAsBuilt, "text/html", 0},
		{"header utf-8 over gbk", sampleportal.CharsetHeaderUTF8, "text/html; charset=utf-8", 0},
		{"meta after 1024 bytes", sampleportal.CharsetMetaLate, "text/html", 1024},
		{"no hints", sampleportal.CharsetNoHints, "text/html", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := start(t, sampleportal.Options{})
			p.Set(sampleportal.HostTRS, sampleportal.Behaviour{Charset: tc.trap})
			f := get(t, c, trsIndex)
			if got := f.header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q; want %q", got, tc.ctype)
			}
			if utf8.Valid(f.body) {
				t.Errorf("body is valid UTF-8; want GBK bytes")
			}
			i := strings.Index(string(f.body), "charset=gb2312")
			switch {
			case tc.metaFrom < 0 && i >= 0:
				t.Errorf("meta charset at %d; want none", i)
			case tc.metaFrom >= 0 && i < tc.metaFrom:
				t.Errorf("meta charset at %d; want ≥ %d", i, tc.metaFrom)
			}
			text, _ := charset.Decode(f.body, f.header.Get("Content-Type"))
			if !strings.Contains(string(text), "信阳市浉河区人民政府") {
				t.Errorf("decoded page lacks 信阳市浉河区人民政府 (浉 is GBK-only)")
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	first := get(t, c, trsIndex)
	etag, lm := first.header.Get("ETag"), first.header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q Last-Modified %q; want both", etag, lm)
	}
	if f := get(t, c, trsIndex, "If-None-Match", etag); f.status != http.StatusNotModified || len(f.body) != 0 {
		t.Errorf("If-None-Match: %d with %d bytes; want 304 and no body", f.status, len(f.body))
	}
	if f := get(t, c, trsIndex, "If-Modified-Since", lm); f.status != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d; want 304", f.status)
	}
	if f := get(t, c, trsIndex, "If-None-Match", `"other"`); f.status != http.StatusOK {
		t.Errorf("stale If-None-Match: %d; want 200", f.status)
	}
	p.Set(sampleportal.HostTRS, sampleportal.Behaviour{NoValidators: true})
	if f := get(t, c, trsIndex, "If-None-Match", etag); f.status != http.StatusOK || f.header.Get("ETag") != "" {
		t.Errorf("NoValidators: %d ETag %q; want 200 without ETag", f.status, f.header.Get("ETag"))
	}
}

func TestLog_RecordsHeaders(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	get(t, c, trsIndex, "Referer", "http://"+sampleportal.HostTRS+"/", "User-Agent", "nianbao/0.1")
	log := p.Log()
	if len(log) != 1 {
		t.Fatalf("Log() has %d entries; want 1", len(log))
	}
	r := log[0]
	if r.Host != sampleportal.HostTRS || r.Path != "/zwgk/zfxxgk/zfxxgknb/index.html" || r.Status != 200 ||
		r.Header.Get("User-Agent") != "nianbao/0.1" || r.Header.Get("Referer") == "" || r.Time.IsZero() {
		t.Errorf("Log()[0] = %+v", r)
	}
	p.ResetLog()
	if len(p.Log()) != 0 || p.Requests(sampleportal.HostTRS) != 0 {
		t.Errorf("ResetLog left %d entries", len(p.Log()))
	}
}

// dialerCheck guards against a portal address outside loopback.
func TestResolve_Loopback(t *testing.T) {
	p, _ := start(t, sampleportal.Options{})
	res := p.Resolve()
	for _, h := range []string{sampleportal.HostSitesources, sampleportal.HostTRS, sampleportal.HostOffDomain} {
		a, ok := res[h]
		if !ok {
			t.Errorf("Resolve() lacks %s", h)
			continue
		}
		host, _, err := net.SplitHostPort(a)
		if err != nil || host != "127.0.0.1" {
			t.Errorf("Resolve()[%s] = %q; want 127.0.0.1:port", h, a)
		}
	}
	_ = context.Background
}
