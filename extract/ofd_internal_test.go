package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
)

// writeOFD writes positioned pages as an OFD package, as an OFD producer
// does: one TextObject per glyph (baseline Y, millimetres), one
// PathObject per rule.
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
		for _, g := range p.glyphs {
			size := (g.y1 - g.y0)
			fmt.Fprintf(&c, `<ofd:TextObject ID="2" Boundary="%s %s %s %s" Font="3" Size="%s"><ofd:TextCode X="0" Y="%s">%s</ofd:TextCode></ofd:TextObject>`,
				mm(g.x0), mm(g.y0), mm(g.x1-g.x0), mm(size), mm(size), mm(0.85*size), html.EscapeString(g.text))
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
