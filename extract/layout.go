package extract

import (
	"math"
	"sort"
	"strings"
)

// Positioned text (a PDF's text layer, an OFD's TextObjects) carries no
// table structure: only glyphs with boxes and the lines drawn around them.
// layoutPages rebuilds the tables from that geometry, the way a reader sees
// them: the ruling lines of a table give its grid (a boundary that is not
// drawn merges two slots into one spanning cell, as rowspan/colspan do in
// HTML), every glyph goes to the cell that holds its centre, and the cells
// are emitted as the same rows the HTML reader emits, so the one table
// reader maps them to codes. The text stream's order is never used: real
// PDFs emit table text out of order.

// glyph is one character with its box, in points from the page's top-left
// corner (y grows downwards), in reading orientation.
type glyph struct {
	text           string
	x0, y0, x1, y1 float64
}

func (g glyph) cx() float64 { return (g.x0 + g.x1) / 2 }
func (g glyph) cy() float64 { return (g.y0 + g.y1) / 2 }

// ruling is a drawn horizontal or vertical line segment, in the same
// coordinates as glyphs.
type ruling struct {
	x0, y0, x1, y1 float64
}

func (r ruling) horizontal() bool { return r.y1-r.y0 <= rulingThick && r.x1-r.x0 > rulingThick }
func (r ruling) vertical() bool   { return r.x1-r.x0 <= rulingThick && r.y1-r.y0 > rulingThick }

// layoutPage is one page of positioned text.
type layoutPage struct {
	number int // 1-based
	width  float64
	height float64
	glyphs []glyph
	rules  []ruling
	images int
}

// srcPos is where a positioned cell sits: page and box, for provenance.
type srcPos struct {
	page  int
	box   [4]float64
	guess bool // placed by a close call on the page's geometry (layout_guess)
}

const (
	rulingThick = 2.5 // a thicker "line" is a filled area, not a rule
	snap        = 2.0 // rule ends this close count as touching
	minCell     = 4.0 // grid lines closer than this are one (double rules, misaligned ends)
	maxGlyphs   = 200000
	maxRules    = 8000 // rules per page; a page drawn with more is art, not a table
)

// layoutPages turns positioned pages into blocks: prose lines and table
// rows, top to bottom, page after page.
func layoutPages(p *page, pages []layoutPage) {
	running := runningLines(pages)
	var open *openTable
	// Pages without ruled tables are read together: a table drawn
	// without rules goes on over page breaks (see [layoutUnruled]).
	var plain []plainPage
	for i := range pages {
		tables := dropFrames(&pages[i], findLattices(pages[i].rules))
		if len(tables) == 0 {
			lines := pageLines(&pages[i], running, nil)
			if len(lines) == 0 {
				continue // a blank page: a table cut before it may go on after it
			}
			if open != nil {
				emitGrid(p, open.cells, open.nr, open.nc)
				open = nil
			}
			plain = append(plain, plainPage{number: pages[i].number, lines: lines})
			continue
		}
		layoutUnruled(p, plain)
		plain = nil
		open = layoutOne(p, &pages[i], tables, running, open)
	}
	layoutUnruled(p, plain)
	if open != nil {
		emitGrid(p, open.cells, open.nr, open.nc)
	}
}

// pageLines are a page's text lines outside its ruled tables, top to
// bottom, running headers and footers dropped.
func pageLines(lp *layoutPage, running map[string]bool, tables []*lattice) []*line {
	var free []glyph
	for _, g := range lp.glyphs {
		if strings.TrimSpace(g.text) == "" {
			continue
		}
		if !placeGlyph(tables, g) {
			free = append(free, g)
		}
	}
	lines := textLines(free)
	if len(running) > 0 {
		kept := lines[:0]
		for _, l := range lines {
			if k, ok := runningKey(l, lp); !ok || !running[k] {
				kept = append(kept, l)
			}
		}
		lines = kept
	}
	return lines
}

// openTable is a page's last table, when nothing follows it on the page:
// the next page's first table may go on with it (see [joinAcross]).
type openTable struct {
	cells  []gridCell
	nr, nc int
	xs     []float64
	// openBottom: the page break cut it inside a row.
	openBottom bool
}

// marginShare is how much of the page's height, at the top and at the
// bottom, running headers and footers live in.
const marginShare = 0.08

