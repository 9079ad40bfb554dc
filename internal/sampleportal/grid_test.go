package sampleportal_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/nianbao/nianbao/internal/charset"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

type tcell struct {
	text             string
	rowspan, colspan int
}

// tables returns each <table>'s rows of cells, text taken from every
// descendant (spans, <o:p>, smart tags), &nbsp; trimmed.
func tables(t *testing.T, page []byte) [][][]tcell {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	var out [][][]tcell
	var text func(n *html.Node, b *strings.Builder)
	text = func(n *html.Node, b *strings.Builder) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, b)
		}
	}
	attr := func(n *html.Node, k string) int {
		for _, a := range n.Attr {
			if a.Key == k {
				v, _ := strconv.Atoi(a.Val)
				return max(v, 1)
			}
		}
		return 1
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			var rows [][]tcell
			var rowsOf func(m *html.Node)
			rowsOf = func(m *html.Node) {
				for c := m.FirstChild; c != nil; c = c.NextSibling {
					switch {
					case c.Type == html.ElementNode && c.Data == "tr":
						var row []tcell
						for td := c.FirstChild; td != nil; td = td.NextSibling {
							if td.Type == html.ElementNode && (td.Data == "td" || td.Data == "th") {
								var b strings.Builder
								text(td, &b)
								s := strings.TrimSpace(strings.ReplaceAll(b.String(), "\u00a0", " "))
								row = append(row, tcell{s, attr(td, "rowspan"), attr(td, "colspan")})
							}
						}
						rows = append(rows, row)
					case c.Type == html.ElementNode && c.Data != "table":
						rowsOf(c)
					}
				}
			}
			rowsOf(n)
			out = append(out, rows)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// grid expands rowspan/colspan; each slot holds the index of its cell in
// its source row, so a value cell is read once.
func grid(rows [][]tcell) [][]string {
	var g [][]string
	for r, row := range rows {
		for len(g) <= r {
			g = append(g, nil)
		}
		col := 0
		for _, c := range row {
			for col < len(g[r]) && g[r][col] != "\x00" {
				col++
			}
			for dr := 0; dr < c.rowspan; dr++ {
				for len(g) <= r+dr {
					g = append(g, nil)
				}
				for len(g[r+dr]) < col+c.colspan {
					g[r+dr] = append(g[r+dr], "\x00")
				}
				for dc := 0; dc < c.colspan; dc++ {
					g[r+dr][col+dc] = c.text
				}
			}
			col += c.colspan
		}
	}
	return g
}

func valueOf(raw string) *string {
	switch raw {
	case "", "—", "/", "-":
		return nil
	}
	s := strings.TrimSuffix(raw, "元")
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return &s
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return strconv.Quote(*p)
}

// TestReports_PagesPrintTheirCells reads every report page back through a
// grid expansion and compares tables 三 and 四 with Cells, and table 二's
// values in row order.
func TestReports_PagesPrintTheirCells(t *testing.T) {
	p, c := start(t, sampleportal.Options{Seed: 3})
	for _, r := range p.Reports() {
		t.Run(r.Title, func(t *testing.T) {
			if r.Kind != "tables" {
				t.Skipf("%s report: no cells", r.Kind)
			}
			f := get(t, c, r.URL)
			body, _ := charset.Decode(f.body, f.header.Get("Content-Type"))
			if !strings.Contains(string(body), r.Title) {
				t.Errorf("page does not contain its title %q", r.Title)
			}
			var t3, t4 [][]string
			var t2vals [][]string // per data row: label, values
			for _, tb := range tables(t, body) {
				g := grid(tb)
				switch {
				case len(g) > 0 && len(g[0]) > 0 && strings.HasPrefix(g[0][0], "（本列数据"):
					t3 = g
				case len(g) > 0 && len(g[0]) > 0 && g[0][0] == "行政复议":
					t4 = g
				case len(tb) > 0 && len(tb[0]) > 0 && strings.HasPrefix(tb[0][0].text, "第二十条"):
					for _, row := range tb {
						if len(row) > 1 && row[0].text != "信息内容" {
							vals := []string{row[0].text}
							for _, c := range row[1:] {
								vals = append(vals, c.text)
							}
							t2vals = append(t2vals, vals)
						}
					}
				}
			}
			if t3 == nil || t4 == nil {
				t.Fatalf("tables 三 (%v) or 四 (%v) not found", t3 != nil, t4 != nil)
			}
			rows := append([]string{"new", "carried_in"}, resultRows(r.Format)...)
			rows = append(rows, "result_total", "carried_out")
			if len(t3) != 3+len(rows) {
				t.Fatalf("table 三 has %d grid rows; want %d", len(t3), 3+len(rows))
			}
			for i, row := range rows {
				g := t3[3+i]
				if len(g) != 10 {
					t.Fatalf("table 三 row %s: %d grid columns; want 10", row, len(g))
				}
				for j, col := range t3Cols {
					k := "t3." + row + "." + col
					if got, want := valueOf(g[3+j]), r.Cells[k]; str(got) != str(want) {
						t.Errorf("%s: page %s; Cells %s", k, str(got), str(want))
					}
				}
			}
			if len(t4) != 4 || len(t4[3]) != 15 {
				t.Fatalf("table 四 grid %dx%d; want 4x15", len(t4), len(t4[len(t4)-1]))
			}
			var n2 int
			for k, v := range r.Cells {
				if strings.HasPrefix(k, "t4.") {
					found := false
					for j, c := range []string{"review", "suit_direct", "suit_after_review"} {
						for o, oc := range []string{"upheld", "corrected", "other", "pending", "total"} {
							if k == "t4.all."+c+"."+oc {
								found = true
								if got := valueOf(t4[3][j*5+o]); str(got) != str(v) {
									t.Errorf("%s: page %s; Cells %s", k, str(got), str(v))
								}
							}
						}
					}
					if !found {
						t.Errorf("unknown table 四 key %s", k)
					}
				}
				if strings.HasPrefix(k, "t2.") {
					n2++
				}
			}
			var printed int
			for _, row := range t2vals {
				printed += len(row) - 1
			}
			if printed != n2 {
				t.Errorf("table 二 prints %d values; Cells has %d", printed, n2)
			}
		})
	}
}
