package extract

import (
	"fmt"
	"testing"
)

// glyphRow lays out one text line at y: each cell's text starting at its x,
// CJK and digits 10 pt wide with 1 pt between (ink boxes), 10 pt tall.
func glyphRow(y float64, cells ...any) []glyph {
	var out []glyph
	for i := 0; i+1 < len(cells); i += 2 {
		x := cells[i].(float64)
		for _, r := range cells[i+1].(string) {
			out = append(out, glyph{text: string(r), x0: x, y0: y, x1: x + 10, y1: y + 10})
			x += 11
		}
	}
	return out
}

// readUnruled lays out one page of lines and returns the table rows as
// "label|v1|v2…" (own cells only) and the prose.
func readUnruled(lines ...[]glyph) []string {
	var gs []glyph
	for _, l := range lines {
		gs = append(gs, l...)
	}
	p := &page{}
	layoutPages(p, []layoutPage{{number: 1, width: 600, height: 800, glyphs: gs}})
	var out []string
	for _, b := range p.blocks {
		if b.row == nil {
			out = append(out, "P "+b.para)
			continue
		}
		s := ""
		for _, c := range b.row.cells {
			if c.own {
				s += "|" + c.text
			} else {
				s += "|^" + c.text
			}
			if c.pos != nil && c.pos.guess {
				s += "?"
			}
		}
		out = append(out, s)
	}
	return out
}

func TestUnruledTable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines [][]glyph
		want  []string
	}{{
		name: "header, blank cells by column, a label wrapped around its centred values",
		lines: [][]glyph{
			glyphRow(100, 50.0, "表头", 200.0, "甲", 260.0, "乙", 320.0, "丙"),
			glyphRow(130, 50.0, "一、第一行", 200.0, "1", 260.0, "2", 320.0, "3"),
			glyphRow(160, 50.0, "二、第二行", 320.0, "30"),
			glyphRow(190, 50.0, "三、很长的标签"),
			glyphRow(197, 200.0, "7", 260.0, "8", 320.0, "9"),
			glyphRow(204, 50.0, "折到下一行"),
		},
		want: []string{"|表头|甲|乙|丙", "|一、第一行|1|2|3", "|二、第二行|||30", "|三、很长的标签折到下一行|7|8|9"},
	}, {
		name: "a group label beside the rows it spans, a row of blanks",
		lines: [][]glyph{
			glyphRow(100, 50.0, "一、总数", 200.0, "5", 260.0, "6"),
			glyphRow(130, 100.0, "1.甲项", 200.0, "1", 260.0, "2"),
			glyphRow(150, 40.0, "（二）组"),
			glyphRow(160, 100.0, "2.乙项", 200.0, "3", 260.0, "4"),
			glyphRow(190, 100.0, "3.丙项"),
			glyphRow(220, 100.0, "4.丁项", 200.0, "0", 260.0, "0"),
		},
		want: []string{"|一、总数|5|6", "|1.甲项|1|2", "|(二)组|2.乙项|3|4", "P 3.丙项", "|3.丙项||", "|4.丁项|0|0"},
	}, {
		name: "numbers off their columns are flagged",
		lines: [][]glyph{
			glyphRow(100, 50.0, "甲", 200.0, "1", 260.0, "2", 320.0, "3"),
			glyphRow(130, 50.0, "乙", 200.0, "4", 260.0, "5", 320.0, "6"),
			glyphRow(160, 50.0, "丙", 222.0, "7", 260.0, "8"),
		},
		want: []string{"|甲|1|2|3", "|乙|4|5|6", "|丙|7?|8?|?"},
	}, {
		name: "two numbers in one column's place leave the row's values out",
		lines: [][]glyph{
			glyphRow(100, 50.0, "甲", 200.0, "1", 260.0, "2", 320.0, "3"),
			glyphRow(130, 50.0, "乙", 200.0, "4", 260.0, "5", 320.0, "6"),
			glyphRow(160, 50.0, "丁", 200.0, "9", 222.0, "9"),
		},
		want: []string{"|甲|1|2|3", "|乙|4|5|6", "P 丁", "|丁"},
	}, {
		name:  "prose with a number is no table",
		lines: [][]glyph{glyphRow(100, 50.0, "全年共收到申请", 140.0, "70"), glyphRow(130, 50.0, "其中办结")},
		want:  []string{"P 全年共收到申请 70", "P 其中办结"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := readUnruled(tc.lines...)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
