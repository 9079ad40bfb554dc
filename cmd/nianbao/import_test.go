package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

// TestImportIdempotentAndVersioned imports a saved page twice (nothing added
// the second time), then a corrected copy of it (a new version; the old one
// stays queryable).
func TestImportIdempotentAndVersioned(t *testing.T) {
	p := startPortal(t)
	var page []byte
	var agency string
	var year int
	for _, r := range p.Reports() {
		if v, ok := r.Cells["t3.new.natural"]; ok && v != nil && r.Kind == sampleportal.KindTables && len(r.Unbalanced) == 0 {
			page, agency, year = fetch(t, p, r.URL), r.Agency, r.Year
			break
		}
	}
	if page == nil {
		t.Fatal("sample portal has no balanced report with a printed t3.new.natural")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "n.duckdb")
	cfgFile := filepath.Join(dir, "n.yaml")
	os.WriteFile(cfgFile, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644)
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	count := func() string {
		out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv",
			"select (select count(*) from pages) || '/' || (select count(*) from reports) || '/' || (select count(*) from cells)")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return strings.TrimSpace(strings.Split(out, "\n")[1])
	}
	if _, stderr, code := nianbao(t, "", "import", "--config", cfgFile, "--region", "410711", file); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	first := count()
	out, stderr, code := nianbao(t, "", "import", "--config", cfgFile, "--region", "410711", file)
	if code != 0 {
		t.Fatalf("second import: %s", stderr)
	}
	if !strings.Contains(out, "0 reports added") {
		t.Errorf("second import said %q; want 0 reports added", out)
	}
	_, nReports, nCells := split3(first)
	_, r2, c2 := split3(count())
	if r2 != nReports || c2 != nCells {
		t.Errorf("reports/cells after importing the same bytes twice = %s/%s; want %s/%s", r2, c2, nReports, nCells)
	}

	// A corrected page: same report, one more 自然人 application.
	value := func() string {
		out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv",
			"select count(*) || ':' || max(value::varchar) from reports r join cells c on c.report_id = r.id and c.table_code = 't3' and c.row_code = 'new' and c.col_code = 'natural'")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return strings.TrimSpace(strings.Split(out, "\n")[1])
	}
	before := value()
	changed := bytes.Replace(page, []byte("</body>"), []byte("<p>（更正版）</p></body>"), 1)
	if bytes.Equal(changed, page) {
		changed = append(page, []byte("<!-- corrected -->")...)
	}
	if err := os.WriteFile(file, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := nianbao(t, "", "import", "--config", cfgFile, "--region", "410711", file); code != 0 {
		t.Fatalf("import of the changed page: %s", stderr)
	}
	_, r3, _ := split3(count())
	if r3 == nReports {
		t.Errorf("reports after importing changed bytes = %s; want a new version", r3)
	}
	if after := value(); !strings.HasPrefix(after, "2:") {
		t.Errorf("versions of the report's t3.new.natural cell = %s (before %s); want 2 versions, both kept", after, before)
	}
	out, _, _ = nianbao(t, "", "sql", "--db", db, "--format", "csv", "select count(*) from latest_reports")
	if got := strings.TrimSpace(strings.Split(out, "\n")[1]); got != "1" {
		t.Errorf("latest_reports rows = %s; want 1 (%s %d, newest version)", got, agency, year)
	}
}

func split3(s string) (a, b, c string) {
	parts := strings.Split(s, "/")
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

// TestImportKeepsFailedPage: a file that cannot be extracted (empty) is kept
// as a page with its error; the other files of the batch load.
func TestImportKeepsFailedPage(t *testing.T) {
	p := startPortal(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "n.duckdb")
	good, empty := filepath.Join(dir, "good.html"), filepath.Join(dir, "empty.html")
	var url string
	for _, r := range p.Reports() {
		if r.Kind == sampleportal.KindTables {
			url = r.URL
			break
		}
	}
	os.WriteFile(good, fetch(t, p, url), 0o644)
	os.WriteFile(empty, nil, 0o644)
	cfgFile := filepath.Join(dir, "n.yaml")
	os.WriteFile(cfgFile, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644)
	out, stderr, code := nianbao(t, "", "import", "--config", cfgFile, good, empty)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "1 reports added") || !strings.Contains(out, "1 failed to extract") || !strings.Contains(stderr, "empty.html") {
		t.Errorf("import said %q / %q; want 1 report added, 1 failure naming empty.html", out, stderr)
	}
	out, _, _ = nianbao(t, "", "sql", "--db", db, "--format", "csv", "select url, extract_error from pages where extract_error is not null")
	if !strings.Contains(out, "empty.html") || !strings.Contains(out, "empty input") {
		t.Errorf("failed pages = %q; want empty.html kept with its error", out)
	}
}
