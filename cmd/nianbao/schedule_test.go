package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
)

// TestScheduleRunsOnCron runs the real cron loop with a one-second schedule
// against the sample portal: runs happen, never overlap, and each writes a
// summary row.
func TestScheduleRunsOnCron(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the scheduler for several seconds")
	}
	p := startPortal(t)
	dir := t.TempDir()
	cfg := config.Default()
	cfg.File = "test"
	cfg.Database, cfg.Archive = filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive")
	cfg.Site = filepath.Join(dir, "site")
	cfg.Schedule = "@every 1s"
	cfg.Crawl.Delay, cfg.Crawl.Jitter = config.Duration{}, config.Duration{}
	for _, pc := range p.Portals()[:1] {
		cfg.Portals = append(cfg.Portals, config.Portal{Name: pc.Name, RegionCode: pc.RegionCode, StartURLs: pc.StartURLs, AllowedDomains: pc.AllowedDomains})
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := func() crawler.Options {
		o := crawlerOptions(cfg, log, nil)
		o.Resolve = p.Resolve()
		return o
	}
	// The scheduler runs in windows of 5 s until two nightly runs are
	// stored: a slow machine (the race detector) may fit only one in a
	// window, and the assertion is that runs repeat, not how fast.
	var out string
	for window := 0; ; window++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		done := make(chan error, 1)
		go func() { done <- scheduleLoop(ctx, cfg, false, log, opts) }()
		if window == 0 {
			// A second scheduler on the same archive refuses to start.
			time.Sleep(200 * time.Millisecond)
			if err := scheduleLoop(context.Background(), cfg, true, log, opts); err == nil || !strings.Contains(err.Error(), "another nianbao schedule is running") {
				t.Errorf("second scheduler = %v; want a refusal naming the running one", err)
			}
		}
		err := <-done
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		var stderr string
		var code int
		out, stderr, code = nianbao(t, "", "sql", "--db", cfg.Database, "--format", "csv",
			"select started_at, finished_at, status from crawl_runs where kind = 'schedule' and finished_at is not null order by started_at")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		if rows := strings.Split(strings.TrimSpace(out), "\n")[1:]; len(rows) >= 2 {
			break
		}
		if window == 5 {
			t.Fatalf("schedule rows after 6 windows of 5 s on @every 1s:\n%s\nwant at least 2", out)
		}
	}
	out, _, _ = nianbao(t, "", "sql", "--db", cfg.Database, "--format", "csv",
		"select count(*) from crawl_runs a join crawl_runs b on a.id < b.id and a.kind = 'crawl' and b.kind = 'crawl' and b.started_at < a.finished_at")
	if got := strings.TrimSpace(strings.Split(out, "\n")[1]); got != "0" {
		t.Errorf("overlapping crawl runs = %s; want 0", got)
	}
	// site: DIR — each run rebuilt the site: a page for every latest report.
	out, _, _ = nianbao(t, "", "sql", "--db", cfg.Database, "--format", "csv", "select id from latest_reports where agency_id is not null")
	ids := strings.Split(strings.TrimSpace(out), "\n")[1:]
	if len(ids) == 0 {
		t.Fatal("no reports after the scheduled runs")
	}
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join(cfg.Site, "report", id+".html")); err != nil {
			t.Errorf("site after the scheduled runs: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Site, "index.html")); err != nil {
		t.Errorf("site after the scheduled runs: %v", err)
	}
}
