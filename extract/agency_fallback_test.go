package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// TestAgencyFallback: a page that names no agency takes it from the
// crawler's list title, else from the portal; a page that names one keeps
// its own, and the fallbacks are only recorded as candidates.
func TestAgencyFallback(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "full-2021.html"))
	if err != nil {
		t.Fatal(err)
	}
	named, err := extract.Parse(extract.Input{Source: "a.html", Body: body, ListTitle: "某某局2021年政府信息公开工作年度报告", Portal: "某某市人民政府"})
	if err != nil {
		t.Fatal(err)
	}
	if named.Agency == "" || named.AgencySource == extract.AgencyFromListTitle || named.AgencySource == extract.AgencyFromPortal {
		t.Fatalf("a page naming its agency took %q from %s", named.Agency, named.AgencySource)
	}
	// The same tables with nothing that names anybody.
	anon := []byte("<html><body><h2>2021年政府信息公开工作年度报告</h2>" + tablesOf(t, string(body)) + "</body></html>")
	tests := []struct {
		name, listTitle, portal, want, source string
	}{
		{"list title", "新乡市牧野区教育局2021年政府信息公开工作年度报告", "新乡市牧野区人民政府", "新乡市牧野区教育局", extract.AgencyFromListTitle},
		{"portal", "", "新乡市牧野区人民政府", "新乡市牧野区人民政府", extract.AgencyFromPortal},
		{"none", "", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: "b.html", Body: anon, ListTitle: tc.listTitle, Portal: tc.portal})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Agency != tc.want || rep.AgencySource != tc.source {
				t.Errorf("Parse(list %q, portal %q) agency = %q from %q; want %q from %q", tc.listTitle, tc.portal, rep.Agency, rep.AgencySource, tc.want, tc.source)
			}
			if len(rep.Cells) == 0 {
				t.Errorf("no cells: the test page lost its tables")
			}
		})
	}
}

// tablesOf cuts the <table>…</table> elements out of an HTML page.
func tablesOf(t *testing.T, page string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(page, "<table")
		if i < 0 {
			break
		}
		j := strings.Index(page[i:], "</table>")
		if j < 0 {
			break
		}
		b.WriteString(page[i : i+j+len("</table>")])
		page = page[i+j+len("</table>"):]
	}
	if b.Len() == 0 {
		t.Fatal("no tables in the fixture")
	}
	return b.String()
}
