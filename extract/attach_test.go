package extract_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// attachFixtures maps every attachment fixture testdata/attach/CASE.*.EXT
// to the HTML fixture it was made from (testdata/CASE.html; see
// testdata/attach/gen.sh).
func attachFixtures(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("testdata/attach/*.*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasSuffix(base, ".sh") || strings.HasPrefix(base, "scan") {
			continue
		}
		name, _, _ := strings.Cut(base, ".")
		out[f] = filepath.Join("testdata", name)
	}
	if len(out) == 0 {
		t.Fatal("no attachment fixtures")
	}
	return out
}

// TestAttachmentsReadLikeHTML: a report printed to PDF (portrait; landscape
// with its tables split over pages and page headers and footers between
// the parts) gives exactly the cells of the HTML page it was printed from,
// the expected cells of that page.
func TestAttachmentsReadLikeHTML(t *testing.T) {
	for file, base := range attachFixtures(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			rep := mustParseFile(t, file)
			want := loadExpectation(t, base+".expect.json")
			want.FixAgency, want.PublishedAt, want.Warnings = "", "", nil // the page's metadata, not the tables
			checkExpectation(t, rep, want)
			html := mustParseFile(t, base+".html")
			if rep.Agency != html.Agency || rep.Year != html.Year || rep.PublishedAt != html.PublishedAt {
				t.Errorf("agency, year, published = %q %d %q; html %q %d %q", rep.Agency, rep.Year, rep.PublishedAt, html.Agency, html.Year, html.PublishedAt)
			}
			got := cellMap(rep)
			for k, c := range cellMap(html) {
				if g, ok := got[k]; !ok || show(g.Value) != show(c.Value) {
					t.Errorf("%s: attachment %s, html %s", k, show(g.Value), show(c.Value))
				}
			}
			if rep.Kind != extract.Sniff(mustRead(t, file), "", "") || rep.SHA256 == "" {
				t.Errorf("kind %q sha256 %q", rep.Kind, rep.SHA256)
			}
		})
	}
}

// TestPDFProvenance: every PDF cell says on which page and where it is:
// boxes on the page, the cells of a row side by side, left to right.
func TestPDFProvenance(t *testing.T) {
	rep := mustParseFile(t, "testdata/attach/full-2021.pdf")
	if len(rep.SHA256) != 64 {
		t.Fatalf("sha256 %q", rep.SHA256)
	}
	byRow := map[string][]extract.Cell{}
	for _, c := range rep.Cells {
		if c.Page < 1 || c.Box == nil {
			t.Fatalf("cell %s.%s.%s has no page or box: %+v", c.Table, c.Row, c.Col, c)
		}
		b := c.Box
		if !(b[0] < b[2] && b[1] < b[3] && b[0] >= 0 && b[1] >= 0 && b[2] <= 600 && b[3] <= 850) {
			t.Errorf("cell %s.%s.%s box %v not on an A4 page", c.Table, c.Row, c.Col, *b)
		}
		byRow[c.Table+"."+c.Row] = append(byRow[c.Table+"."+c.Row], c)
	}
	for row, cells := range byRow {
		for i := 1; i < len(cells); i++ {
			a, b := cells[i-1], cells[i]
			if a.Page != b.Page || a.Box[1] != b.Box[1] || a.Box[2] > b.Box[0]+0.5 {
				t.Errorf("%s: cells %s and %s are not side by side: page %d %v, page %d %v", row, a.Col, b.Col, a.Page, *a.Box, b.Page, *b.Box)
			}
		}
	}
	c := cellMap(rep)["t3.new.natural"]
	if c.Page != 1 || c.Raw != "21" {
		t.Errorf("t3.new.natural on page %d raw %q; want page 1, 21", c.Page, c.Raw)
	}
}

// TestScannedPDF: a PDF whose pages are images is recorded as such, with
// its page count, and nothing is guessed.
func TestScannedPDF(t *testing.T) {
	rep := mustParseFile(t, "testdata/attach/scan.pdf")
	if len(rep.Cells) != 0 || rep.Kind != extract.KindPDF {
		t.Errorf("cells %d kind %q", len(rep.Cells), rep.Kind)
	}
	if !hasWarning(rep, extract.WarnTablesAreImages) {
		t.Fatalf("no tables_are_images: %+v", rep.Warnings)
	}
	for _, w := range rep.Warnings {
		if w.Code == extract.WarnTablesAreImages && !strings.Contains(w.Message, "(1 pages)") {
			t.Errorf("message %q does not give the page count", w.Message)
		}
	}
}

