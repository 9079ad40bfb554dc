package extract_test

import (
	"errors"
	"strings"
	"testing"
	"time"

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
			if rep.Format != "unknown" || len(rep.Cells) != 0 || !hasWarning(rep, "no_tables") {
				t.Errorf("format %q, %d cells, warnings %+v; want unknown, 0, no_tables", rep.Format, len(rep.Cells), rep.Warnings)
			}
		})
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