// runningKey identifies a header or footer line across pages: its text with
// the digits dropped (page numbers, dates) and its band.
func runningKey(l *line, lp *layoutPage) (string, bool) {
	if lp.height <= 0 {
		return "", false
	}
	top := l.top < lp.height*marginShare
	if !top && l.bottom < lp.height*(1-marginShare) {
		return "", false
	}
	t := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == ' ' {
			return -1
		}
		return r
	}, l.text())
	if top {
		return "top\x00" + t, true
	}
	return "bottom\x00" + t, true
}

// runningLines finds the running headers and footers: margin lines that
// repeat, digits aside, on at least two pages and on most of them.
func runningLines(pages []layoutPage) map[string]bool {
	if len(pages) < 2 {
		return nil
	}
	count := map[string]int{}
	for i := range pages {
		seen := map[string]bool{}
		for _, l := range textLines(append([]glyph(nil), pages[i].glyphs...)) {
			if k, ok := runningKey(l, &pages[i]); ok && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	out := map[string]bool{}
	for k, n := range count {
		if n >= 2 && 2*n > len(pages) {
			out[k] = true
		}
	}
	return out
}

type lattice struct {
	xs, ys []float64 // grid lines, ascending
	cells  []*latCell
	top    float64
	// openTop and openBottom: a page break cut the table there (its
	// verticals run past its first or last horizontal rule).
	openTop, openBottom bool
}

type latCell struct {
	r0, c0, r1, c1 int // slot range, inclusive
	glyphs         []glyph
	openTop        bool // no rule drawn over it
}

// layoutOne reads one page with ruled tables: its tables and the lines of
// text outside them. open is the previous page's table cut inside a row, if any; the
// page's own last table is returned when it is cut so.
func layoutOne(p *page, lp *layoutPage, tables []*lattice, running map[string]bool, open *openTable) *openTable {
	lines := joinWrapped(pageLines(lp, running, tables))
	flush := func() {
		if open != nil {
			emitGrid(p, open.cells, open.nr, open.nc)
			open = nil
		}
	}
	// Interleave prose lines and tables by their top edge.
	li := 0
	for ti, t := range tables {
		for li < len(lines) && lines[li].top < t.top {
			flush()
			p.blocks = append(p.blocks, block{para: lines[li].text()})
			li++
		}
		cells, nr := joinLinesOfCells(latticeCells(lp.number, t), len(t.ys)-1)
		xs := t.xs
		if ti == 0 && open != nil {
			if jc, jxs, n, ok := joinAcross(open, t, cells); ok {
				cells, xs, nr = jc, jxs, n
				open = nil
			}
		}
		flush()
		if ti == len(tables)-1 && li == len(lines) {
			// Nothing follows on this page: the table may go on overleaf.
			open = &openTable{cells: cells, nr: nr, nc: len(xs) - 1, xs: xs, openBottom: t.openBottom}
			continue
		}
		emitGrid(p, cells, nr, len(xs)-1)
	}
	if li < len(lines) {
		flush()
	}
	for ; li < len(lines); li++ {
		p.blocks = append(p.blocks, block{para: lines[li].text()})
	}
	return open
}

// joinAcross joins a page's last table with the next page's first one
// when the second goes on with the first, so that the table reader sees
// one table, as in HTML:
//
//   - A row cut by the page break (no rule under the first part, none over
//     the second, or see [cutRowGoesOn]) is one row: Word and browsers
//     split a tall row so,
//     "4.无正当理由" with its values at the foot of one page, "大量、反复申请"
//     at the head of the next. Each cell's parts are joined top to bottom;
//     every cell of the cut row holding text must have its twin overleaf.
//   - A cell spanning rows across the break ("（三）不予公开" beside its
//     numbered rows, "自然人" beside a header row printed overleaf) goes
//     on overleaf as an empty cell in the same columns, with no rule over
//     it or under a label: it is the same cell, so the rows overleaf keep
//     their group and header. Without such a cell the second table
//     starts anew.
//
// A column may be missing at the left of one part (a label cell spanning
// the whole page has no rule joining its edge to the table), and the parts'
// column lines differ where cells span them: columns are matched by
// position, and the parts must end at the same right edge. A joined cell
// keeps the position of the part that holds text (the first when both do).
// It returns the joined cells, their column lines and row count.
func joinAcross(prev *openTable, t *lattice, cells []gridCell) ([]gridCell, []float64, int, bool) {
	if math.Abs(prev.xs[len(prev.xs)-1]-t.xs[len(t.xs)-1]) > minCell {
		return nil, nil, 0, false
	}
	split := prev.openBottom && t.openTop
	xs := clusterCoords(append(append([]float64(nil), prev.xs...), t.xs...))
	col := func(own []float64, i int) int {
		for j, x := range xs {
			if math.Abs(x-own[i]) <= minCell {
				return j
			}
		}
		return -1
	}
	remap := func(own []float64, cs []gridCell) bool {
		for i := range cs {
			c0, c1 := col(own, cs[i].c0), col(own, cs[i].c1+1)-1
			if c0 < 0 || c1 < c0 {
				return false
			}
			cs[i].c0, cs[i].c1 = c0, c1
		}
		return true
	}
	out := append([]gridCell(nil), prev.cells...)
	next := append([]gridCell(nil), cells...)
	if !remap(prev.xs, out) || !remap(t.xs, next) {
		return nil, nil, 0, false
	}
	last := prev.nr - 1
	at := map[[2]int]int{} // columns of the cells in prev's last row → index in out
	for i, c := range out {
		if c.r1 == last {
			at[[2]int{c.c0, c.c1}] = i
		}
	}
	if !split {
		split = cutRowGoesOn(out, next, last)
	}
	base := prev.nr // rows of next go under prev's, or share prev's last when split
	if split {
		base = last
	}
	joined := false
	for _, c := range next {
		top := c.r0 == 0
		c.r0, c.r1 = c.r0+base, c.r1+base
		i, ok := at[[2]int{c.c0, c.c1}]
		switch {
		case top && ok && split:
			o := &out[i]
			o.r1 = c.r1
			if o.text == "" {
				o.pos = c.pos
			}
			o.text = joinCellText(o.text, c.text)
			o.cut = o.r0 == last // the cut row's own cells, not those spanning into it
			joined = true
		case top && ok && c.text == "" && (c.openTop || parseValue(clean(out[i].text)).kind == kindText):
			// A spanning cell going on: no rule over it, or a label
			// over an empty cell (a program that draws every cell's
			// border again at the head of a page, as LibreOffice and
			// Word do, closes the cut; a value is never continued).
			out[i].r1 = c.r1
			joined = true
		case top && split && c.text != "":
			return nil, nil, 0, false // the cut row's cells differ: two rows
		default:
			out = append(out, c)
		}
	}
	if !joined {
		return nil, nil, 0, false
	}
	return out, xs, base + len(t.ys) - 1, true
}

// placeGlyph puts g in the table cell holding its centre.
func placeGlyph(tables []*lattice, g glyph) bool {
	if cell := cellAt(tables, g); cell != nil {
		cell.glyphs = append(cell.glyphs, g)
		return true
	}
	return false
}

// cellAt is the table cell holding g's centre, or nil.
func cellAt(tables []*lattice, g glyph) *latCell {
	x, y := g.cx(), g.cy()
	for _, t := range tables {
		if x < t.xs[0] || x > t.xs[len(t.xs)-1] || y < t.ys[0] || y > t.ys[len(t.ys)-1] {
			continue
		}
		c := sort.SearchFloat64s(t.xs, x) - 1
		r := sort.SearchFloat64s(t.ys, y) - 1
		c, r = max(c, 0), max(r, 0)
		for _, cell := range t.cells {
			if r >= cell.r0 && r <= cell.r1 && c >= cell.c0 && c <= cell.c1 {
				return cell
			}
		}
	}
	return nil
}

// findLattices groups the page's rules into tables (sets of touching
// horizontal and vertical rules) and works out each table's cells.
func findLattices(rules []ruling) []*lattice {
	var hs, vs []ruling
	for _, r := range rules {
		switch {
		case r.horizontal():
			hs = append(hs, r)
		case r.vertical():
			vs = append(vs, r)
		}
	}
	if len(hs) < 2 || len(vs) < 2 || len(hs)+len(vs) > maxRules {
		return nil
	}
	// Union-find over all rules: a horizontal and a vertical that touch
	// belong to one table.
	n := len(hs) + len(vs)
	sets := newUnionFind(n)
	for i, h := range hs {
		for j, v := range vs {
			if v.x0 >= h.x0-snap && v.x1 <= h.x1+snap && h.y0 >= v.y0-snap && h.y1 <= v.y1+snap {
				sets.union(i, len(hs)+j)
			}
		}
	}
	// Collinear pieces that meet (a border drawn cell by cell, where no
	// vertical touches the piece under a colspan) are one rule too.
	for i := range hs {
		for j := i + 1; j < len(hs); j++ {
			a, b := hs[i], hs[j]
			if math.Abs(a.y0-b.y0) <= snap && a.x0 <= b.x1+snap && b.x0 <= a.x1+snap {
				sets.union(i, j)
			}
		}
	}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			a, b := vs[i], vs[j]
			if math.Abs(a.x0-b.x0) <= snap && a.y0 <= b.y1+snap && b.y0 <= a.y1+snap {
				sets.union(len(hs)+i, len(hs)+j)
			}
		}
	}
	groups := map[int][]int{}
	for i := 0; i < n; i++ {
		groups[sets.find(i)] = append(groups[sets.find(i)], i)
	}
	var out []*lattice
	for _, g := range groups {
		var gh, gv []ruling
		for _, i := range g {
			if i < len(hs) {
				gh = append(gh, hs[i])
			} else {
				gv = append(gv, vs[i-len(hs)])
			}
		}
		if t := buildLattice(gh, gv); t != nil {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].top < out[j].top })
	return out
}

