package extract_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// One fuzz target per attachment reader. FuzzParseAttachment mutates whole
// files, and a mutated zip rarely still opens, so the XML readers behind
// the zip would hardly be reached: here the fuzzer writes the XML part
// itself (word/document.xml, the first worksheet, an OFD page) inside an
// otherwise valid package, and the PDF target starts from small,
// complete PDFs. Each checks what a night needs of a hostile file: no
// panic, no hang, bounded memory, and a report (a kept page) for any
// non-empty input. Seeds are small: the fuzzer minimises every input that
// finds new code, and a megabyte seed makes that take minutes (the large
// hostile files are TestHostileAttachments' cases).
//
//	go test ./extract -run '^$' -fuzz FuzzDOCXDocument -fuzztime 60s -fuzzminimizetime 5s

// readerBudget bounds one call: time (a hang) and bytes allocated (a bomb).
// The wasm memory of the PDF engine is capped separately (1 GiB).
const (
	readerTime  = 10 * time.Second
	readerAlloc = 1 << 30
)

// parseBounded parses body as the named file and fails on an error, a
// missing format, or a call over the budget.
func parseBounded(t *testing.T, name string, body []byte) *extract.Report {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	type result struct {
		rep *extract.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := extract.Parse(extract.Input{Source: name, Body: body})
		done <- result{rep, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(readerTime):
		// Fail while Parse still runs, so the fuzzer keeps the input.
		t.Fatalf("%s: Parse still running after %v on %d bytes", name, readerTime, len(body))
	}
	rep, err := res.rep, res.err
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("%s: Parse: %v", name, err)
	}
	if rep == nil || rep.Format == "" {
		t.Fatalf("%s: no format: %+v", name, rep)
	}
	if d > readerTime {
		t.Fatalf("%s: Parse took %v on %d bytes", name, d, len(body))
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > readerAlloc {
		t.Fatalf("%s: Parse allocated %d MiB on %d bytes", name, a>>20, len(body))
	}
	return rep
}

// zipEntries reads every entry of a zip fixture.
func zipEntries(tb testing.TB, path string) map[string][]byte {
	tb.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// rezip writes entries as a zip, with entry name replaced by part.
func rezip(tb testing.TB, entries map[string][]byte, name string, part []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, b := range entries {
		if n == name {
			b = part
		}
		w, err := zw.Create(n)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// fuzzZipPart fuzzes entry name of the zip fixture at path (its other
// parts kept), seeded with the given parts. The fixture's own part is read
// by TestAttachmentsReadLikeHTML; it is too large to be a good seed.
func fuzzZipPart(f *testing.F, path, name, file string, seeds ...string) {
	entries := zipEntries(f, path)
	if _, ok := entries[name]; !ok {
		f.Fatalf("%s has no %s", path, name)
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, part []byte) {
		parseBounded(t, file, rezip(t, entries, name, part))
	})
}

func FuzzDOCXDocument(f *testing.F) {
	fuzzZipPart(f, "testdata/attach/full-2021.word.docx", "word/document.xml", "fuzz.docx",
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`+
			`<w:p><w:r><w:t>三、收到和处理政府信息公开申请情况</w:t></w:r></w:p><w:tbl>`+
			`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>本列数据的勾稽关系</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>自然人</w:t></w:r></w:p></w:tc></w:tr>`+
			`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr>`+
			`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>一、本年新收政府信息公开申请数量</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t><w:t>2</w:t></w:r></w:p></w:tc></w:tr>`+
			`</w:tbl></w:body></w:document>`,
		strings.Repeat("<w:tbl><w:tr><w:tc>", 300),
		`<w:document><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2147483647"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>`+
			strings.Repeat(`<w:tr><w:trPr><w:gridBefore w:val="99999999"/></w:trPr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc></w:tr>`, 20)+`</w:tbl></w:body></w:document>`,
		`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document><w:body><w:p><w:r><w:t>&b;&b;&b;</w:t></w:r></w:p></w:body></w:document>`)
}

func FuzzXLSXSheet(f *testing.F) {
	fuzzZipPart(f, "testdata/attach/full-2019.calc.xlsx", "xl/worksheets/sheet1.xml", "fuzz.xlsx",
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
			`<row r="1"><c r="A1" t="inlineStr"><is><t>一、本年新收政府信息公开申请数量</t></is></c><c r="C1"><v>12</v></c></row>`+
			`<row r="2"><c r="A2" t="inlineStr"><is><t>收费金额（万元）</t></is></c><c r="C2"><v>0.123456</v></c></row>`+
			`</sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>`,
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`,
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+strings.Repeat(`<row><c t="s"><v>999999999</v></c></row>`, 50)+`</sheetData></worksheet>`)
}

// ofdPackage is a one-page OFD whose page content is the fuzzed part.
func ofdPackage() map[string][]byte {
	return map[string][]byte{
		"OFD.xml":                        []byte(`<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`),
		"Doc_0/Document.xml":             []byte(`<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`),
		"Doc_0/Pages/Page_0/Content.xml": nil,
	}
}

func FuzzOFDPage(f *testing.F) {
	entries := ofdPackage()
	const name = "Doc_0/Pages/Page_0/Content.xml"
	f.Add([]byte(`<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>` +
		`<ofd:TextObject Boundary="20 20 100 10" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 3 4">一、总体情况</ofd:TextCode></ofd:TextObject>` +
		`<ofd:PathObject Boundary="20 40 170 100"><ofd:AbbreviatedData>M 0 0 L 170 0 L 170 100 L 0 100 C</ofd:AbbreviatedData></ofd:PathObject>` +
		`<ofd:TextObject Boundary="25 45 20 6" Size="3.5"><ofd:TextCode X="0" Y="4">12</ofd:TextCode></ofd:TextObject>` +
		`</ofd:Layer></ofd:Content></ofd:Page>`))
	f.Add([]byte(`<ofd:Page><ofd:Content><ofd:Layer><ofd:TextObject Boundary="0 0 1 1" Size="1e-300"><ofd:TextCode X="1e308" Y="-1e308" DeltaX="g 2147483647 1">` + strings.Repeat("字", 1000) + `</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`))
	f.Add([]byte(`<ofd:Page><ofd:Content><ofd:Layer><ofd:PathObject Boundary="0 0 1 1"><ofd:AbbreviatedData>` + strings.Repeat("L 1 1 ", 2000) + `</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>`))
	f.Fuzz(func(t *testing.T, part []byte) {
		parseBounded(t, "fuzz.ofd", rezip(t, entries, name, part))
	})
}

// smallPDF is a complete one-page PDF with a ruled two-cell table, its
// xref offsets computed, so mutations start from a file both readers open
// (the standard Times-Roman, the one font not embedded the fast reader
// reads); mutations the fast reader gives up on go to PDFium.
func smallPDF() []byte {
	content := "0.5 w 50 700 m 250 700 l 250 650 l 50 650 l h S 150 700 m 150 650 l S " +
		"BT /F1 12 Tf 60 670 Td (received) Tj ET BT /F1 12 Tf 160 670 Td (120) Tj ET"
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
		"<</Length " + itoa(len(content)) + ">>stream\n" + content + "\nendstream",
		"<</Type/Font/Subtype/Type1/BaseFont/Times-Roman>>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		b.WriteString(itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		s := itoa(off)
		b.WriteString(strings.Repeat("0", 10-len(s)) + s + " 00000 n \n")
	}
	b.WriteString("trailer\n<</Size " + itoa(len(objs)+1) + "/Root 1 0 R>>\nstartxref\n" + itoa(xref) + "\n%%EOF\n")
	return []byte(b.String())
}

func FuzzPDF(f *testing.F) {
	if err := extract.WarmPDF(); err != nil {
		f.Fatal(err)
	}
	f.Add(smallPDF())
	if b, err := os.ReadFile("testdata/attach/scan.pdf"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(strings.Replace(string(smallPDF()), "/Count 1", "/Count 1000000000", 1)))
	f.Add([]byte(strings.Replace(string(smallPDF()), "/Rotate", "", 1) + strings.Repeat("[", 1000)))
	f.Add([]byte(strings.Replace(string(smallPDF()), "(120) Tj", strings.Repeat("(1) Tj ", 500), 1)))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) == 0 {
			return
		}
		parseBounded(t, "fuzz.pdf", body)
	})
}

