package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlLoopbackMirrorOnAPort: a portal served from a loopback mirror on
// an explicit odd port, with allow_private_network, is crawled end to end by
// `nianbao crawl` (the real dial path, no test resolver), shown as crawled by
// `status`, and its reports extract. The mirror holds a report page of the
// sample portal and, when ../shared is present, a real page of the corpus.
func TestCrawlLoopbackMirrorOnAPort(t *testing.T) {
	sp := startPortal(t)
	r0 := sp.Reports()[0]
	pages := map[string][]byte{"/nb/own.html": fetch(t, sp, r0.URL)}
	titles := map[string]string{"/nb/own.html": fmt.Sprintf("%s%d年政府信息公开工作年度报告", r0.Agency, r0.Year)}
	if b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "pingtan-2022.html")); err == nil {
		pages["/nb/pingtan-2022.html"] = b
		titles["/nb/pingtan-2022.html"] = "平潭综合实验区2022年政府信息公开工作年度报告"
	} else {
		t.Log("../shared/corpus/pingtan-2022.html absent: the mirror holds the sample page only")
	}
	var list strings.Builder
	list.WriteString(`<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>`)
	for path, title := range titles {
		fmt.Fprintf(&list, `<li><a href="%s" title="%s">%s</a><span>2024-01-20</span></li>`, path, title, title)
	}
	list.WriteString(`</ul></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/nb/" {
			fmt.Fprint(w, list.String())
			return
		}
		b, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	start := srv.URL + "/nb/" // http://127.0.0.1:<port>/nb/

	dir := t.TempDir()
	file := filepath.Join(dir, "n.yaml")
	yml := fmt.Sprintf("database: %s\narchive: %s\ncrawl: {delay: 0s}\nportals:\n  - name: 本地镜像\n    start_urls: [%q]\n    allow_private_network: true\n",
		filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive"), start)
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "crawl", "--config", file)
	if code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if want := fmt.Sprintf("%d report pages, 0 errors", len(pages)); !strings.Contains(stdout, want) {
		t.Errorf("crawl said %q; want %q", stdout, want)
	}
	if !strings.Contains(stderr, "private and loopback addresses allowed") {
		t.Errorf("allow_private_network not logged:\n%s", stderr)
	}

	stdout, stderr, code = nianbao(t, "", "status", "--config", file, "--format", "csv")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	state := ""
	for _, r := range statusBlock(t, stdout, "portal") {
		if r[0] == "本地镜像" {
			state = r[1]
		}
	}
	if state != "ok" {
		t.Errorf("status state of the mirror portal = %q; want ok\n%s", state, stdout)
	}

	stdout, stderr, code = nianbao(t, "", "extract", "--config", file)
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	if want := fmt.Sprintf("%d reports loaded", len(pages)); !strings.Contains(stdout, want) {
		t.Errorf("extract said %q; want %q", stdout, want)
	}
}

// statusBlock returns the rows of the `status --format csv` block whose
// header starts with column first.
func statusBlock(t *testing.T, out, first string) [][]string {
	t.Helper()
	for _, b := range strings.Split(strings.TrimSpace(out), "\n\n") {
		recs, err := csv.NewReader(strings.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("status csv: %v\n%s", err, out)
		}
		if len(recs) > 0 && recs[0][0] == first {
			return recs[1:]
		}
	}
	t.Fatalf("status prints no %s block:\n%s", first, out)
	return nil
}
