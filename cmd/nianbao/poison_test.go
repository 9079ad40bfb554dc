package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// poisonParser makes the extractor panic on sources ending in panicSuffix
// and return a report the warehouse cannot store (a cell code outside the
// codebook, as a broken extractor might) on those ending in loadSuffix;
// other pages are extracted for real. It counts its calls per source.
type poisonParser struct {
	mu                      sync.Mutex
	panicSuffix, loadSuffix string
	calls                   map[string]int
}

func installPoison(t *testing.T, panicSuffix, loadSuffix string) *poisonParser {
	pp := &poisonParser{panicSuffix: panicSuffix, loadSuffix: loadSuffix, calls: map[string]int{}}
	old := parseReport
	parseReport = pp.parse
	t.Cleanup(func() { parseReport = old })
	return pp
}

func (pp *poisonParser) parse(in extract.Input) (*extract.Report, error) {
	pp.mu.Lock()
	pp.calls[in.Source]++
	pp.mu.Unlock()
	if strings.HasSuffix(in.Source, pp.panicSuffix) {
		var m map[string]int
		m["boom"]++ // a nil-map write: a real runtime panic
	}
	rep, err := extract.Parse(in)
	if err == nil && strings.HasSuffix(in.Source, pp.loadSuffix) && len(rep.Cells) > 0 {
		rep.Cells[0].Row = "no_such_row"
	}
	return rep, err
}

func (pp *poisonParser) count(suffix string) int {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	n := 0
	for src, c := range pp.calls {
		if strings.HasSuffix(src, suffix) {
			n += c
		}
	}
	return n
}

// TestImportIsolatesPoisonPages imports good pages together with one page of
// each kind that used to stop a batch: the extractor panics, the load fails,
// the file cannot be read, the file is empty. Each is kept as a page with
// its error, every other page loads, status lists the failures, and
// importing everything again adds no rows. Pages that used to be refused
// — a 万元 amount with six decimals (the real pingtan-2021 page), a value
// too large for the column, a file name that is not UTF-8 — load.
func TestImportIsolatesPoisonPages(t *testing.T) {
	p := startPortal(t)
	pp := installPoison(t, "panic.html", "loadfail.html")
	dir := t.TempDir()
	db := filepath.Join(dir, "n.duckdb")
	cfgFile := filepath.Join(dir, "n.yaml")
	os.WriteFile(cfgFile, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644)

	var good, poison []string
	write := func(name string, body []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var bodies [][]byte
	for _, r := range p.Reports() {
		if r.Kind == sampleportal.KindTables && len(bodies) < 7 {
			bodies = append(bodies, fetch(t, p, r.URL))
		}
	}
	for i, b := range bodies[:4] {
		good = append(good, write("good"+string(rune('a'+i))+".html", b))
	}
	// A file name in GBK (牧野.html), as Windows archives unpack: not UTF-8.
	good = append(good, write("\xc4\xc1\xd2\xb0.html", bodies[4]))
	poison = append(poison, write("panic.html", bodies[5]), write("loadfail.html", bodies[6]), write("empty.html", nil))
	notAFile := filepath.Join(dir, "folder.html")
	os.Mkdir(notAFile, 0o755)
	poison = append(poison, notAFile)
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "pingtan-2021.html")
	page, err := os.ReadFile(corpus)
	switch {
	case err == nil:
		good = append(good, write("pingtan-2021.html", page))
		huge := bytes.Replace(page, []byte("24252.311082"), []byte("1234567890123.5"), 1)
		good = append(good, write("pingtan-huge.html", huge))
	case errors.Is(err, os.ErrNotExist):
		t.Log("no ../shared/corpus: the six-decimal page is not part of this run")
	default:
		t.Fatal(err)
	}
	files := append(append([]string{}, good...), poison...)

	sql := func(q string) string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", q)
		if code != 0 {
			t.Fatalf("sql %s: %s", q, stderr)
		}
		return strings.TrimSpace(strings.SplitN(out, "\n", 2)[1])
	}
	out, stderr, code := nianbao(t, "", append([]string{"import", "--config", cfgFile}, files...)...)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	want := len(good)
	if !strings.Contains(out, ": "+itoa(want)+" reports added") || !strings.Contains(out, itoa(len(poison))+" failed to extract or load") {
		t.Errorf("import said %q; want %d reports added, %d failed", out, want, len(poison))
	}
	for _, f := range poison {
		if !strings.Contains(stderr, filepath.Base(f)) {
			t.Errorf("import's warnings do not name %s:\n%s", filepath.Base(f), stderr)
		}
	}
	if strings.Contains(stderr, "goroutine ") {
		t.Errorf("import printed a stack trace:\n%s", stderr)
	}
	if got := sql(`select count(*) from reports`); got != itoa(want) {
		t.Errorf("reports = %s; want %d", got, want)
	}
	failed := sql(`select string_agg(url || ': ' || extract_error, e'\n' order by url) from pages where extract_error is not null`)
	for _, tc := range []struct{ file, err string }{
		{"panic.html", "extractor panic"},
		{"loadfail.html", "no_such_row"},
		{"empty.html", "empty"},
		{"folder.html", "read "},
	} {
		if !strings.Contains(failed, filepath.Join(dir, tc.file)+": ") || !strings.Contains(failed, tc.err) {
			t.Errorf("failed pages:\n%s\nwant %s kept with an error about %q", failed, tc.file, tc.err)
		}
	}
	if page != nil {
		if got := sql(`select value from cells join reports r on r.id = report_id
			where r.source like '%pingtan-2021.html' and row_code = 'fees' and col_code = 'amount_wan_yuan'`); got != "24252.311082" {
			t.Errorf("pingtan-2021 fees = %s; want 24252.311082 exactly", got)
		}
		if got := sql(`select coalesce(value::varchar, 'NULL') || ' ' || raw from cells join reports r on r.id = report_id
			where r.source like '%pingtan-huge.html' and row_code = 'fees' and col_code = 'amount_wan_yuan'`); got != "NULL 1234567890123.5" {
			t.Errorf("out-of-range fees = %s; want NULL with its raw text", got)
		}
		if got := sql(`select count(*) from reports where source like '%pingtan-huge.html' and warnings::varchar like '%value_out_of_range%'`); got != "1" {
			t.Errorf("reports warning value_out_of_range = %s; want 1", got)
		}
	}
	if got := sql(`select count(*) from reports where source like '%` + "\uFFFD" + `%'`); got != "1" {
		t.Errorf("reports from the GBK-named file = %s; want 1 (its name kept with U+FFFD)", got)
	}
	out, stderr, code = nianbao(t, "", "status", "--config", cfgFile)
	if code != 0 {
		t.Fatalf("status: %s", stderr)
	}
	for _, f := range poison {
		if !strings.Contains(out, filepath.Base(f)) {
			t.Errorf("status does not list failed page %s:\n%s", filepath.Base(f), out)
		}
	}

	// Importing everything again — the retry a user makes — adds nothing.
	before := sql(`select (select count(*) from pages) || '/' || (select count(*) from reports) || '/' || (select count(*) from cells)`)
	out, stderr, code = nianbao(t, "", append([]string{"import", "--config", cfgFile}, files...)...)
	if code != 0 {
		t.Fatalf("second import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, ": 0 reports added") {
		t.Errorf("second import said %q; want 0 reports added", out)
	}
	if after := sql(`select (select count(*) from pages) || '/' || (select count(*) from reports) || '/' || (select count(*) from cells)`); after != before {
		t.Errorf("pages/reports/cells after importing again = %s; want %s (no orphan rows)", after, before)
	}
	if n := pp.count("panic.html"); n != 2 {
		t.Errorf("extractor runs on panic.html = %d; want 2 (one per import)", n)
	}
}

