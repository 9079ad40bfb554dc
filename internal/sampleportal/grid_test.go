package sampleportal_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

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
			// Layout tables hold the report's tables: keep walking.
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
	raw = strings.ReplaceAll(strings.TrimSpace(norm.NFKC.String(raw)), ",", "")
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
var t2Rows = map[string]string{"规章": "rules", "行政规范性文件": "normative", "规范性文件": "normative",
	"行政许可": "licensing", "其他对外管理服务事项": "other_services", "行政处罚": "penalty", "行政强制": "coercion",
	"行政事业性收费": "fees", "政府集中采购": "procurement"}

var t2ColsOf = map[string]map[string][]string{
	"2021": {"rules": {"made", "repealed", "in_force"}, "normative": {"made", "repealed", "in_force"},
		"licensing": {"decisions"}, "penalty": {"decisions"}, "coercion": {"decisions"}, "fees": {"amount_wan_yuan"}},
	"2019": {"rules": {"new_made", "new_published", "total_published"}, "normative": {"new_made", "new_published", "total_published"},
		"licensing": {"prev_items", "change", "decisions"}, "other_services": {"prev_items", "change", "decisions"},
		"penalty": {"prev_items", "change", "decisions"}, "coercion": {"prev_items", "change", "decisions"},
		"fees": {"prev_items", "change"}, "procurement": {"items", "amount_yuan"}},
}

func TestReports_PagesPrintTheirCells(t *testing.T) {
	p, c := start(t, sampleportal.Options{Seed: 3, Families: sampleportal.AllFamilies()})
	var splits, fullWidth, thousands, misaligned int
	t.Cleanup(func() {
		if splits == 0 || fullWidth == 0 || thousands == 0 || misaligned == 0 {
			t.Errorf("variants: %d split 表三, %d full-width 表二, %d thousands separators, %d misaligned 表三; want each",
				splits, fullWidth, thousands, misaligned)
		}
	})
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
			var t3cells [][]tcell // source cells of the data rows
			var t2vals [][]string // per data row: label, values
			for _, tb := range tables(t, body) {
				g := grid(tb)
				switch {
				case len(g) > 3 && slices.Contains(g[0], "申请人情况"):
					// A table split at a page break repeats its header.
					if t3 == nil {
						t3 = g[:3]
					} else {
						splits++
					}
					t3 = append(t3, g[3:]...)
					t3cells = append(t3cells, tb[3:]...)
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
				if len(g) != len(t3[0]) || (len(g) != 10 && len(g) != 11) {
					t.Fatalf("table 三 row %s: %d grid columns, header %d; want 10 (11 when misaligned)", row, len(g), len(t3[0]))
				}
				// Read the last seven source cells in order, as a reader
				// must when headers and data disagree on colspans.
				vals := t3cells[i][len(t3cells[i])-7:]
				for j, col := range t3Cols {
					k := "t3." + row + "." + col
					if got, want := valueOf(vals[j].text), r.Cells[k]; str(got) != str(want) {
						t.Errorf("%s: page %s; Cells %s", k, str(got), str(want))
					}
				}
			}
			if len(t3[0]) == 11 {
				misaligned++
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
				code := t2Rows[row[0]]
				cols := t2ColsOf[r.Format][code]
				if len(cols) != len(row)-1 {
					t.Errorf("table 二 row %q: %d values; want %d", row[0], len(row)-1, len(cols))
					continue
				}
				for i, col := range cols {
					k := "t2." + code + "." + col
					if got, want := valueOf(row[i+1]), r.Cells[k]; str(got) != str(want) {
						t.Errorf("%s: page %s; Cells %s", k, str(got), str(want))
					}
					if strings.ContainsRune(row[i+1], '０') || strings.ContainsAny(row[i+1], "１２３４５６７８９") {
						fullWidth++
					}
					if strings.Contains(row[i+1], ",") {
						thousands++
					}
				}
			}
			if printed != n2 {
				t.Errorf("table 二 prints %d values; Cells has %d", printed, n2)
			}
		})
	}
}