// unionFind is a disjoint-set forest over 0..n-1 (path halving): rules
// that touch are one table, slots with no rule between them one cell.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) { u[u.find(a)] = u.find(b) }

// clusterCoords returns the distinct positions in vals, merging those
// within snap of each other.
func clusterCoords(vals []float64) []float64 {
	sort.Float64s(vals)
	var out []float64
	for _, v := range vals {
		if len(out) > 0 && v-out[len(out)-1] <= minCell {
			continue
		}
		out = append(out, v)
	}
	return out
}

func buildLattice(hs, vs []ruling) *lattice {
	if len(hs) < 2 || len(vs) < 2 {
		return nil
	}
	var xv, yv []float64
	for _, v := range vs {
		xv = append(xv, (v.x0+v.x1)/2)
	}
	for _, h := range hs {
		yv = append(yv, (h.y0+h.y1)/2)
	}
	xs, ys := clusterCoords(xv), clusterCoords(yv)
	drawn := hs[:len(hs):len(hs)] // the rules as drawn, before the cut is closed below
	// A table cut by a page break has no rule where the cut is: its
	// verticals run past the last horizontal. Close it there.
	top, bottom := vs[0].y0, vs[0].y1
	for _, v := range vs {
		top, bottom = min(top, v.y0), max(bottom, v.y1)
	}
	var openTop, openBottom bool
	if len(xs) >= 2 && bottom > ys[len(ys)-1]+minCell {
		ys = append(ys, bottom)
		hs = append(hs, ruling{x0: xs[0], y0: bottom, x1: xs[len(xs)-1], y1: bottom})
		openBottom = true
	}
	if len(xs) >= 2 && top < ys[0]-minCell {
		ys = append([]float64{top}, ys...)
		hs = append(hs, ruling{x0: xs[0], y0: top, x1: xs[len(xs)-1], y1: top})
		openTop = true
	}
	nr, nc := len(ys)-1, len(xs)-1
	if nr < 1 || nc < 1 || nr*nc > maxSlots/16 {
		return nil
	}
	// drawn reports whether a rule covers the middle of a slot edge.
	vDrawn := func(x, ya, yb float64) bool {
		mid := (ya + yb) / 2
		for _, v := range vs {
			if math.Abs((v.x0+v.x1)/2-x) <= minCell && v.y0 <= mid && v.y1 >= mid {
				return true
			}
		}
		return false
	}
	hDrawnIn := func(rules []ruling, y, xa, xb float64) bool {
		mid := (xa + xb) / 2
		for _, h := range rules {
			if math.Abs((h.y0+h.y1)/2-y) <= minCell && h.x0 <= mid && h.x1 >= mid {
				return true
			}
		}
		return false
	}
	hDrawn := func(y, xa, xb float64) bool { return hDrawnIn(hs, y, xa, xb) }
	sets := newUnionFind(nr * nc)
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !vDrawn(xs[c+1], ys[r], ys[r+1]) {
				sets.union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !hDrawn(ys[r+1], xs[c], xs[c+1]) {
				sets.union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	byRoot := map[int]*latCell{}
	t := &lattice{xs: xs, ys: ys, top: ys[0], openTop: openTop, openBottom: openBottom}
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			root := sets.find(r*nc + c)
			cell := byRoot[root]
			if cell == nil {
				cell = &latCell{r0: r, c0: c, r1: r, c1: c}
				byRoot[root] = cell
				t.cells = append(t.cells, cell)
				continue
			}
			cell.r0, cell.c0 = min(cell.r0, r), min(cell.c0, c)
			cell.r1, cell.c1 = max(cell.r1, r), max(cell.c1, c)
		}
	}
	if len(t.cells) < 2 {
		return nil // a box around text, not a table
	}
	for _, cell := range t.cells {
		cell.openTop = !hDrawnIn(drawn, ys[cell.r0], xs[cell.c0], xs[cell.c1+1])
	}
	return t
}

