package soffice_test

import (
	"os"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/soffice"
)

// TestLegacyOffice converts real .doc and .xls files (made by LibreOffice
// from the HTML fixtures) with a real soffice and reads them: the same
// cells as the HTML page. A .wps is the Word-compatible format Kingsoft
// WPS writes; here the .doc under a .wps name goes the .wps path.
func TestLegacyOffice(t *testing.T) {
	conv := &soffice.Converter{}
	if !conv.Available() {
		t.Skip("soffice not installed (Debian libreoffice-writer-nogui, libreoffice-calc-nogui; .ci/run installs them)")
	}
	cases := []struct{ file, name, html, kind string }{
		{"full-2021.word.doc", "report.doc", "full-2021.html", extract.KindDOC},
		{"full-2021.word.doc", "report.wps", "full-2021.html", extract.KindWPS},
		{"full-2019.calc.xls", "report.xls", "full-2019.html", extract.KindXLS},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := read(t, "../../extract/testdata/attach/legacy/"+c.file)
			rep, err := extract.Parse(extract.Input{Source: c.name, Body: body, Converter: conv})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Kind != c.kind || len(rep.SHA256) != 64 {
				t.Errorf("kind %q sha %q; want %q", rep.Kind, rep.SHA256, c.kind)
			}
			html, err := extract.Parse(extract.Input{Source: c.html, Body: read(t, "../../extract/testdata/"+c.html)})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, cell := range rep.Cells {
				got[cell.Table+"."+cell.Row+"."+cell.Col] = val(cell.Value)
			}
			if len(rep.Cells) != len(html.Cells) || len(html.Cells) < 190 {
				t.Errorf("%d cells; html has %d (warnings %v)", len(rep.Cells), len(html.Cells), rep.Warnings)
			}
			for _, cell := range html.Cells {
				if k := cell.Table + "." + cell.Row + "." + cell.Col; got[k] != val(cell.Value) {
					t.Errorf("%s = %q; html %q", k, got[k], val(cell.Value))
				}
			}
		})
	}
}

// TestNoConverter: without LibreOffice a .doc is kept with a warning naming
// the package to install; a corrupt .xls gives no cells.
func TestNoConverter(t *testing.T) {
	body := read(t, "../../extract/testdata/attach/legacy/full-2021.word.doc")
	rep, err := extract.Parse(extract.Input{Source: "r.doc", Body: body, Converter: &soffice.Converter{Bin: "/nonexistent/soffice"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || rep.Warnings[0].Code != extract.WarnNeedsConverter || rep.Warnings[0].Message != "a .doc file needs LibreOffice to be read: install libreoffice-writer-nogui" {
		t.Errorf("warnings %+v", rep.Warnings)
	}
	conv := &soffice.Converter{}
	if !conv.Available() {
		return
	}
	bad := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4000)...)
	rep, err = extract.Parse(extract.Input{Source: "bad.xls", Body: bad, Converter: conv})
	if err != nil {
		t.Fatal(err)
	}
	// LibreOffice either refuses it or makes an empty sheet of it.
	if len(rep.Cells) != 0 || len(rep.Warnings) == 0 {
		t.Errorf("corrupt .xls: %d cells, warnings %+v", len(rep.Cells), rep.Warnings)
	}
	t.Logf("corrupt .xls: %s %s", rep.Warnings[0].Code, rep.Warnings[0].Message)
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func val(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
