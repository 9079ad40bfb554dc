package crawler_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// childEnv carries the crawl a child process runs for the SIGKILL test.
const childEnv = "NIANBAO_CRAWLER_CHILD"

type childConfig struct {
	ArchiveDir string
	Resolve    map[string]string
	Portals    []crawler.Portal
}

// TestHelperChildCrawl is not a test: it is the child process of
// TestRun_ResumeAfterSIGKILL, crawling with politeness delays until killed.
func TestHelperChildCrawl(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("helper process only")
	}
	var cfg childConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	opts := crawler.Options{ArchiveDir: cfg.ArchiveDir, Resolve: cfg.Resolve, Delay: 25 * time.Millisecond, Jitter: -1, Timeout: 5 * time.Second}
	if _, err := crawler.Run(context.Background(), opts, cfg.Portals); err != nil {
		t.Fatal(err)
	}
}

// journaled reads the URLs of every page journaled so far in dir.
func journaled(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "runs", "*", "journal.jsonl"))
	var urls []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var l struct{ Page crawler.Page }
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				urls = append(urls, l.Page.Method+" "+l.Page.URL)
			}
		}
		fh.Close()
	}
	return urls
}

func TestRun_ResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	sp, ps := startSample(t, sampleportal.Options{})
	dir := t.TempDir()
	cfg, _ := json.Marshal(childConfig{ArchiveDir: dir, Resolve: sp.Resolve(), Portals: ps})
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChildCrawl$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+string(cfg))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(journaled(t, dir)) < 20 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child journaled too little before the deadline")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to flush anything
		t.Fatal(err)
	}
	_ = cmd.Wait()
	before := journaled(t, dir)
	sp.ResetLog()

	res := mustRun(t, fastOptions(sp, dir), ps)
	if !res.Resumed {
		t.Error("second run did not resume the killed run")
	}
	t.Logf("killed after %d pages; resumed run made %d requests and returned %d pages", len(before), res.Requests, len(res.Pages))

	seen := map[string]bool{}
	for _, p := range res.Pages {
		k := p.Method + " " + p.URL
		if seen[k] {
			t.Errorf("page %s returned twice", k)
		}
		seen[k] = true
	}
	for _, k := range before {
		if !seen[k] {
			t.Errorf("page %s fetched before the kill is lost", k)
		}
	}
	done := map[string]bool{}
	for _, k := range before {
		done[strings.TrimPrefix(k, " ")] = true
	}
	for _, r := range sp.Log() {
		if r.Method == "GET" && done["http://"+r.Host+r.Path] && r.Path != "/robots.txt" {
			t.Errorf("resumed run fetched %s%s again", r.Host, r.Path)
		}
	}
	for _, r := range sp.Reports() {
		if !seen[" "+r.URL] {
			t.Errorf("report %s missing after resume", r.URL)
		}
	}
	for _, p := range res.Pages {
		if p.WARCRecordID == "" {
			continue
		}
		if _, _, err := readPage(dir, p); err != nil {
			t.Errorf("page %s unreadable after the kill: %v", p.URL, err)
		}
	}
	if err := crawler.Ack(dir, res.RunID); err != nil {
		t.Fatal(err)
	}
	again := mustRun(t, fastOptions(sp, dir), ps)
	if again.Resumed || again.RunID == res.RunID {
		t.Errorf("run after ack resumed %s again", again.RunID)
	}
	for _, p := range again.Pages {
		if p.Status == 200 && !p.NotModified && p.Kind == crawler.KindReport {
			t.Errorf("after ack, report %s downloaded again", p.URL)
		}
	}
}

// TestRun_CancelFinishesInFlight: SIGINT/SIGTERM cancel the context; the run
// returns what it has, journaled, and the next run completes the queue.
func TestRun_CancelFinishesInFlight(t *testing.T) {
	sp, ps := startSample(t, sampleportal.Options{})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := fastOptions(sp, dir)
	n := 0
	opts.Progress = func(crawler.Event) {
		n++
		if n == 10 {
			cancel()
		}
	}
	res, err := crawler.Run(ctx, opts, ps)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: err = %v; want context.Canceled", err)
	}
	if res == nil || len(res.Pages) < 10 {
		t.Fatalf("cancelled run returned %v", res)
	}
	for _, p := range res.Pages {
		if p.Error != "" {
			t.Errorf("page %s in the cancelled run: %s", p.URL, p.Error)
		}
	}
	if err := crawler.Ack(dir, res.RunID); err != nil {
		t.Fatal(err)
	}
	opts.Progress = nil
	res2 := mustRun(t, opts, ps)
	if !res2.Resumed || res2.RunID != res.RunID {
		t.Errorf("second run: resumed %v id %s; want resume of %s", res2.Resumed, res2.RunID, res.RunID)
	}
	first := byURL(res.Pages)
	for _, p := range res2.Pages {
		if _, dup := first[p.URL]; dup {
			t.Errorf("acked page %s returned again", p.URL)
		}
	}
	all := byURL(append(res.Pages, res2.Pages...))
	for _, r := range sp.Reports() {
		if _, ok := all[r.URL]; !ok {
			t.Errorf("report %s never fetched across the two runs", r.URL)
		}
	}
}