// gridCell is a cell of a structured table (a PDF lattice, a DOCX or
// XLSX table): the slots it covers, inclusive, and its text.
type gridCell struct {
	r0, c0, r1, c1 int
	text           string
	pos            *srcPos
	openTop        bool // no rule over it (PDF/OFD): it may go on from the page before
	cut            bool // joined from the parts of a row a page break cut
}

// joinLinesOfCells undoes rules drawn inside a cell: underlined text
// (Word underlines each line of a cell's text, and the underline of a
// justified line runs from border to border) or a label wrapped over
// ruled lines. Such a rule cuts one cell into slot rows while every other
// cell of the row spans them: a slot row whose only own cell holds text,
// under a cell of the same columns holding text, with every other cell
// coming down from above, is that cell's next line. The emptied slot rows
// are dropped. It returns the cells and their row count.
func joinLinesOfCells(cells []gridCell, nr int) ([]gridCell, int) {
	starts := make([][]int, nr) // cells by top row
	for i, c := range cells {
		starts[c.r0] = append(starts[c.r0], i)
	}
	gone := make([]bool, len(cells))
	for r := 1; r < nr; r++ {
		if len(starts[r]) != 1 {
			continue
		}
		own := &cells[starts[r][0]]
		if own.text == "" {
			continue
		}
		// Every other column's cell spans rows r-1 and r (no other cell
		// starts in r); the cells ending in r-1 are over own's columns,
		// and must be one cell of exactly those columns, holding text.
		above, ends := -1, 0
		for i := range cells {
			if c := &cells[i]; !gone[i] && c.r1 == r-1 {
				ends++
				if c.c0 == own.c0 && c.c1 == own.c1 {
					above = i
				}
			}
		}
		if above < 0 || ends != 1 || cells[above].text == "" {
			continue
		}
		a := &cells[above]
		a.text = joinCellText(a.text, own.text)
		a.r1 = own.r1
		gone[starts[r][0]] = true
		starts[r] = nil
	}
	// Drop the slot rows no cell starts in.
	newRow := make([]int, nr) // slot row → kept rows up to it, minus one
	kept := -1
	for r := 0; r < nr; r++ {
		if len(starts[r]) > 0 {
			kept++
		}
		newRow[r] = kept
	}
	out := cells[:0]
	for i, c := range cells {
		if gone[i] {
			continue
		}
		c.r0, c.r1 = newRow[c.r0], newRow[c.r1]
		out = append(out, c)
	}
	return out, kept + 1
}

