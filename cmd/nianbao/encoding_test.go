package main

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// encodedPage is one report page the test server sends Content-Encoded.
type encodedPage struct {
	name, title, encoding string
	plain                 []byte // the page as published, before encoding
}

func encode(t *testing.T, b []byte, enc string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch enc {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		z, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w = z
	default:
		t.Fatalf("unknown encoding %q", enc)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCrawlContentEncodedUnasked: a server that gzips (deflates, brotlis, zstds)
// report pages although the crawler never sent Accept-Encoding. The archive
// keeps the bytes as sent; `nianbao crawl` → `nianbao extract` must give
// exactly the cells of the unencoded page (before the archive package,
// extract read the still-encoded bytes and found 0 cells).
func TestCrawlContentEncodedUnasked(t *testing.T) {
	// A page of our own (a sample-portal report page with tables) and real
	// pages from the corpus, when ../shared is there.
	sp, err := sampleportal.Start(sampleportal.Options{Families: []string{"sitesources"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sp.Close)
	type source struct {
		name, title string
		body        []byte
	}
	var sources []source
	for _, r := range sp.Reports() {
		if r.Kind == sampleportal.KindTables && len(r.Cells) > 0 {
			sources = append(sources, source{"own", r.Title, fetch(t, sp, r.URL)})
			break
		}
	}
	if len(sources) == 0 {
		t.Fatal("sample portal has no report page with tables")
	}
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	for _, c := range []struct{ name, title string }{
		{"pingtan-2022", "平潭综合实验区2022年政府信息公开工作年度报告"},
		{"putian-kjj-2024", "莆田市科学技术局2024年政府信息公开工作年度报告"},
	} {
		b, err := os.ReadFile(filepath.Join(corpus, c.name+".html"))
		if err != nil {
			t.Logf("corpus page %s not available (%v): testing with our own page only", c.name, err)
			continue
		}
		sources = append(sources, source{c.name, c.title, b})
	}
	var pages []encodedPage
	for _, s := range sources {
		for _, enc := range []string{"gzip", "deflate", "br", "zstd"} {
			// A comment makes each variant's bytes distinct (else they would
			// be one page's duplicates); the cells are the same.
			plain := append(bytes.Clone(s.body), []byte("\n<!-- "+enc+" -->\n")...)
			pages = append(pages, encodedPage{name: s.name + "-" + enc, title: s.title + "（" + enc + "）", encoding: enc, plain: plain})
		}
	}

	// The server, on a loopback port of its own: the list page is gzipped
	// too, and nothing looks at Accept-Encoding.
	var list strings.Builder
	list.WriteString(`<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>`)
	for _, p := range pages {
		fmt.Fprintf(&list, `<li><a href="/t/%s.html" title="%s">%s</a> <span>2024-03-01</span></li>`, p.name, html.EscapeString(p.title), html.EscapeString(p.title))
	}
	list.WriteString(`</ul></body></html>`)
	byPath := map[string]encodedPage{"/col/index.html": {encoding: "gzip", plain: []byte(list.String())}}
	for _, p := range pages {
		byPath["/t/"+p.name+".html"] = p
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Accept-Encoding") != "" {
			t.Errorf("crawler sent Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", p.encoding)
		w.Write(encode(t, p.plain, p.encoding))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	// `nianbao crawl` as a user runs it: the mirror on its odd loopback port,
	// allow_private_network, the real dial path.
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "n.yaml")
	yml := fmt.Sprintf("database: %s\narchive: %s\ncrawl: {delay: 0s}\nportals:\n  - name: 编码测试\n    start_urls: [%q]\n    allow_private_network: true\n",
		filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive"), "http://"+ln.Addr().String()+"/col/index.html")
	if err := os.WriteFile(cfgFile, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "crawl", "--config", cfgFile)
	if code != 0 {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if want := fmt.Sprintf("%d report pages, 0 errors", len(pages)); !strings.Contains(stdout, want) {
		t.Errorf("crawl said %q; want %q", stdout, want)
	}

	// The archive keeps what the server sent: encoded records.
	a, err := archive.Open(cfg.Archive, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := a.WARCFiles()
	if err != nil || len(files) != 1 {
		t.Fatalf("WARC files %v, %v; want one", files, err)
	}
	recs, err := archive.Records(files[0])
	if err != nil {
		t.Fatal(err)
	}
	encoded := 0
	for _, r := range recs {
		if r.Type == "response" && r.ContentEncoding != "" {
			encoded++
		}
	}
	if encoded != len(pages)+1 {
		t.Errorf("%d encoded response records in the WARC file; want %d (the bytes as sent)", encoded, len(pages)+1)
	}

	stdout, stderr, code = nianbao(t, "", "extract", "--config", cfgFile)
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	if want := fmt.Sprintf("%d reports loaded", len(pages)); !strings.Contains(stdout, want) || !strings.Contains(stdout, " 0 failed") {
		t.Errorf("extract said %q; want %q, 0 failed", stdout, want)
	}
	out, stderr, code := nianbao(t, "", "sql", "--config", cfgFile, "--format", "csv", `
		select p.url, c.table_code, c.row_code, c.col_code, coalesce(c.value::varchar, '-') as v
		from cells c join reports r on r.id = c.report_id join pages p on p.id = r.page_id`)
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		got[r[0]] = append(got[r[0]], r[1]+"."+r[2]+"."+r[3]+"="+trimDecimal(r[4]))
	}
	for _, p := range pages {
		rep, err := extract.Parse(extract.Input{Source: p.name, Body: p.plain, ContentType: "text/html"})
		if err != nil {
			t.Fatalf("parse %s unencoded: %v", p.name, err)
		}
		var want []string
		for _, c := range rep.Cells {
			v := "-"
			if c.Value != nil {
				v = trimDecimal(*c.Value)
			}
			want = append(want, c.Table+"."+c.Row+"."+c.Col+"="+v)
		}
		if len(want) == 0 {
			t.Fatalf("%s: the unencoded page has no cells: the test means nothing", p.name)
		}
		g := got["http://"+ln.Addr().String()+"/t/"+p.name+".html"]
		sort.Strings(want)
		sort.Strings(g)
		if strings.Join(g, " ") != strings.Join(want, " ") {
			t.Errorf("%s (%s): %d cells loaded, want the %d of the unencoded page\n got  %.300v\n want %.300v", p.name, p.encoding, len(g), len(want), g, want)
		}
	}
}

// trimDecimal drops a decimal's trailing fractional zeros ("3.0000" → "3").
func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
