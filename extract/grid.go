package extract

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A page, HTML or text, is read into a flat sequence of blocks in document
// order: paragraphs of prose and table rows. Everything downstream works on
// blocks, so a table split over several <table> elements, or interrupted by
// page-break paragraphs, reads like one.
type block struct {
	para string // cleaned paragraph text, when row is nil
	row  *row
}

// row is one grid row of a table. cells holds every distinct cell that
// covers the row, left to right: its own cells (own) and those spanning
// down from rows above (their labels still describe this row).
type row struct {
	table int // index of the <table> in the page; -1 for plain text
	line  int // grid row within the table; line number for plain text
	cells []cref
}

// cref is a cell as one row sees it: cells spanning several rows are
// shared, and own says whether the cell starts in this row.
type cref struct {
	*gcell
	own bool // false when the cell spans down from a row above
}

type gcell struct {
	text string   // cleaned text
	key  string   // labelKey(text) for text cells, "" otherwise
	kind cellKind // what parseValue makes of text
	num  string   // the decimal, when kind == kindNumber
	unit string   // unit printed in the cell
	col  int      // leftmost grid column
	span int      // colspan
}

// newCell classifies a cell once, so that the row matchers, which look at
// every cell several times, never re-parse it.
func newCell(text string, col, span int) gcell {
	v := parseValue(text)
	c := gcell{text: text, kind: v.kind, num: v.num, unit: v.unit, col: col, span: span}
	if c.kind == kindText {
		c.key = labelKey(text)
	}
	return c
}

// page is what the reader collects besides blocks.
type page struct {
	blocks      []block
	title       string // <title>
	metaTitle   string // <meta name="ArticleTitle">
	metaDate    string // <meta name="PubDate"> and friends
	images      int    // <img> in the body
	attachments int    // links to .pdf/.doc/... files
	tables      int
	text        bool // read by the plain-text reader
}

// Caps keep hostile markup from exploding the grid.
const (
	maxColspan = 64
	maxRowspan = 512
	maxCols    = 256     // grid width; cells further right are dropped
	maxSlots   = 1 << 22 // spans expanded per table; then spans count as 1
)

type htmlReader struct {
	p   page
	buf strings.Builder
}

func readHTML(body []byte) (*page, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r := &htmlReader{}
	r.walk(doc)
	r.flush()
	return &r.p, nil
}

func (r *htmlReader) flush() {
	if r.buf.Len() == 0 {
		return
	}
	if t := clean(r.buf.String()); t != "" {
		r.p.blocks = append(r.p.blocks, block{para: t})
	}
	r.buf.Reset()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func isBlockAtom(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Br, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Li, atom.Ul, atom.Ol, atom.Section, atom.Article, atom.Center, atom.Blockquote,
		atom.Tr, atom.Hr, atom.Pre, atom.Dd, atom.Dt, atom.Header, atom.Footer:
		return true
	}
	return false
}

func (r *htmlReader) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.buf.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Select:
			return
		case atom.Title:
			if r.p.title == "" {
				r.p.title = clean(textOf(n))
			}
			return
		case atom.Meta:
			r.meta(n)
			return
		case atom.Img:
			r.p.images++
		case atom.A:
			if isAttachment(attr(n, "href")) {
				r.p.attachments++
			}
		case atom.Table:
			r.flush()
			r.table(n)
			return
		case atom.Pre, atom.Textarea:
			// Lines matter here: a <pre> may hold a table as text.
			r.flush()
			for _, ln := range strings.Split(textOf(n), "\n") {
				if t := clean(ln); t != "" {
					r.p.blocks = append(r.p.blocks, block{para: t})
				}
			}
			return
		}
		if isBlockAtom(n.DataAtom) {
			r.flush()
			defer r.flush()
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
}

func (r *htmlReader) meta(n *html.Node) {
	name := strings.ToLower(attr(n, "name"))
	content := attr(n, "content")
	switch name {
	case "articletitle":
		r.p.metaTitle = clean(content)
	case "pubdate", "publishdate", "firstpublishedtime":
		if r.p.metaDate == "" {
			r.p.metaDate = clean(content)
		}
	}
}

func isAttachment(href string) bool {
	h := strings.ToLower(href)
	if i := strings.IndexAny(h, "?#"); i >= 0 {
		h = h[:i]
	}
	for _, ext := range []string{".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".zip", ".rar"} {
		if strings.HasSuffix(h, ext) {
			return true
		}
	}
	return false
}

// textOf concatenates the text below n without separators: Word splits one
// number or word over several spans (<span>20</span><span>23</span>), and a
// <br> or <p> inside a label cell breaks a word, not a phrase.
func textOf(n *html.Node) string {
	// Most cells hold one text node: return it without copying.
	var first string
	texts := 0
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			switch texts++; texts {
			case 1:
				first = n.Data
			case 2:
				b.WriteString(first)
				fallthrough
			default:
				b.WriteString(n.Data)
			}
			return
		case html.CommentNode:
			return
		case html.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	if texts < 2 {
		return first
	}
	return b.String()
}

// trs returns the rows of table t, not descending into nested tables.
func trs(t *html.Node) []*html.Node {
	var out []*html.Node
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				out = append(out, c)
			case atom.Table:
			default:
				rec(c)
			}
		}
	}
	rec(t)
	return out
}

func spanAttr(n *html.Node, key string, max int) int {
	a := attr(n, key)
	if a == "" {
		return 1
	}
	v, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil || v < 1 {
		return 1
	}
	if v > max {
		return max
	}
	return v
}

type slot struct {
	c        *gcell
	row, col int // origin of the cell
}

// table expands rowspan/colspan into a grid and emits one row block per <tr>.
func (r *htmlReader) table(t *html.Node) {
	idx := r.p.tables
	r.p.tables++
	rows := trs(t)
	grid := make([][]slot, len(rows))
	budget := maxSlots
	width := 16
	for ri, tr := range rows {
		if grid[ri] == nil {
			grid[ri] = make([]slot, 0, width)
		}
		col := 0
		// One allocation per row for its cells; the grid points into it.
		ncells := 0
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
				ncells++
			}
		}
		cells := make([]gcell, 0, ncells)
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			for col < len(grid[ri]) && grid[ri][col].c != nil {
				col++
			}
			if col >= maxCols {
				break
			}
			cs := min(spanAttr(c, "colspan", maxColspan), maxCols-col)
			rs := min(spanAttr(c, "rowspan", maxRowspan), len(rows)-ri)
			if budget -= rs * cs; budget < 0 {
				rs, cs = 1, 1
			}
			cells = append(cells, newCell(clean(textOf(c)), col, cs))
			gc := &cells[len(cells)-1]
			for dr := 0; dr < rs; dr++ {
				line := grid[ri+dr]
				for len(line) < col+cs {
					line = append(line, slot{})
				}
				for dc := 0; dc < cs; dc++ {
					if line[col+dc].c == nil {
						line[col+dc] = slot{c: gc, row: ri, col: col}
					}
				}
				grid[ri+dr] = line
			}
			col += cs
		}
		width = max(width, len(grid[ri]))
	}
	for ri, line := range grid {
		rw := &row{table: idx, line: ri, cells: make([]cref, 0, len(line))}
		for ci, s := range line {
			if s.c == nil || s.col != ci {
				continue
			}
			rw.cells = append(rw.cells, cref{s.c, s.row == ri})
		}
		if len(rw.cells) > 0 {
			r.p.blocks = append(r.p.blocks, block{row: rw})
		}
	}
}