// TestNightIsolatesPoisonPages runs one night (schedule --once) over the
// sample portal while the extractor panics on one report page and another
// cannot be loaded: every other report loads, the night goes on to check
// and is recorded ok, status lists the two pages with their errors, and
// the next night does not retry them (same extractor version).
func TestNightIsolatesPoisonPages(t *testing.T) {
	p := startPortal(t)
	_, cfgFile, _, cfg := portalConfig(t, p)
	var panicURL, loadURL string
	for _, r := range p.Reports() {
		if r.Kind != sampleportal.KindTables {
			continue
		}
		switch {
		case panicURL == "":
			panicURL = r.URL
		case loadURL == "":
			loadURL = r.URL
		}
	}
	pp := installPoison(t, panicURL, loadURL)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := func() crawler.Options {
		o := crawlerOptions(cfg, log, nil)
		o.Resolve = p.Resolve()
		return o
	}
	if err := scheduleLoop(context.Background(), cfg, true, log, opts); err != nil {
		t.Fatalf("night: %v", err)
	}
	sql := func(q string) string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "sql", "--config", cfgFile, "--format", "csv", q)
		if code != 0 {
			t.Fatalf("sql %s: %s", q, stderr)
		}
		return strings.TrimSpace(strings.SplitN(out, "\n", 2)[1])
	}
	pages := sql(`select count(distinct sha256) from pages where kind = 'report' and coalesce(error, '') = ''`)
	reports := sql(`select count(distinct page_sha256) from reports`)
	if pages == "0" || reports != itoa(atoi(t, pages)-2) {
		t.Errorf("reports loaded = %s of %s report pages; want all but the two poison pages", reports, pages)
	}
	if got := sql(`select status || ' ' || (note like '%2 pages failed%') from crawl_runs where kind = 'schedule'`); got != "ok true" {
		t.Errorf("night recorded as %q; want ok, noting 2 failed pages", got)
	}
	if got := sql(`select count(*) > 0 from check_results`); got != "true" {
		t.Errorf("check results after the night: %s; want the night to have run check", got)
	}
	failed := sql(`select string_agg(url || ' ' || extract_version, ', ' order by url) from pages where extract_error is not null`)
	for _, u := range []string{panicURL, loadURL} {
		if !strings.Contains(failed, u+" "+extract.Version) {
			t.Errorf("failed pages = %s; want %s kept with extractor version %s", failed, u, extract.Version)
		}
	}
	out, _, _ := nianbao(t, "", "status", "--config", cfgFile)
	if !strings.Contains(out, panicURL) || !strings.Contains(out, "extractor panic") {
		t.Errorf("status does not list %s with its panic:\n%s", panicURL, out)
	}

	// The next night: the same extractor does not try the failed pages first
	// (or at all), and the night is ok again.
	p.NextNight()
	if err := scheduleLoop(context.Background(), cfg, true, log, opts); err != nil {
		t.Fatalf("second night: %v", err)
	}
	if n := pp.count(panicURL); n != 1 {
		t.Errorf("extractor runs on the panicking page over two nights = %d; want 1", n)
	}
	if got := sql(`select string_agg(status, ' ' order by id) from crawl_runs where kind = 'schedule'`); got != "ok ok" {
		t.Errorf("nights = %s; want ok ok", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}
