package extract_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// unruledLayouts print the corpus pages' tables without their rules, as
// many agencies' PDFs come: no borders at all, only horizontal rules (a
// 三线表-like table), or only a frame around each table. No lattice can be
// drawn from them; the grid comes from where the text sits.
var unruledLayouts = []struct{ name, css string }{
	{"borderless", `table,td,th{border:none!important}`},
	{"hrules", `table{border-collapse:collapse!important;border-left:none!important;border-right:none!important}` +
		`td,th{border-left:none!important;border-right:none!important;border-top:1px solid #000!important;border-bottom:1px solid #000!important}`},
	{"frame", `table{border-collapse:collapse!important;border:1px solid #000!important}td,th{border:none!important}`},
}

// unruledGaps are the cells known not to be read from the unruled prints
// (left out, never read wrong), by page: in pingtan-2022 the label
// "（六）其他处理" is spaced out to its cell's width and runs into its first
// sub-row's label on the same line ("其 他 处理由逾期不补"), so that row's
// label is lost and its values are left out.
var unruledGaps = map[string]string{
	"pingtan-2022": "t3.other.no_correction.",
}

// TestCorpusPrintedUnruled prints every real HTML page of ../shared/corpus
// to PDF with Chromium with its table rules removed, and requires exactly
// the expected cells (a blank where a number is printed, or a number in
// the wrong column, fails), bar the known gaps, which must be left out,
// not read wrong. Skipped without ../shared or Chromium.
func TestCorpusPrintedUnruled(t *testing.T) {
	pairs := corpusPairs(t)
	exe := chromiumPath(t)
	for name, p := range pairs {
		if filepath.Ext(p.page) != ".html" {
			continue
		}
		for _, l := range unruledLayouts {
			t.Run(name+"/"+l.name, func(t *testing.T) {
				t.Parallel()
				rep := mustParseFile(t, printToPDF(t, exe, p.page, l.css, false))
				html := mustParseFile(t, p.page)
				want := loadExpectation(t, p.expect)
				if rep.Year != want.Year || rep.Format != want.Format {
					t.Errorf("year, format = %d, %q; want %d, %q", rep.Year, rep.Format, want.Year, want.Format)
				}
				if rep.Agency != html.Agency {
					t.Errorf("agency %q; the HTML page %q", rep.Agency, html.Agency)
				}
				read := 0
				got := cellMap(rep)
				for key, c := range got {
					w, ok := want.Cells[key]
					switch {
					case !ok:
						t.Errorf("%s = %s: not expected", key, show(c.Value))
					case (c.Value == nil) != (w == nil) || (w != nil && *c.Value != *w):
						t.Errorf("%s = %s (raw %q); want %s", key, show(c.Value), c.Raw, show(w))
					default:
						read++
					}
				}
				for key, w := range want.Cells {
					if _, ok := got[key]; !ok && (unruledGaps[name] == "" || !strings.HasPrefix(key, unruledGaps[name])) {
						t.Errorf("%s: missing; want %s", key, show(w))
					}
				}
				t.Logf("%s %s: %d of %d expected cells read", name, l.name, read, len(want.Cells))
			})
		}
	}
}