// cutRowGoesOn reports whether the first row of next (columns already
// matched with out's) is the rest of out's last row although the page
// break is ruled on both sides (LibreOffice and Word close a cut row at
// the foot of the page and open it again overleaf): its texts each go on
// a label of that row and start no numbered row of their own ("或重新出具
// 已获取信息" under "5.要求行政机关确认"), and every value of the row is
// printed above, the cells under them empty. A new row whose values are
// all blank starts with its number ("6.属于…"), so it is left alone.
func cutRowGoesOn(out, next []gridCell, last int) bool {
	twin := map[[2]int]*gridCell{}
	for i := range out {
		if out[i].r1 == last {
			twin[[2]int{out[i].c0, out[i].c1}] = &out[i]
		}
	}
	texts, values := 0, 0
	for _, c := range next {
		if c.r0 != 0 {
			continue
		}
		a := twin[[2]int{c.c0, c.c1}]
		kind := kindEmpty
		if a != nil {
			kind = parseValue(clean(a.text)).kind
		}
		switch {
		case c.text == "" && kind == kindNumber:
			values++
		case c.text == "":
		case a == nil || kind != kindText || numbered(c.text) || parseValue(clean(c.text)).kind != kindText:
			return false
		default:
			texts++
		}
	}
	return texts > 0 && values > 0
}

