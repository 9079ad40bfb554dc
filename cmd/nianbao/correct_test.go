package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

// TestCorrectSurvivesReextraction is the researcher's case from issue 10: a
// real page imported without a readable agency used to stay so — importing
// it again with --agency said "already loaded", and sql is read-only. Now
// re-importing with --agency fixes it, nianbao correct sets year and
// publication date, report corrections lists them, and extract --all
// (a newer extractor reading the archived bytes again) keeps them.
func TestCorrectSurvivesReextraction(t *testing.T) {
	muye := corpusFile(t, "muye-2021.txt")
	body, err := os.ReadFile(muye)
	if err != nil {
		t.Fatal(err)
	}
	anon := strings.NewReplacer("新乡市牧野区人民政府", "本机关", "牧野区人民政府", "本机关", "新乡市", "", "牧野区", "本区").Replace(string(body))
	db, cfg := importConfig(t)
	file := filepath.Join(t.TempDir(), "anon-2021.txt")
	if err := os.WriteFile(file, []byte(anon), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, file); code != 0 || !strings.Contains(stderr, "no agency found") {
		t.Fatalf("import: exit %d %q; want a warning about the missing agency", code, stderr)
	}
	state := func() string {
		t.Helper()
		got := csvLines(t, "sql", "--db", db, "--format", "csv", `select coalesce(agency, '∅') || '|' || coalesce(region_code, '∅') || '|' || year || '|'
			|| coalesce(strftime(published_at, '%Y-%m-%d'), '∅') || '|' || (agency_id is not null) from latest_reports`)
		return strings.Join(got, "\n")
	}
	// Importing again with --agency: the page is already loaded, and fixed.
	out, stderr, code := nianbao(t, "", "import", "--config", cfg, "--agency", "新乡市牧野区人民政府", file)
	if code != 0 || !strings.Contains(out, "1 already loaded") || strings.Contains(stderr, "no agency") {
		t.Fatalf("import --agency: exit %d %q %q", code, out, stderr)
	}
	if got, want := state(), "新乡市牧野区人民政府|410711|2021|∅|true"; got != want {
		t.Errorf("after import --agency: %s; want %s", got, want)
	}
	out, stderr, code = nianbao(t, "", "correct", "--config", cfg, file, "--year", "2020", "--published", "2021-01-28", "--note", "封面写2020年度")
	if code != 0 || !strings.Contains(out, "2 corrections stored, 1 reports changed") {
		t.Fatalf("correct: exit %d %q %q", code, out, stderr)
	}
	want := "新乡市牧野区人民政府|410711|2020|2021-01-28|true"
	if got := state(); got != want {
		t.Errorf("after correct: %s; want %s", got, want)
	}
	// completeness no longer says the date is unknown; deadline judges it.
	out, _, _ = nianbao(t, "", "check", "--db", db, "--format", "csv", "--rule", "completeness", "--rule", "deadline")
	if strings.Contains(out, "publication date unknown") {
		t.Errorf("check after correcting the date still says it is unknown:\n%s", out)
	}

	// A newer extractor: the stored report becomes an old version, and
	// extract --all reads the archived bytes again.
	ctx := context.Background()
	w, err := warehouse.Open(ctx, db, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SQL.ExecContext(ctx, `update reports set extractor_version = 'old'`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if out, stderr, code := nianbao(t, "", "extract", "--config", cfg, "--all"); code != 0 {
		t.Fatalf("extract --all: exit %d %q %q", code, out, stderr)
	}
	if got := csvLines(t, "sql", "--db", db, "--format", "csv", "select count(*) from reports"); got[0] != "2" {
		t.Fatalf("reports after extract --all = %s; want 2 versions", got[0])
	}
	if got := state(); got != want {
		t.Errorf("after extract --all: %s; want %s (the corrections re-applied)", got, want)
	}

	got := csvLines(t, "report", "corrections", "--db", db, "--format", "csv")
	if len(got) != 3 || !strings.Contains(got[0], ",published,2021-01-28,,false,封面写2020年度,") ||
		!strings.Contains(got[1], ",year,2020,2021,false,") || !strings.Contains(got[2], ",import,agency,新乡市牧野区人民政府,,false,") {
		t.Errorf("report corrections =\n%s", strings.Join(got, "\n"))
	}
	_, stderr, code = nianbao(t, "", "correct", "--config", cfg, "saved/nothing.html", "--year", "2020")
	if code != 1 || !strings.Contains(stderr, "saved/nothing.html") {
		t.Errorf("correct of an unknown page: exit %d %q", code, stderr)
	}
	_, stderr, code = nianbao(t, "", "correct", "--config", cfg, file, "--published", "28.1.2021")
	if code != 2 || !strings.Contains(stderr, "28.1.2021") {
		t.Errorf("correct --published 28.1.2021: exit %d %q", code, stderr)
	}
}
