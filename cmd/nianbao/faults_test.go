package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestCrawlFaultRetriedNotPunished: a portal whose host fails (HTTP 502) is
// recorded as a partial run naming the host, `crawl` exits 1 when no host
// could be asked, `status` shows the host's next try; a manual crawl before
// then skips the host and says how to override; `crawl --retry-now` asks it,
// and the run is ok again.
func TestCrawlFaultRetriedNotPunished(t *testing.T) {
	var down atomic.Bool
	var requests atomic.Int64
	down.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if down.Load() {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/nb/":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>年报</title></head><body><ul><li><a href="/nb/r.html" title="甲局2023年政府信息公开工作年度报告">甲局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li></ul></body></html>`)
		case "/nb/r.html":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>甲局2023年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	dir := t.TempDir()
	file := filepath.Join(dir, "n.yaml")
	yml := fmt.Sprintf("database: %s\narchive: %s\ncrawl: {delay: 0s, retries: 0}\nportals:\n  - name: 镜像\n    start_urls: [%q]\n    allow_private_network: true\n",
		filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive"), srv.URL+"/nb/")
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	lastRun := func() string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "sql", "--config", file, "--format", "csv",
			"select status || '|' || coalesce(note, '') as s from crawl_runs where kind = 'crawl' order by id desc limit 1")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("sql csv %q: %v", out, err)
		}
		return recs[1][0]
	}
	hostRow := func() []string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "status", "--config", file, "--format", "csv")
		if code != 0 {
			t.Fatalf("status: %s", stderr)
		}
		for _, r := range statusBlock(t, out, "host") {
			if r[0] == host {
				return r
			}
		}
		t.Fatalf("status lists no host %s:\n%s", host, out)
		return nil
	}

	// Night 1: the host fails.
	stdout, stderr, code := nianbao(t, "", "crawl", "--config", file)
	if code != exitError || !strings.Contains(stdout, host+" failed: unreachable") || !strings.Contains(stdout, "run recorded as partial") {
		t.Errorf("crawl of a failing host: exit %d\n%s\n%s\nwant exit 1, the host named, the run partial", code, stdout, stderr)
	}
	if run := lastRun(); !strings.HasPrefix(run, "partial|") || !strings.Contains(run, host) {
		t.Errorf("crawl_runs row %q; want status partial naming %s", run, host)
	}
	row := hostRow()
	next, err := time.Parse(time.RFC3339, row[3])
	if row[1] != "unreachable" || err != nil || next.After(time.Now().Add(24*time.Hour)) || next.Before(time.Now().Add(12*time.Hour)) {
		t.Errorf("status host row %q; want unreachable with a next try the next night", row)
	}

	// A manual crawl before the next try skips the host, and says how to override.
	down.Store(false)
	before := requests.Load()
	stdout, stderr, code = nianbao(t, "", "crawl", "--config", file)
	if code != exitError || requests.Load() != before || !strings.Contains(stdout, host+" skipped") || !strings.Contains(stderr, "Try: nianbao crawl --retry-now") {
		t.Errorf("crawl while backing off: exit %d, %d requests\n%s\n%s\nwant exit 1, no request, the skip and the --retry-now hint",
			code, requests.Load()-before, stdout, stderr)
	}
	if run := lastRun(); !strings.HasPrefix(run, "partial|") {
		t.Errorf("crawl_runs row %q; want partial", run)
	}

	// --retry-now asks it now.
	stdout, stderr, code = nianbao(t, "", "crawl", "--config", file, "--retry-now")
	if code != 0 || !strings.Contains(stdout, "1 report pages, 0 errors") {
		t.Errorf("crawl --retry-now: exit %d\n%s\n%s\nwant the report fetched", code, stdout, stderr)
	}
	if run := lastRun(); !strings.HasPrefix(run, "ok|") {
		t.Errorf("crawl_runs row %q after --retry-now; want ok", run)
	}
	if row := hostRow(); row[1] != "ok" || row[3] != "next run" {
		t.Errorf("status host row %q after --retry-now; want ok, next run", row)
	}

	// A scheduled night in which the host fails goes on (exit 0) and is
	// recorded partial, naming the host.
	down.Store(true)
	stdout, stderr, code = nianbao(t, "", "schedule", "--once", "--config", file)
	if code != 0 {
		t.Errorf("schedule --once with a failing host: exit %d\n%s\n%s\nwant 0: the night goes on", code, stdout, stderr)
	}
	out, _, _ := nianbao(t, "", "sql", "--config", file, "--format", "csv",
		"select status || '|' || note as s from crawl_runs where kind = 'schedule' order by id desc limit 1")
	if !strings.Contains(out, "partial|") || !strings.Contains(out, host+" failed: unreachable") {
		t.Errorf("schedule row %q; want partial naming %s", out, host)
	}
}