// joinCellText joins the text of two parts of one cell, top to bottom, on
// separate lines: a label's parts are one label whatever the line break
// (labelKey squeezes it), and a frame's paragraphs stay paragraphs
// (paraLines splits a full-width cell at its line breaks).
func joinCellText(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n" + b
}

// latticeCells are a PDF/OFD table's cells, as emitGrid takes them.
func latticeCells(pageNo int, t *lattice) []gridCell {
	cells := make([]gridCell, len(t.cells))
	for i, lc := range t.cells {
		cells[i] = gridCell{r0: lc.r0, c0: lc.c0, r1: lc.r1, c1: lc.c1, text: cellText(lc.glyphs), openTop: lc.openTop,
			pos: &srcPos{page: pageNo, box: [4]float64{round1(t.xs[lc.c0]), round1(t.ys[lc.r0]), round1(t.xs[lc.c1+1]), round1(t.ys[lc.r1+1])}}}
	}
	return cells
}

// emitGrid emits a table's rows as the HTML reader does: one row per grid
// row, each with the distinct cells covering it, left to right.
func emitGrid(p *page, cells []gridCell, nr, nc int) {
	idx := p.tables
	p.tables++
	sort.SliceStable(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.r0 != b.r0 {
			return a.r0 < b.r0
		}
		return a.c0 < b.c0
	})
	gcells := make([]gcell, len(cells))
	for i, gc := range cells {
		gcells[i].set(clean(gc.text), gc.r0, gc.c0, gc.c1-gc.c0+1)
		gcells[i].pos, gcells[i].cut = gc.pos, gc.cut
	}
	var active []int // cells covering row r; cells are sorted by top row
	next := 0
	for r := 0; r < nr; r++ {
		kept := active[:0]
		for _, i := range active {
			if cells[i].r1 >= r {
				kept = append(kept, i)
			}
		}
		active = kept
		for next < len(cells) && cells[next].r0 <= r {
			if cells[next].r1 >= r {
				active = append(active, next)
			}
			next++
		}
		refs := make([]cref, 0, len(active))
		for _, i := range active {
			refs = append(refs, cref{&gcells[i], cells[i].r0 == r})
		}
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].col < refs[j].col })
		if len(refs) == 1 && refs[0].own && refs[0].span == int32(nc) && refs[0].kind == kindText {
			// A row that is one full-width text cell is prose: a page
			// frame or ruled paper around the body, a caption such as
			// 第二十条第（一）项 between sub-tables, a sheet's title.
			paraLines(p, cells[active[0]].text)
			continue
		}
		if i := soleText(refs); i >= 0 {
			// A row with one text in it (a heading typed into a sheet's
			// column A) is prose too: headings switch tables.
			paraLines(p, cells[active[i]].text)
		}
		if len(refs) > 0 {
			p.blocks = append(p.blocks, block{row: &row{table: idx, line: r, cells: refs}})
		}
	}
}

// soleText returns the index of a row's only non-empty own cell, when
// that cell is text, or -1.
func soleText(refs []cref) int {
	only := -1
	for i := range refs {
		if refs[i].own && refs[i].text != "" {
			if only >= 0 {
				return -1
			}
			only = i
		}
	}
	if only < 0 || refs[only].kind != kindText {
		return -1
	}
	return only
}

