package extract

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// writeOFD writes positioned pages as an OFD package, as an OFD producer
// does: one TextObject per run of glyphs on a baseline (DeltaX advances,
// baseline Y, millimetres), one PathObject per rule.
func writeOFD(t *testing.T, pages []layoutPage) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	mm := func(pt float64) string { return fmt.Sprintf("%.3f", pt/mmToPt) }
	put("OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`)
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>`)
	for i, p := range pages {
		fmt.Fprintf(&doc, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+1, i)
		var c strings.Builder
		c.WriteString(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">`)
		// Glyphs of one size on one baseline, left to right, are one
		// TextCode with DeltaX advances, as OFD producers write a run.
		gs := p.glyphs
		for i := 0; i < len(gs); {
			g := gs[i]
			size := g.y1 - g.y0
			j := i + 1
			for j < len(gs) && math.Abs(gs[j].y1-g.y1) < 0.1 && math.Abs((gs[j].y1-gs[j].y0)-size) < 0.1 && gs[j].x0 > gs[j-1].x0 && j-i < 40 {
				j++
			}
			var text strings.Builder
			var deltas []string
			for k := i; k < j; k++ {
				text.WriteString(gs[k].text)
				if k+1 < j {
					deltas = append(deltas, mm(gs[k+1].x0-gs[k].x0))
				}
			}
			dx := ""
			if len(deltas) > 0 {
				dx = ` DeltaX="` + strings.Join(deltas, " ") + `"`
			}
			fmt.Fprintf(&c, `<ofd:TextObject ID="2" Boundary="%s %s %s %s" Font="3" Size="%s"><ofd:TextCode X="0" Y="%s"%s>%s</ofd:TextCode></ofd:TextObject>`,
				mm(g.x0), mm(g.y0), mm(gs[j-1].x1-g.x0), mm(size), mm(size), mm(0.85*size), dx, html.EscapeString(text.String()))
			i = j
		}
		for _, r := range p.rules {
			fmt.Fprintf(&c, `<ofd:PathObject ID="4" Boundary="%s %s %s %s" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L %s %s</ofd:AbbreviatedData></ofd:PathObject>`,
				mm(r.x0), mm(r.y0), mm(r.x1-r.x0), mm(r.y1-r.y0), mm(r.x1-r.x0), mm(r.y1-r.y0))
		}
		c.WriteString(`</ofd:Layer></ofd:Content></ofd:Page>`)
		put(fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), c.String())
	}
	doc.WriteString(`</ofd:Pages></ofd:Document>`)
	put("Doc_0/Document.xml", doc.String())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOFD: a report laid out in OFD (written here from the positions of
// the printed PDF fixture: glyphs as TextObjects, rules as PathObjects)
// reads to exactly the cells of the HTML page it was printed from, with
// pages and boxes.
func TestOFD(t *testing.T) {
	pdf, err := os.ReadFile("testdata/attach/full-2021.pdf")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := readPDF(t.Context(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	ofd := writeOFD(t, doc.pages)
	if k := Sniff(ofd, "", "report.ofd"); k != KindOFD {
		t.Fatalf("sniffed %q", k)
	}
	rep, err := Parse(Input{Source: "report.ofd", Body: ofd})
	if err != nil {
		t.Fatal(err)
	}
	htmlBody, _ := os.ReadFile("testdata/full-2021.html")
	want, _ := Parse(Input{Source: "full-2021.html", Body: htmlBody})
	got := map[string]string{}
	for _, c := range rep.Cells {
		got[c.Table+"."+c.Row+"."+c.Col] = show(c.Value)
		if c.Page < 1 || c.Box == nil {
			t.Fatalf("cell %+v without page or box", c)
		}
	}
	if len(rep.Cells) != len(want.Cells) {
		t.Errorf("%d cells; html %d; warnings %v", len(rep.Cells), len(want.Cells), rep.Warnings)
	}
	for _, c := range want.Cells {
		if k := c.Table + "." + c.Row + "." + c.Col; got[k] != show(c.Value) {
			t.Errorf("%s = %s; html %s", k, got[k], show(c.Value))
		}
	}
	if rep.Year != 2021 || rep.Kind != KindOFD {
		t.Errorf("year %d kind %q", rep.Year, rep.Kind)
	}
}

func show(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// TestOFDCorpus: the real PDF report of ../shared/corpus laid out as OFD
// reads to exactly its expected cells (skipped without ../shared).
func TestOFDCorpus(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus")
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(pdfs) == 0 {
		t.Skip("../shared/corpus has no PDF")
	}
	sort.Strings(pdfs)
	for _, path := range pdfs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var want struct {
				Year  int                `json:"year"`
				Cells map[string]*string `json:"cells"`
			}
			exp, err := os.ReadFile(strings.TrimSuffix(path, ".pdf") + ".expected.json")
			if err != nil {
				t.Skip("no expected cells beside it")
			}
			if err := json.Unmarshal(exp, &want); err != nil {
				t.Fatal(err)
			}
			pdf, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := readPDF(t.Context(), pdf)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Parse(Input{Source: "report.ofd", Body: writeOFD(t, doc.pages)})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range rep.Cells {
				got[c.Table+"."+c.Row+"."+c.Col] = show(c.Value)
			}
			for code, v := range want.Cells {
				if g, ok := got[code]; !ok || g != show(v) {
					t.Errorf("%s = %q (present %v); want %s", code, g, ok, show(v))
				}
			}
			if len(got) != len(want.Cells) || rep.Year != want.Year || rep.Kind != KindOFD {
				t.Errorf("%d cells, year %d, kind %q; want %d cells, year %d", len(got), rep.Year, rep.Kind, len(want.Cells), want.Year)
			}
		})
	}
}