// TestBadAttachments: broken files are kept with a one-line reason.
func TestBadAttachments(t *testing.T) {
	pdf := mustRead(t, "testdata/attach/full-2021.pdf")
	for name, body := range map[string][]byte{
		"truncated.pdf": pdf[:len(pdf)/3],
		"garbage.pdf":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 5000)...),
		"report.doc":    append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...),
	} {
		rep, err := extract.Parse(extract.Input{Source: name, Body: body})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rep.Warnings) == 0 || strings.Contains(rep.Warnings[0].Message, "\n") {
			t.Errorf("%s: warnings %+v", name, rep.Warnings)
		}
		t.Logf("%s: %s %s", name, rep.Warnings[0].Code, rep.Warnings[0].Message)
	}
}

// hostileZips are DOCX/XLSX/OFD-shaped archives built to hurt a reader:
// a zip bomb (a small file that inflates to 100 MB), XML nested 100 000
// deep, a table of 10 000 columns.
func hostileZips(tb testing.TB) map[string][]byte {
	tb.Helper()
	hostileOnce.Do(func() { hostile = makeHostileZips(tb) })
	return hostile
}

var (
	hostileOnce sync.Once
	hostile     map[string][]byte
)

func makeHostileZips(tb testing.TB) map[string][]byte {
	mk := func(files map[string]string, big string, bigSize int) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range files {
			w, err := zw.Create(name)
			if err != nil {
				tb.Fatal(err)
			}
			io.WriteString(w, body)
		}
		if big != "" {
			w, err := zw.Create(big)
			if err != nil {
				tb.Fatal(err)
			}
			io.WriteString(w, "<w:document><w:body><w:p><w:r><w:t>")
			chunk := bytes.Repeat([]byte("0"), 1<<20)
			for i := 0; i < bigSize>>20; i++ {
				w.Write(chunk)
			}
		}
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
		return buf.Bytes()
	}
	return map[string][]byte{
		"bomb.docx": mk(nil, "word/document.xml", 100<<20),
		"deep.docx": mk(map[string]string{"word/document.xml": strings.Repeat("<w:tbl><w:tr><w:tc>", 100000)}, "", 0),
		"wide.docx": mk(map[string]string{"word/document.xml": "<w:document><w:body><w:tbl><w:tr>" + strings.Repeat(`<w:tc><w:tcPr><w:gridSpan w:val="999999"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>`, 10000) + "</w:tr></w:tbl></w:body></w:document>"}, "", 0),
		"bomb.xlsx": mk(map[string]string{"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>`}, "xl/worksheets/sheet1.xml", 100<<20),
		"empty.ofd": mk(map[string]string{"OFD.xml": ""}, "", 0),
		"deep.ofd":  mk(map[string]string{"OFD.xml": "<OFD><DocBody><DocRoot>d.xml</DocRoot></DocBody></OFD>", "d.xml": `<Document><Pages><Page BaseLoc="c.xml"/></Pages></Document>`, "c.xml": strings.Repeat("<Layer>", 200000)}, "", 0),
		"other.zip": mk(map[string]string{"a.txt": "x"}, "", 0),
	}
}

// TestHostileAttachments: each hostile archive is kept with a warning, in
// bounded time, without exhausting memory.
func TestHostileAttachments(t *testing.T) {
	for name, body := range hostileZips(t) {
		start := time.Now()
		rep, err := extract.Parse(extract.Input{Source: name, Body: body})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v", name, d)
		}
		t.Logf("%s (%d bytes): %d cells, warnings %v", name, len(body), len(rep.Cells), rep.Warnings[:min(2, len(rep.Warnings))])
	}
}

// FuzzParseAttachment feeds mangled attachments to Parse: no panic, no
// hang, whatever the bytes.
func FuzzParseAttachment(f *testing.F) {
	if err := extract.WarmPDF(); err != nil {
		f.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/attach/*.*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 4096)])
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Pages/Count 1000000000/Kids[1 0 R]>>endobj trailer<</Root 1 0 R>>"))
	f.Add([]byte("%PDF-1.4\n" + strings.Repeat("[", 100000)))
	for _, b := range hostileZips(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		start := time.Now()
		rep, err := extract.Parse(extract.Input{Source: "fuzz.pdf", Body: body})
		if err != nil {
			if len(body) > 0 {
				t.Fatalf("Parse: %v", err)
			}
			return
		}
		if rep.Format == "" {
			t.Fatalf("no format: %+v", rep)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Parse took %v on %d bytes", d, len(body))
		}
	})
}
