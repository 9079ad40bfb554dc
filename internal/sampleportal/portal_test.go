package sampleportal_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

// start runs a portal for the test and a client that dials the fake hosts
// through Resolve, so nothing leaves 127.0.0.1.
func start(t *testing.T, opts sampleportal.Options) (*sampleportal.Portal, *http.Client) {
	t.Helper()
	p, err := sampleportal.Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(p.Close)
	return p, client(p, false)
}

func client(p *sampleportal.Portal, follow bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			res := p.Resolve()
			if a, ok := res[addr]; ok {
				return d.DialContext(ctx, network, a)
			}
			host, _, _ := net.SplitHostPort(addr)
			if a, ok := res[host]; ok {
				return d.DialContext(ctx, network, a)
			}
			return nil, &net.AddrError{Err: "host not in sample portal", Addr: addr}
		},
		DisableCompression: true,
	}
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

type fetched struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, c *http.Client, url string, hdr ...string) fetched {
	t.Helper()
	return do(t, c, http.MethodGet, url, nil, hdr...)
}

// do sends one request with header pairs hdr and reads the whole answer.
func do(t *testing.T, c *http.Client, method, url string, body io.Reader, hdr ...string) fetched {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatalf("new request %s: %v", url, err)
	}
	req.Header.Set("User-Agent", "nianbao-test/0.1 (+https://example.org/contact)")
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return fetched{resp.StatusCode, resp.Header, b}
}

func TestStart_StartURLsAnswer(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	for _, pc := range p.Portals() {
		for _, u := range pc.StartURLs {
			t.Run(pc.Family, func(t *testing.T) {
				f := get(t, c, u)
				if f.status != http.StatusOK {
					t.Fatalf("GET %s = %d; want 200", u, f.status)
				}
				if !strings.Contains(string(f.body), "<html") {
					t.Errorf("GET %s: body is not HTML: %.200q", u, f.body)
				}
			})
		}
	}
}

func TestOptions_Families(t *testing.T) {
	p, c := start(t, sampleportal.Options{Families: []string{"trs"}})
	if pcs := p.Portals(); len(pcs) != 1 || pcs[0].Family != "trs" {
		t.Fatalf("Portals() = %+v; want only the TRS portal", pcs)
	}
	for _, r := range p.Reports() {
		if !strings.Contains(r.URL, sampleportal.HostTRS) {
			t.Errorf("report %s outside the TRS site", r.URL)
		}
	}
	if _, ok := p.Resolve()[sampleportal.HostSitesources]; ok {
		t.Errorf("Resolve() names %s; want only served hosts", sampleportal.HostSitesources)
	}
	if f := get(t, c, trsIndex); f.status != http.StatusOK {
		t.Errorf("TRS list = %d; want 200", f.status)
	}
}

// TestConcurrentUse fetches from several goroutines while the night turns
// and behaviours switch; run with -race.
func TestConcurrentUse(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	urls := []string{}
	for _, r := range p.Reports()[:20] {
		urls = append(urls, r.URL)
	}
	done := make(chan struct{})
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for i := 0; i < 30; i++ {
				resp, err := c.Get(urls[(i*7+w)%len(urls)])
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			errs <- nil
		}()
	}
	go func() {
		defer close(done)
		p.NextNight()
		p.Set(sampleportal.HostTRS, sampleportal.Behaviour{Latency: time.Millisecond})
		_ = p.Reports()
		_ = p.Log()
	}()
	for w := 0; w < 4; w++ {
		if err := <-errs; err != nil {
			t.Errorf("GET during NextNight: %v", err)
		}
	}
	<-done
	if n := len(p.Log()); n != 4*30 {
		t.Errorf("Log() has %d entries; want %d", n, 4*30)
	}
}
