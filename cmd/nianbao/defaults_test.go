package main

import (
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
)

// TestConfigDefaultsAreTheCrawlers: a config that sets nothing but a portal
// crawls exactly as the crawler's own defaults would. Each default is
// defined once (crawler.Default*); this fails when config grows its own.
func TestConfigDefaultsAreTheCrawlers(t *testing.T) {
	cfg, err := config.Parse("n.yaml", []byte("portals:\n  - name: x\n    start_urls: [\"http://a.gov.cn/col/\"]\n    user_agent: \"nianbao/0.1 (+mailto:lab@example.org)\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	got := crawlerOptions(cfg, log, nil)
	want := crawler.Options{ArchiveDir: got.ArchiveDir, Logger: log}.WithDefaults()
	got = got.WithDefaults()
	got.Now, want.Now = nil, nil // functions never compare equal
	if !reflect.DeepEqual(got, want) {
		t.Errorf("options from a config that sets nothing:\n%+v\nwant the crawler's defaults:\n%+v", got, want)
	}
	ps, err := crawlerPortals(cfg.Portals)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].MaxPages != crawler.DefaultMaxPages {
		t.Errorf("max_pages unset maps to %d; want crawler.DefaultMaxPages %d", ps[0].MaxPages, crawler.DefaultMaxPages)
	}
	if cfg.Crawl.UserAgent != crawler.DefaultUserAgent || cfg.Crawl.Retries != crawler.DefaultRetries {
		t.Errorf("config defaults user_agent %q, retries %d; want the crawler's %q, %d",
			cfg.Crawl.UserAgent, cfg.Crawl.Retries, crawler.DefaultUserAgent, crawler.DefaultRetries)
	}
	// Every family config accepts, the crawler accepts, and no other.
	for _, f := range append(crawler.Families(), "wordpress") {
		_, cerr := config.Parse("n.yaml", []byte("portals:\n  - name: x\n    family: "+f+"\n    start_urls: [\"http://a.gov.cn/col/\"]\n"))
		_, rerr := crawler.Run(t.Context(), crawler.Options{ArchiveDir: t.TempDir(), Delay: -1, Retries: -1, Resolve: map[string]string{}},
			[]crawler.Portal{{Name: "x", Family: f, StartURLs: []string{"http://a.gov.cn/col/"}}})
		if (cerr == nil) != (rerr == nil) || (f == "wordpress") != (cerr != nil) {
			t.Errorf("family %q: config says %v, crawler says %v; want both to accept exactly crawler.Families()", f, cerr, rerr)
		}
	}
}
