package extract

import (
	"strings"
	"testing"
)

// TestJoinAcross: how a table's part on one page and its part overleaf
// are joined, on three-column tables (a group label, a row label, a
// value): prev's last row is "5.要求行政机关确认 | 0" under the group
// "（五）不予处理".
func TestJoinAcross(t *testing.T) {
	xs := []float64{0, 100, 200, 300}
	prev := func(openBottom bool) *openTable {
		return &openTable{xs: xs, nr: 2, nc: 3, openBottom: openBottom, cells: []gridCell{
			{r0: 0, r1: 1, c0: 0, c1: 0, text: "（五）不予处理"},
			{r0: 0, r1: 0, c0: 1, c1: 1, text: "4.无正当理由大量反复申请"}, {r0: 0, r1: 0, c0: 2, c1: 2, text: "0"},
			{r0: 1, r1: 1, c0: 1, c1: 1, text: "5.要求行政机关确认"}, {r0: 1, r1: 1, c0: 2, c1: 2, text: "0"},
		}}
	}
	// next is the part overleaf: its first row's label and value, then a
	// row "（六）其他处理 | 1.其他 | 1".
	next := func(openTop bool, label, value string, groupOpen bool) (*lattice, []gridCell) {
		t := &lattice{xs: xs, ys: []float64{0, 20, 40}, openTop: openTop}
		group := ""
		if !groupOpen && !openTop {
			group = "（六）其他处理" // a group of its own starts overleaf
		}
		return t, []gridCell{
			{r0: 0, r1: 0, c0: 0, c1: 0, text: group, openTop: groupOpen || openTop},
			{r0: 0, r1: 0, c0: 1, c1: 1, text: label, openTop: openTop}, {r0: 0, r1: 0, c0: 2, c1: 2, text: value, openTop: openTop},
			{r0: 1, r1: 1, c0: 0, c1: 0, text: "（六）其他处理"}, {r0: 1, r1: 1, c0: 1, c1: 1, text: "1.其他"}, {r0: 1, r1: 1, c0: 2, c1: 2, text: "1"},
		}
	}
	rows := func(cells []gridCell, nr int) string {
		var out []string
		for r := 0; r < nr; r++ {
			var line []string
			for _, c := range cells {
				if c.r0 == r {
					s := strings.ReplaceAll(c.text, "\n", "⏎")
					if c.cut {
						s += "✂"
					}
					line = append(line, s)
				}
			}
			out = append(out, strings.Join(line, "|"))
		}
		return strings.Join(out, " / ")
	}
	for _, tc := range []struct {
		name       string
		openBottom bool
		openTop    bool
		groupOpen  bool
		label      string
		value      string
		want       string // "" = not joined
	}{
		{"cut row, open on both sides", true, true, false, "或重新出具已获取信息", "",
			"（五）不予处理|4.无正当理由大量反复申请|0 / 5.要求行政机关确认⏎或重新出具已获取信息✂|0✂ / （六）其他处理|1.其他|1"},
		{"cut row, ruled on both sides (Word, LibreOffice)", false, false, true, "或重新出具已获取信息", "",
			"（五）不予处理|4.无正当理由大量反复申请|0 / 5.要求行政机关确认⏎或重新出具已获取信息✂|0✂ / （六）其他处理|1.其他|1"},
		{"a new numbered row with blank values is its own row", false, false, true, "6.其他", "",
			"（五）不予处理|4.无正当理由大量反复申请|0 / 5.要求行政机关确认|0 / 6.其他| / （六）其他处理|1.其他|1"},
		{"a new row with values is its own row", false, false, true, "或重新出具", "3",
			"（五）不予处理|4.无正当理由大量反复申请|0 / 5.要求行政机关确认|0 / 或重新出具|3 / （六）其他处理|1.其他|1"},
		{"a new group starts overleaf: two tables", false, false, false, "1.其他", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lt, cells := next(tc.openTop, tc.label, tc.value, tc.groupOpen)
			got, _, nr, ok := joinAcross(prev(tc.openBottom), lt, cells)
			if tc.want == "" {
				if ok {
					t.Fatalf("joined: %s", rows(got, nr))
				}
				return
			}
			if !ok {
				t.Fatal("not joined")
			}
			if s := rows(got, nr); s != tc.want {
				t.Errorf("rows\n got %s\nwant %s", s, tc.want)
			}
		})
	}
	// A different table overleaf (another right edge) is never joined.
	lt, cells := next(true, "或重新出具已获取信息", "", true)
	lt.xs = []float64{0, 100, 200, 400}
	if _, _, _, ok := joinAcross(prev(true), lt, cells); ok {
		t.Error("joined a table of another width")
	}
}

// TestJoinLinesOfCells: a rule drawn inside a cell does not cut it into
// rows, and the parts keep their line breaks: a page frame's headings and
// paragraphs stay paragraphs (洪泽's PDF frames its whole text), and an
// underlined label is one label.
func TestJoinLinesOfCells(t *testing.T) {
	frame := []gridCell{
		{r0: 0, r1: 0, c0: 0, c1: 0, text: "一、总体情况"},
		{r0: 1, r1: 1, c0: 0, c1: 0, text: "2023年，我区深入推进政务公开。"},
		{r0: 2, r1: 2, c0: 0, c1: 0, text: "二、主动公开政府信息情况"},
	}
	cells, nr := joinLinesOfCells(frame, 3)
	p := &page{}
	emitGrid(p, cells, nr, 1)
	var paras []string
	for _, b := range p.blocks {
		if b.row == nil {
			paras = append(paras, b.para)
		}
	}
	want := []string{clean("一、总体情况"), clean("2023年，我区深入推进政务公开。"), clean("二、主动公开政府信息情况")}
	if strings.Join(paras, "|") != strings.Join(want, "|") {
		t.Errorf("frame paragraphs %q; want %q", paras, want)
	}

	// A label underlined line by line beside a value spanning its lines.
	label := []gridCell{
		{r0: 0, r1: 0, c0: 0, c1: 0, text: "5.要求行政机关确认"},
		{r0: 0, r1: 1, c0: 1, c1: 1, text: "0"},
		{r0: 1, r1: 1, c0: 0, c1: 0, text: "或重新出具已获取信息"},
	}
	cells, nr = joinLinesOfCells(label, 2)
	if nr != 1 || len(cells) != 2 {
		t.Fatalf("%d rows, cells %+v; want one row of two cells", nr, cells)
	}
	if got, want := labelKey(clean(cells[0].text)), labelKey("5.要求行政机关确认或重新出具已获取信息"); got != want {
		t.Errorf("label key %q; want %q", got, want)
	}
}
