package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

// TestNightLoopbackMirror is issue 9's "done when": one scheduled night
// (`nianbao schedule --once`) over a portal served from a loopback mirror on
// an explicit odd port with allow_private_network, whose pages include one
// gzipped unasked, one with a stale <meta charset=gb2312> over UTF-8 bytes
// and (with ../shared present) the real 6-decimal 万元 page: every report
// loads, the run is ok and status shows the portal crawled.
func TestNightLoopbackMirror(t *testing.T) {
	sp, err := sampleportal.Start(sampleportal.Options{Families: []string{"sitesources"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sp.Close)
	type page struct {
		name, title, encoding string
		body                  []byte
	}
	staleMeta := func(b []byte) []byte {
		return append([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>`), b...)
	}
	var pages []page
	for _, r := range sp.Reports() {
		if r.Kind != sampleportal.KindTables || len(r.Cells) == 0 {
			continue
		}
		b := fetch(t, sp, r.URL)
		if !utf8.Valid(b) {
			continue
		}
		switch len(pages) {
		case 0:
			pages = append(pages, page{"own-gzip", r.Title, "gzip", b})
		case 1:
			pages = append(pages, page{"own-stale-meta", r.Title, "", staleMeta(bytes.ReplaceAll(b, []byte("charset=utf-8"), nil))})
		}
	}
	if len(pages) != 2 {
		t.Fatalf("sample portal gave %d UTF-8 report pages with tables; want 2", len(pages))
	}
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	for _, c := range []struct{ name, title, encoding string }{
		{"pingtan-2021", "平潭综合实验区2021年政府信息公开工作年度报告", ""}, // 万元 to six decimals
		{"pingtan-2022", "平潭综合实验区2022年政府信息公开工作年度报告", "stale-meta"},
		{"putian-kjj-2024", "莆田市科学技术局2024年政府信息公开工作年度报告", "gzip"},
	} {
		b, err := os.ReadFile(filepath.Join(corpus, c.name+".html"))
		if err != nil {
			t.Logf("corpus page %s not available (%v)", c.name, err)
			continue
		}
		if c.encoding == "stale-meta" {
			b, c.encoding = staleMeta(b), ""
		}
		pages = append(pages, page{c.name, c.title, c.encoding, b})
	}

	var list strings.Builder
	list.WriteString(`<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>`)
	for _, p := range pages {
		fmt.Fprintf(&list, `<li><a href="/nb/%s.html" title="%s">%s</a> <span>2024-03-01</span></li>`, p.name, html.EscapeString(p.title), html.EscapeString(p.title))
	}
	list.WriteString(`</ul></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/nb/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, list.String())
			return
		}
		for _, p := range pages {
			if r.URL.Path != "/nb/"+p.name+".html" {
				continue
			}
			w.Header().Set("Content-Type", "text/html")
			if p.encoding == "gzip" {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write(p.body)
				zw.Close()
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(buf.Bytes())
				return
			}
			w.Write(p.body)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()

	dir := t.TempDir()
	file := filepath.Join(dir, "n.yaml")
	yml := fmt.Sprintf("database: %s\narchive: %s\ncrawl: {delay: 0s}\nportals:\n  - name: 本地镜像\n    start_urls: [%q]\n    allow_private_network: true\n",
		filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive"), srv.URL+"/nb/")
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, code := nianbao(t, "", "schedule", "--once", "--config", file); code != 0 {
		t.Fatalf("schedule --once: exit %d\n%s\n%s", code, stdout, stderr)
	}
	out, stderr, code := nianbao(t, "", "sql", "--config", file, "--format", "csv", `
		select p.url, count(c.report_id) as cells
		from pages p join reports r on r.page_id = p.id left join cells c on c.report_id = r.id
		group by p.url`)
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[string]string{}
	for _, r := range recs[1:] {
		loaded[r[0]] = r[1]
	}
	for _, p := range pages {
		if n := loaded[srv.URL+"/nb/"+p.name+".html"]; n == "" || n == "0" {
			t.Errorf("%s: report not loaded with its cells (cells %q)", p.name, n)
		}
	}
	if len(loaded) != len(pages) {
		t.Errorf("%d reports loaded; want %d", len(loaded), len(pages))
	}
	if _, err := os.Stat(filepath.Join(corpus, "pingtan-2021.html")); err == nil {
		out, _, _ := nianbao(t, "", "sql", "--config", file, "--format", "csv", `
			select c.value::varchar as v from cells c join reports r on r.id = c.report_id join pages p on p.id = r.page_id
			where p.url like '%pingtan-2021%' and c.table_code = 't2' and c.row_code = 'fees' and c.col_code = 'amount_wan_yuan'`)
		if got := strings.TrimSpace(strings.TrimPrefix(out, "v\n")); trimDecimal(got) != "24252.311082" {
			t.Errorf("pingtan-2021 t2.fees.amount_wan_yuan = %q; want 24252.311082 exactly", got)
		}
	}
	out, _, _ = nianbao(t, "", "sql", "--config", file, "--format", "csv",
		"select status from crawl_runs where kind = 'schedule' order by id desc limit 1")
	if got := strings.TrimSpace(strings.TrimPrefix(out, "status\n")); got != "ok" {
		t.Errorf("schedule run status %q; want ok", got)
	}
	out, _, _ = nianbao(t, "", "status", "--config", file, "--format", "csv")
	for _, r := range statusBlock(t, out, "portal") {
		if r[0] == "本地镜像" && r[1] != "ok" {
			t.Errorf("status state of the mirror = %q; want ok", r[1])
		}
	}
}