// TestSmallPDFReads keeps the PDF fuzz seed honest: it is a PDF the reader
// opens and reads text from, so mutations start inside the reader.
func TestSmallPDFReads(t *testing.T) {
	rep := parseBounded(t, "small.pdf", smallPDF())
	if rep.Kind != extract.KindPDF {
		t.Fatalf("kind %q, want %q", rep.Kind, extract.KindPDF)
	}
	table := false
	for _, w := range rep.Warnings {
		if w.Code == extract.WarnTablesAreImages {
			t.Fatalf("seed PDF has no text layer: %+v", rep.Warnings)
		}
		// The ruled table was rebuilt from the geometry: it is no
		// national table, so it is reported as an unknown format.
		table = table || w.Code == extract.WarnUnknownFormat && strings.HasPrefix(w.Message, "1 tables")
	}
	if !table {
		t.Fatalf("seed PDF's ruled table not found: %+v", rep.Warnings)
	}
}

// TestDOCXLayoutTable: a DOCX whose report sits inside a frame table (a
// converted web page with layout tables, a Word template's border table)
// reads like the same report without the frame: the outer table's text is
// prose and the tables inside it are the tables, as in HTML.
func TestDOCXLayoutTable(t *testing.T) {
	const fixture = "testdata/attach/full-2021.word.docx"
	entries := zipEntries(t, fixture)
	doc := string(entries["word/document.xml"])
	open := strings.Index(doc, "<w:body>")
	sect := strings.LastIndex(doc, "<w:sectPr")
	if open < 0 || sect < 0 {
		t.Fatal("fixture's document.xml has no body or sectPr")
	}
	open += len("<w:body>")
	framed := doc[:open] + `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>【打印】【关闭】</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc>` +
		doc[open:sect] + `<w:p/></w:tc></w:tr></w:tbl>` + doc[sect:]
	want := mustParseFile(t, fixture)
	got := parseBounded(t, "framed.docx", rezip(t, entries, "word/document.xml", []byte(framed)))
	if len(want.Cells) == 0 || len(got.Cells) != len(want.Cells) {
		t.Fatalf("%d cells in the frame; %d without", len(got.Cells), len(want.Cells))
	}
	gm := cellMap(got)
	for k, c := range cellMap(want) {
		if g, ok := gm[k]; !ok || show(g.Value) != show(c.Value) {
			t.Errorf("%s = %s in the frame; %s without", k, show(g.Value), show(c.Value))
		}
	}
	if got.Agency != want.Agency || got.Year != want.Year {
		t.Errorf("agency, year = %q %d; without the frame %q %d", got.Agency, got.Year, want.Agency, want.Year)
	}
}