// paraLines emits a cell's text as paragraphs, one per line it holds.
func paraLines(p *page, text string) {
	for _, ln := range strings.Split(text, "\n") {
		if t := clean(ln); t != "" {
			p.blocks = append(p.blocks, block{para: t})
		}
	}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// joinWrapped joins a line that runs to the right edge of the page's text
// with the next one in the same type, just below it: a title or a
// paragraph the page wrapped ("…年度报" / "告"). A numbered line
// (一、 （二） 1.) starts anew.
func joinWrapped(lines []*line) []*line {
	right := 0.0
	for _, l := range lines {
		right = max(right, l.glyphs[len(l.glyphs)-1].x1)
	}
	out := lines[:0]
	for _, l := range lines {
		if n := len(out); n > 0 {
			prev := out[n-1]
			h, hl := prev.bottom-prev.top, l.bottom-l.top
			end := prev.glyphs[len(prev.glyphs)-1].x1
			if h > 0 && end >= right-1.5*h && math.Abs(h-hl) <= 0.15*h && l.top-prev.bottom < 0.8*h && !numbered(l.text()) {
				prev.glyphs = append(prev.glyphs, l.glyphs...) // text() reads them in this order: prev's, then l's
				prev.bottom = l.bottom
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// numbered reports a line that begins a numbered item or heading.
func numbered(t string) bool {
	k := squeeze(t)
	r := firstRune(k)
	switch {
	case strings.ContainsRune("一二三四五六七八九十", r) && strings.HasPrefix(k[len(string(r)):], "、"):
		return true
	case strings.HasPrefix(k, "(") || strings.HasPrefix(k, "（"):
		return true
	}
	d, rest := leadingDigits(k)
	return d != "" && (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "、"))
}

// line is a run of glyphs sharing a baseline band.
type line struct {
	top, bottom float64
	glyphs      []glyph
}

func (l *line) text() string { return clean(joinGlyphs(l.glyphs)) }

// textLines groups glyphs into lines by vertical overlap, top to bottom,
// each line's glyphs left to right.
func textLines(gs []glyph) []*line {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].cy() < gs[j].cy() })
	var lines []*line
	for _, g := range gs {
		var best *line
		for k := len(lines) - 1; k >= 0 && k >= len(lines)-3; k-- {
			l := lines[k]
			h := min(l.bottom-l.top, g.y1-g.y0)
			if ov := min(l.bottom, g.y1) - max(l.top, g.y0); h > 0 && ov >= 0.5*h {
				best = l
				break
			}
		}
		if best == nil {
			best = &line{top: g.y0, bottom: g.y1}
			lines = append(lines, best)
		}
		best.glyphs = append(best.glyphs, g)
		best.top, best.bottom = min(best.top, g.y0), max(best.bottom, g.y1)
	}
	// Small glyphs (quotes, 一) start a line of their own before the
	// line's taller glyphs join: merge lines whose bands overlap.
	merged := lines[:0]
	for _, l := range lines {
		if n := len(merged); n > 0 {
			m := merged[n-1]
			h := min(m.bottom-m.top, l.bottom-l.top)
			if ov := min(m.bottom, l.bottom) - max(m.top, l.top); ov >= 0.5*h {
				m.glyphs = append(m.glyphs, l.glyphs...)
				m.top, m.bottom = min(m.top, l.top), max(m.bottom, l.bottom)
				continue
			}
		}
		merged = append(merged, l)
	}
	lines = merged
	for _, l := range lines {
		sort.SliceStable(l.glyphs, func(i, j int) bool { return l.glyphs[i].x0 < l.glyphs[j].x0 })
	}
	return lines
}

// joinGlyphs writes a line's glyphs, with a space where the gap between
// two is wider than the glyphs are tall (Chinese text needs no spaces; a
// wide gap separates words or cells).
func joinGlyphs(gs []glyph) string {
	var b strings.Builder
	for i, g := range gs {
		if i > 0 {
			prev := gs[i-1]
			h := max(g.y1-g.y0, prev.y1-prev.y0)
			if g.x0-prev.x1 > 0.8*h {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.text)
	}
	return b.String()
}

// cellText is a cell's text: its lines top to bottom. Vertical text
// (one glyph per line) reads top to bottom too.
func cellText(gs []glyph) string {
	if len(gs) == 0 {
		return ""
	}
	lines := textLines(gs)
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = joinGlyphs(l.glyphs)
	}
	return strings.Join(parts, "")
}
