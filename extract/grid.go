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
	pre  int // 1 + index in page.pre of the <pre> the paragraph is a line of; 0 otherwise
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

// gcell is a cell of the page; a page has hundreds, so it is kept small
// (64 bytes).
type gcell struct {
	text string   // cleaned text
	aux  string   // text cells: labelKey(text); numbers: the canonical decimal
	unit string   // unit printed in the cell
	kind cellKind // what parseValue makes of text
	// merged is set for a cell spanning several rows (rowspan > 1).
	merged bool
	cut    bool    // PDF/OFD: its row was cut by a page break and joined
	row    int32   // top grid row (HTML tables)
	col    int32   // leftmost grid column
	span   int32   // colspan
	pos    *srcPos // page and box, for positioned text (PDF, OFD); nil otherwise
}

// set classifies a cell once, so that the row matchers, which look at
// every cell several times, never re-parse it. It fills c in place: the
// cells of a table live in one slice.
func (c *gcell) set(text string, row, col, span int) {
	v := parseValue(text)
	*c = gcell{text: text, aux: v.num, unit: v.unit, kind: v.kind, row: int32(row), col: int32(col), span: int32(span)}
	if c.kind == kindText {
		c.aux = labelKey(text)
	}
}

// key is labelKey(text) for text cells, "" otherwise.
func (c *gcell) key() string {
	if c.kind == kindText {
		return c.aux
	}
	return ""
}

// num is the decimal of a number cell, "" otherwise.
func (c *gcell) num() string {
	if c.kind == kindNumber {
		return c.aux
	}
	return ""
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
	pre         []string // raw text of each <pre>: its tabs and blank lines are layout
	statsRows   int      // rows of a pre-2019 统计表, skipped by the table reader
	text        bool     // read by the plain-text reader
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
	buf []byte // text of the paragraph being read; reused
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
	if len(r.buf) == 0 {
		return
	}
	// The white space between tags makes many empty paragraphs: skip
	// them without a string.
	if len(bytes.TrimLeft(r.buf, " \t\r\n\f")) > 0 {
		if t := clean(string(r.buf)); t != "" {
			r.p.blocks = append(r.p.blocks, block{para: t})
		}
	}
	r.buf = r.buf[:0]
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
		r.buf = append(r.buf, n.Data...)
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
			if !hasTable(n) && !singleCell(n) {
				r.table(n)
				return
			}
			// A page-layout table (2000s CMSs put the whole page in one):
			// its cells are prose and containers, the report tables are
			// the leaf tables inside them, at any depth.
		case atom.Td, atom.Th, atom.Caption:
			r.flush()
			defer r.flush()
		case atom.Pre, atom.Textarea:
			// Lines matter here: a <pre> may hold a table as text.
			r.flush()
			raw := textOf(n)
			r.p.pre = append(r.p.pre, raw)
			for _, ln := range strings.Split(raw, "\n") {
				if t := clean(ln); t != "" {
					r.p.blocks = append(r.p.blocks, block{para: t, pre: len(r.p.pre)})
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

// singleCell reports a table of one row and one cell: page layout (a
// template's content box), never a report table.
func singleCell(t *html.Node) bool {
	rows := trs(t)
	if len(rows) != 1 {
		return false
	}
	n := 0
	for c := rows[0].FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			n++
		}
	}
	return n == 1
}

// hasTable reports a <table> anywhere below n.
func hasTable(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Table || hasTable(c)) {
			return true
		}
	}
	return false
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

// table expands rowspan/colspan into a grid and emits one row block per <tr>.
// The cells, rows and row cell lists of a table are each one allocation.
func (r *htmlReader) table(t *html.Node) {
	idx := r.p.tables
	r.p.tables++
	rows := trs(t)
	ncells := 0
	for _, tr := range rows {
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
				ncells++
			}
		}
	}
	cells := make([]gcell, 0, ncells)   // never grows: the grid points into it
	grid := make([][]*gcell, len(rows)) // the cell covering each slot
	budget := maxSlots
	width := 16
	slots := 0
	for ri, tr := range rows {
		col := 0
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			for col < len(grid[ri]) && grid[ri][col] != nil {
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
			cells = cells[:len(cells)+1]
			gc := &cells[len(cells)-1]
			gc.set(clean(textOf(c)), ri, col, cs)
			gc.merged = rs > 1
			for dr := 0; dr < rs; dr++ {
				line := grid[ri+dr]
				if n := col + cs - len(line); n > 0 {
					if line == nil {
						line = make([]*gcell, 0, max(width, col+cs))
					}
					line = append(line, make([]*gcell, n)...)
				}
				for dc := 0; dc < cs; dc++ {
					if line[col+dc] == nil {
						line[col+dc] = gc
					}
				}
				grid[ri+dr] = line
			}
			col += cs
		}
		width = max(width, len(grid[ri]))
		slots += len(grid[ri])
	}
	refs := make([]cref, 0, slots)
	lines := make([]row, len(grid))
	for ri, line := range grid {
		start := len(refs)
		for ci, c := range line {
			if c != nil && int(c.col) == ci {
				refs = append(refs, cref{c, int(c.row) == ri})
			}
		}
		if len(refs) > start {
			lines[ri] = row{table: idx, line: ri, cells: refs[start:len(refs):len(refs)]}
			r.p.blocks = append(r.p.blocks, block{row: &lines[ri]})
		}
	}
}
