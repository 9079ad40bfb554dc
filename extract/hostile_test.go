package extract_test

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/nianbao/nianbao/extract"
)

// TestHostileMarkup: spans and sizes that would explode a naive grid must
// neither hang nor exhaust memory.
func TestHostileMarkup(t *testing.T) {
	wide := strings.Repeat(`<td rowspan=100000 colspan=100000>1</td>`, 400)
	cases := []struct {
		name string
		body string
	}{
		{"huge spans", "<table>" + strings.Repeat("<tr>"+wide+"</tr>", 300) + "</table>"},
		{"deep nesting", strings.Repeat("<table><tr><td>", 3000) + "一、本年新收政府信息公开申请数量"},
		{"unclosed everything", strings.Repeat("<p><span><b>2021年", 20000)},
		{"long text line", strings.Repeat("一、本年新收 1 ", 50000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			if _, err := extract.Parse(extract.Input{Source: tc.name, Body: []byte(tc.body)}); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Parse took %v", d)
			}
		})
	}
}

// TestParseUnusable: only an empty input is an error (naming the source);
// junk is a report with warnings.
func TestParseUnusable(t *testing.T) {
	_, err := extract.Parse(extract.Input{Source: "empty.html"})
	if !errors.Is(err, extract.ErrEmpty) || !strings.Contains(err.Error(), "empty.html") {
		t.Errorf("Parse(empty) error = %v; want ErrEmpty naming the file", err)
	}
	cases := map[string]string{
		"binary":    "\x00\x01\x02\xff\xfe\x89PNG\r\n",
		"no tables": "<html><body><p>通知公告</p></body></html>",
		"text":      "just some words",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: name, Body: []byte(body)})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if rep.Format != "unknown" || len(rep.Cells) != 0 || !rep.NotAReport || !hasWarning(rep, extract.WarnNotAReport) {
				t.Errorf("format %q, %d cells, not a report %v, warnings %+v; want unknown, 0, not_a_report", rep.Format, len(rep.Cells), rep.NotAReport, rep.Warnings)
			}
		})
	}
}

// TestNotAReport (issue 9 item 6): a binary file, 50 MB of random bytes and
// a README are pages, not reports; a report without tables is a report.
func TestNotAReport(t *testing.T) {
	random := make([]byte, 50<<20)
	rand.New(rand.NewSource(1)).Read(random)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), random[:4096]...)
	for name, body := range map[string][]byte{"random 50 MB": random, "png": png, "README.md": readme,
		"list page": []byte(`<html><head><title>政府信息公开年报_某某区人民政府</title></head><body><ul><li><a href="/a.html">2021年报</a></li></ul></body></html>`)} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			rep, err := extract.Parse(extract.Input{Source: name, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.NotAReport || !hasWarning(rep, extract.WarnNotAReport) || len(rep.Cells) != 0 {
				t.Errorf("not a report = %v, %d cells, warnings %+v; want not_a_report", rep.NotAReport, len(rep.Cells), rep.Warnings)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	for name, body := range map[string]string{
		"tables as images": `<title>某某区2021年政府信息公开工作年度报告</title><body><p>一、总体情况</p><p>…</p><p>二、主动公开政府信息情况</p><img src="t2.png"><p>三、收到和处理政府信息公开申请情况</p><img src="t3.png"></body>`,
		"pre-2019 prose":   `<body><p>某某县2017年政府信息公开工作年度报告</p><p>一、概述</p><p>2017年，本县…</p></body>`,
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: name, Body: []byte(body)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.NotAReport || hasWarning(rep, extract.WarnNotAReport) {
				t.Errorf("a report without tables flagged not_a_report: %+v", rep.Warnings)
			}
		})
	}
}

// TestStaleCharset (issue 9 item 6): a UTF-8 page still carrying <meta
// charset=gb2312>, and the same page in UTF-16 with a BOM, read like the
// page itself, with a charset_override warning and doubt on every cell.
func TestStaleCharset(t *testing.T) {
	page := mustRead(t, "testdata/full-2021.html")
	want := mustParseFile(t, "testdata/full-2021.html")
	stale := bytes.Replace(page, []byte(`<meta charset="utf-8">`), []byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), 1)
	if bytes.Equal(stale, page) {
		t.Fatal("fixture has no <meta charset=\"utf-8\">")
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(stale)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"utf-8 under gb2312 meta": stale, "utf-16le with BOM": u16} {
		t.Run(name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: name, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Cells) != len(want.Cells) || rep.Agency != want.Agency || rep.Year != want.Year {
				t.Fatalf("%d cells, %q %d; want %d cells, %q %d", len(rep.Cells), rep.Agency, rep.Year, len(want.Cells), want.Agency, want.Year)
			}
			if !hasWarning(rep, extract.WarnCharsetOverride) {
				t.Errorf("no charset_override warning: %+v", rep.Warnings)
			}
			for i, c := range rep.Cells {
				if show(c.Value) != show(want.Cells[i].Value) || !slices.Contains(c.Doubts, extract.DoubtCharsetOverride) {
					t.Fatalf("cell %+v; want value %s with doubt charset_override", c, show(want.Cells[i].Value))
				}
			}
		})
	}
	if hasWarning(want, extract.WarnCharsetOverride) {
		t.Errorf("the page as declared has a charset_override warning")
	}
}

// TestSubtotalRows: group rows that print subtotals (（三）不予公开, and
// （六）其他处理 above its 2021 sub-rows) are not cells of the codebook: they
// are reported and skipped, and the sub-rows are read.
func TestSubtotalRows(t *testing.T) {
	page := strings.Join([]string{
		"三、收到和处理政府信息公开申请情况",
		"一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5",
		"（一）予以公开 2 0 0 0 0 0 2",
		"（三）不予公开 1 0 0 0 0 0 1",
		"1.属于国家秘密 1 0 0 0 0 0 1",
		"（六）其他处理 2 0 0 0 0 0 2",
		"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 1 0 0 0 0 0 1",
		"3.其他 1 0 0 0 0 0 1",
		"（七）总计 5 0 0 0 0 0 5",
	}, "\n")
	rep, err := extract.Parse(extract.Input{Source: "subtotals.txt", Body: []byte(page), ContentType: "text/plain"})
	if err != nil {
		t.Fatal(err)
	}
	got := cellMap(rep)
	if c, ok := got["t3.other.natural"]; ok {
		t.Errorf("t3.other.natural = %s; want no cell (subtotal of a 2021 table)", show(c.Value))
	}
	for _, key := range []string{"t3.denied.state_secret.natural", "t3.other.no_correction.natural", "t3.other.other.natural", "t3.result_total.total"} {
		if _, ok := got[key]; !ok {
			t.Errorf("%s missing", key)
		}
	}
	if !hasWarning(rep, "unmapped_row:t3.other.") || rep.TableFormats["t3"] != "2021" {
		t.Errorf("warnings %+v, table formats %v; want unmapped_row for t3.other and t3 in 2021", rep.Warnings, rep.TableFormats)
	}
	n := 0
	for _, w := range rep.Warnings {
		if w.Code == "unmapped_row" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d unmapped_row warnings; want 2 (（三） and （六） subtotals): %+v", n, rep.Warnings)
	}
}
