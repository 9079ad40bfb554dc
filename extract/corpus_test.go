package extract_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// sharedDir is ../shared beside the repo root, or "" when absent.
func sharedDir() string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// expectation is the shape of ../shared/corpus/*.expected.json, which the
// fixtures' testdata/*.expect.json share, plus a few optional checks.
type expectation struct {
	Year        int                `json:"year"`
	Format      string             `json:"format"`
	Cells       map[string]*string `json:"cells"`
	Agency      *string            `json:"agency_exact"` // corpus "agency" is prose, so fixtures use "agency"
	FixAgency   string             `json:"agency"`
	PublishedAt string             `json:"published_at"`
	Sections    int                `json:"sections"`
	Warnings    []string           `json:"warnings"` // "code" or "code:table.row.col"
}

// pagePair is a page and the expectation beside it.
type pagePair struct{ page, expect string }

func findPairs(tb testing.TB, dir, suffix string) map[string]pagePair {
	tb.Helper()
	exps, err := filepath.Glob(filepath.Join(dir, "*"+suffix))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]pagePair{}
	for _, e := range exps {
		base := strings.TrimSuffix(e, suffix)
		for _, ext := range []string{".html", ".htm", ".txt", ".pdf", ".docx", ".xlsx", ".doc", ".wps", ".ofd"} {
			if _, err := os.Stat(base + ext); err == nil {
				out[filepath.Base(base)] = pagePair{base + ext, e}
			}
		}
	}
	return out
}

func corpusPairs(tb testing.TB) map[string]pagePair {
	tb.Helper()
	dir := sharedDir()
	if dir == "" {
		tb.Skip("../shared not present")
	}
	pairs := findPairs(tb, filepath.Join(dir, "corpus"), ".expected.json")
	if len(pairs) == 0 {
		tb.Skip("no cases in ../shared/corpus")
	}
	return pairs
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustParseFile(tb testing.TB, path string) *extract.Report {
	tb.Helper()
	rep, err := extract.Parse(extract.Input{Source: filepath.Base(path), Body: mustRead(tb, path)})
	if err != nil {
		tb.Fatalf("Parse(%s): %v", path, err)
	}
	return rep
}

func cellMap(rep *extract.Report) map[string]extract.Cell {
	m := map[string]extract.Cell{}
	for _, c := range rep.Cells {
		m[c.Table+"."+c.Row+"."+c.Col] = c
	}
	return m
}

// checkExpectation compares a report with an expectation: every expected
// cell present with exactly its value (blank vs zero included), no other
// cell, and year, format and the optional fields. It returns the number of
// cells compared.
func checkExpectation(t *testing.T, rep *extract.Report, want expectation) int {
	t.Helper()
	if rep.Year != want.Year || rep.Format != want.Format {
		t.Errorf("year, format = %d, %q; want %d, %q", rep.Year, rep.Format, want.Year, want.Format)
	}
	if want.FixAgency != "" && rep.Agency != want.FixAgency {
		t.Errorf("agency = %q; want %q", rep.Agency, want.FixAgency)
	}
	if want.PublishedAt != "" && rep.PublishedAt != want.PublishedAt {
		t.Errorf("published_at = %q; want %q", rep.PublishedAt, want.PublishedAt)
	}
	if want.Sections > 0 && len(rep.Sections) != want.Sections {
		t.Errorf("%d sections; want %d: %+v", len(rep.Sections), want.Sections, rep.Sections)
	}
	got := cellMap(rep)
	keys := make([]string, 0, len(want.Cells))
	for k := range want.Cells {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		w := want.Cells[key]
		c, ok := got[key]
		switch {
		case !ok:
			t.Errorf("%s: missing; want %s", key, show(w))
		case (c.Value == nil) != (w == nil) || (w != nil && *c.Value != *w):
			t.Errorf("%s = %s (raw %q at table %d row %d col %d); want %s", key, show(c.Value), c.Raw, c.SrcTable, c.SrcRow, c.SrcCol, show(w))
		}
	}
	for key, c := range got {
		if _, ok := want.Cells[key]; !ok {
			t.Errorf("%s = %s: not expected", key, show(c.Value))
		}
	}
	for _, w := range want.Warnings {
		if !hasWarning(rep, w) {
			t.Errorf("no warning %s; got %+v", w, rep.Warnings)
		}
	}
	return len(keys)
}

// hasWarning matches "code" or "code:table.row.col".
func hasWarning(rep *extract.Report, spec string) bool {
	code, where, _ := strings.Cut(spec, ":")
	for _, w := range rep.Warnings {
		if w.Code != code {
			continue
		}
		if where == "" || where == w.Table+"."+w.Row+"."+w.Col || where == w.Table {
			return true
		}
	}
	return false
}

func show(s *string) string {
	if s == nil {
		return "null"
	}
	return `"` + *s + `"`
}

func loadExpectation(t *testing.T, path string) expectation {
	t.Helper()
	var want expectation
	if err := json.Unmarshal(mustRead(t, path), &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return want
}

// TestCorpus requires every expected cell of the real pages in
// ../shared/corpus to come out exactly.
func TestCorpus(t *testing.T) {
	total := 0
	for name, p := range corpusPairs(t) {
		t.Run(name, func(t *testing.T) {
			want := loadExpectation(t, p.expect)
			// The corpus "agency" field is the name as the report gives
			// it, then a description in brackets.
			want.FixAgency = strings.TrimSpace(strings.FieldsFunc(want.FixAgency, func(r rune) bool { return r == '（' || r == '(' })[0])
			rep := mustParseFile(t, p.page)
			total += checkExpectation(t, rep, want)
			if rep.AgencySource == "" || len(rep.AgencyCandidates) == 0 {
				t.Errorf("agency %q without its source and candidates", rep.Agency)
			}
		})
	}
	t.Logf("compared %d expected cells", total)
	if total == 0 {
		t.Error("no cells compared")
	}
}

// TestSeed: the seed report (../shared/seed) and our own fixture carrying
// the same numbers both parse to the printed values, so the test still
// means something without ../shared.
func TestSeed(t *testing.T) {
	want := loadExpectation(t, "testdata/seed-2021.expect.json")
	pages := map[string]string{"fixture": "testdata/seed-2021.txt"}
	if dir := sharedDir(); dir != "" {
		pages["shared seed"] = filepath.Join(dir, "seed", "muye-2021-annual-report.txt")
	}
	for name, path := range pages {
		t.Run(name, func(t *testing.T) {
			w := want
			w.FixAgency = ""
			rep := mustParseFile(t, path)
			if n := checkExpectation(t, rep, w); n != 200 {
				t.Errorf("compared %d cells; want 200", n)
			}
			if name == "shared seed" && rep.Agency != "新乡市牧野区人民政府" {
				t.Errorf("agency = %q", rep.Agency)
			}
		})
	}
}
