package extract

import (
	"math"
	"sort"
	"strings"
)

// Tables drawn without rules (no borders at all, a 三线表 with only
// horizontal rules, or only an outer frame) give no lattice: their grid is
// rebuilt from where the text sits, as a reader sees it.
//
//   - A value line is a text line ending in numbers standing apart (gaps on
//     both sides, nothing but numbers after the first). Consecutive value
//     lines, with the label lines between them, make a table; the lines
//     just above it that print over its value columns are its header.
//   - The value columns are the numbers of all rows clustered by x range
//     (a column never holds two numbers of one row; neighbours sharing no
//     row are one column aligned two ways; a lone number off every column
//     goes to the column zone it falls in, flagged layout_guess), plus the
//     columns no row prints a number in, from their header cells. Two
//     numbers in one column's place leave their row's values out.
//   - A table drawn with only a frame or row rules still makes a lattice:
//     one whose cell holds a line of several numbers standing apart is
//     dropped (dropFrames), and its page read as unruled.
//   - Each value line is one row. A label wrapped over several lines (real
//     PDFs centre the numbers in a cell whose label wraps over 2–4 lines)
//     is one block, joined to the row it overlaps or is nearest to; a
//     block to the left of other labels that overlaps several rows
//     ("三、本年度办理结果", "（三）不予公开") spans them, as rowspan does.
//   - Label sub-columns start where many label lines start.
//
// The table is emitted through emitGrid like a lattice, so the one table
// reader maps it. Pages are stacked (the gap between pages closed) so that
// a table goes on over page breaks. Cells placed by a close call carry
// the layout_guess doubt.

// plainPage is a page without ruled tables: its text lines.
type plainPage struct {
	number int
	lines  []*line
}

// piece is a run of glyphs on one line with no wide gap inside, in
// document coordinates (pages stacked).
type piece struct {
	gs             []glyph
	x0, x1, y0, y1 float64
	num            bool // a number or placeholder standing alone
	pg             int  // index of its plain page
	ln             int  // index of its line
}

func (p *piece) text() string { return joinGlyphs(p.gs) }

// uline is a line of a plain page in document coordinates.
type uline struct {
	pg          int
	src         *line // the page's own line, for prose
	top, bottom float64
	pieces      []piece
	first       int // index of the first of the numbers ending the line; len(pieces) if none
}

func (l *uline) value() bool { return l.first < len(l.pieces) }

// unruledDoc is the run of plain pages being read.
type unruledDoc struct {
	pages []plainPage
	off   []float64 // y offset of each page in document coordinates
	lines []*uline
	em    float64 // the type size: median glyph height
}

// useg is a table found in the lines: header lines and body lines (from
// the first value line to the last line of the table), by index.
type useg struct {
	head, body []int
}

// layoutUnruled reads plain pages: their tables without rules, and prose.
func layoutUnruled(p *page, pages []plainPage) {
	if len(pages) == 0 {
		return
	}
	d := newUnruledDoc(pages)
	segs := d.findTables()
	taken := make([]bool, len(d.lines))
	for _, s := range segs {
		for _, i := range append(append([]int(nil), s.head...), s.body...) {
			taken[i] = true
		}
	}
	// Prose runs and tables in document order.
	si := 0
	var run []*line
	runPage := -1
	flushProse := func() {
		for _, l := range joinWrapped(run) {
			p.blocks = append(p.blocks, block{para: l.text()})
		}
		run = run[:0]
	}
	for i := 0; i <= len(d.lines); i++ {
		for si < len(segs) && i == segStart(segs[si]) {
			flushProse()
			if cells, nr, nc, ok := d.grid(segs[si]); ok {
				emitGrid(p, cells, nr, nc)
			}
			si++
		}
		if i == len(d.lines) {
			break
		}
		if taken[i] {
			continue
		}
		l := d.lines[i]
		if l.pg != runPage {
			flushProse()
			runPage = l.pg
		}
		run = append(run, l.src)
	}
	flushProse()
}

func segStart(s useg) int {
	if len(s.head) > 0 {
		return s.head[0]
	}
	return s.body[0]
}

func newUnruledDoc(pages []plainPage) *unruledDoc {
	d := &unruledDoc{pages: pages, off: make([]float64, len(pages))}
	var gs []glyph
	for _, pg := range pages {
		for _, l := range pg.lines {
			gs = append(gs, l.glyphs...)
		}
	}
	d.em = typeSize(gs)
	// Stack the pages, closing the gap at each break to a line's spacing,
	// so that a table's rows read on across it.
	bottom := 0.0
	for i, pg := range pages {
		if len(pg.lines) == 0 {
			continue
		}
		d.off[i] = bottom + 0.6*d.em - pg.lines[0].top
		if i == 0 {
			d.off[i] = 0
		}
		for _, l := range pg.lines {
			gs := make([]glyph, len(l.glyphs))
			for k, g := range l.glyphs {
				g.y0 += d.off[i]
				g.y1 += d.off[i]
				gs[k] = g
			}
			ul := &uline{pg: i, src: l, top: l.top + d.off[i], bottom: l.bottom + d.off[i]}
			ul.pieces = d.split(gs, i, len(d.lines))
			ul.first = len(ul.pieces)
			for k := len(ul.pieces) - 1; k >= 0 && ul.pieces[k].num; k-- {
				ul.first = k
			}
			d.lines = append(d.lines, ul)
			bottom = max(bottom, ul.bottom)
		}
	}
	return d
}

// typeSize is the median glyph height: the size of the body type.
func typeSize(gs []glyph) float64 {
	heights := make([]float64, 0, len(gs))
	for _, g := range gs {
		heights = append(heights, g.y1-g.y0)
	}
	sort.Float64s(heights)
	if len(heights) > 0 && heights[len(heights)/2] > 0 {
		return heights[len(heights)/2]
	}
	return 10
}

// dropFrames drops the lattices that are frames around a table, not its
// grid: rules around the whole table or under each row only (a 三线表,
// a frame), nested frames of a page layout. Their columns are not drawn,
// so a cell holds a line ending in several numbers standing apart; such a
// table is read as one without rules.
func dropFrames(lp *layoutPage, tables []*lattice) []*lattice {
	if len(tables) == 0 {
		return tables
	}
	var all []glyph
	byCell := map[*latCell][]glyph{}
	for _, g := range lp.glyphs {
		if strings.TrimSpace(g.text) == "" {
			continue
		}
		all = append(all, g)
		if c := cellAt(tables, g); c != nil {
			byCell[c] = append(byCell[c], g)
		}
	}
	em := typeSize(all)
	kept := tables[:0]
	for _, t := range tables {
		frame := false
		for _, c := range t.cells {
			for _, l := range textLines(byCell[c]) {
				// The line ends in two numbers or more, as a row of
				// values does ("2019 年比 2018" in a header does not).
				ps := splitPieces(l.glyphs, em, 0, 0)
				nums := 0
				for k := len(ps) - 1; k >= 0 && ps[k].num; k-- {
					nums++
				}
				frame = frame || nums >= 2
			}
		}
		if !frame {
			kept = append(kept, t)
		}
	}
	return kept
}

// numGlyph reports a character of a printed number or placeholder.
func numGlyph(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || strings.ContainsRune(".,+-%/—–－＋．％", r)) {
			return false
		}
	}
	return true
}

// closing and opening punctuation print their ink to one side of their
// box: the gap next to it is no gap between cells.
func closingPunct(s string) bool { return strings.ContainsAny(s, "）)、，。：；”’》】") }
func openingPunct(s string) bool { return strings.ContainsAny(s, "（(“‘《【") }

// split cuts a line's glyphs (left to right) into pieces at wide gaps.
// Digits sit closer to their neighbours' ink boxes than the advance
// suggests ("1" is narrow), so a number is cut only at a wider gap.
func (d *unruledDoc) split(gs []glyph, pg, ln int) []piece { return splitPieces(gs, d.em, pg, ln) }

func splitPieces(gs []glyph, em float64, pg, ln int) []piece {
	var out []piece
	start := 0
	cut := func(end int) {
		p := piece{gs: gs[start:end], pg: pg, ln: ln, x0: gs[start].x0, x1: gs[start].x1, y0: gs[start].y0, y1: gs[start].y1}
		for _, g := range p.gs {
			p.x0, p.x1 = min(p.x0, g.x0), max(p.x1, g.x1)
			p.y0, p.y1 = min(p.y0, g.y0), max(p.y1, g.y1)
		}
		if numGlyph(p.gs[0].text) { // a number, maybe with its unit (元, 万元, 件)
			k := parseValue(clean(p.text())).kind
			p.num = k == kindNumber || k == kindPlaceholder
		}
		out = append(out, p)
		start = end
	}
	for i := 1; i < len(gs); i++ {
		a, b := gs[i-1], gs[i]
		// CJK ink boxes leave gaps of a third of the type size inside
		// words (申, 卜); a number stands off its label by less.
		limit := 0.7 * em
		switch {
		case numGlyph(a.text) && numGlyph(b.text):
			limit = 0.6 * em
		case numGlyph(a.text) != numGlyph(b.text):
			limit = 0.3 * em
		case closingPunct(a.text) || openingPunct(b.text):
			limit = 0.9 * em
		}
		if b.x0-a.x1 >= limit {
			cut(i)
		}
	}
	if len(gs) > 0 {
		cut(len(gs))
	}
	return out
}

// headingLine reports a section heading ("四、政府信息公开行政复议…"):
// it ends a table's header upwards.
func headingLine(t string) bool {
	k := squeeze(t)
	r := firstRune(k)
	return strings.ContainsRune("一二三四五六七八九十", r) && strings.HasPrefix(k[len(string(r)):], "、")
}

// findTables finds the tables in the lines, top to bottom.
func (d *unruledDoc) findTables() []useg {
	var out []useg
	lastEnd := -1
	for i := 0; i < len(d.lines); i++ {
		if !d.lines[i].value() {
			continue
		}
		s, end := d.tableAt(i, lastEnd)
		if s == nil {
			continue
		}
		out = append(out, *s)
		lastEnd = end
		i = end
	}
	return out
}

// tableAt grows a table from the value line i; lastEnd is the last line of
// the table before. It returns nil when the lines make no table.
func (d *unruledDoc) tableAt(i, lastEnd int) (*useg, int) {
	em := d.em
	ls := d.lines
	left := ls[i].pieces[ls[i].first].x0 // where the values start
	body := []int{i}
	var pending []int
	prevBottom := ls[i].bottom
	for j := i + 1; j < len(ls); j++ {
		l := ls[j]
		if l.top-prevBottom > 4*em {
			break
		}
		if l.value() {
			if l.pieces[l.first].x0 < left-2*em || labelEnd(l) > left+0.5*em {
				break
			}
			body = append(append(body, pending...), j)
			pending = nil
			left = min(left, l.pieces[l.first].x0)
			prevBottom = l.bottom
			continue
		}
		if labelsLeftOf(l, len(l.pieces), left+0.2*em) {
			pending = append(pending, j)
			prevBottom = l.bottom
			continue
		}
		break
	}
	// Lines after the last values go with it while they continue its
	// label.
	prev := ls[body[len(body)-1]].bottom
	for _, k := range pending {
		if ls[k].top-prev >= 0.8*em || numbered(ls[k].src.text()) {
			break
		}
		body = append(body, k)
		prev = ls[k].bottom
	}
	// A label wrapped above its values (the numbers centred in the cell).
	for k := i - 1; k > lastEnd && i-k <= 4 && ls[body[0]].top-ls[k].bottom < 0.8*em; k-- {
		if ls[k].value() || !labelsLeftOf(ls[k], len(ls[k].pieces), left+0.2*em) {
			break
		}
		body = append([]int{k}, body...)
	}
	// The header: lines just above that print over the value columns, and
	// the label lines wrapped within it.
	labelMax := math.Inf(-1) // where the body's labels end
	for _, k := range body {
		if ls[k].value() {
			labelMax = max(labelMax, labelEnd(ls[k]))
			continue
		}
		for _, p := range ls[k].pieces {
			labelMax = max(labelMax, p.x1)
		}
	}
	var head []int
	top := ls[body[0]].top
	for k := body[0] - 1; k > lastEnd && len(head) < 12; k-- {
		l := ls[k]
		if top-l.bottom > 2.5*em || l.value() {
			break
		}
		if len(l.pieces) == 1 && headingLine(l.pieces[0].text()) {
			break
		}
		crossing, over := false, false
		for _, p := range l.pieces {
			// A line running from the labels into the values is prose.
			crossing = crossing || p.x0 < min(labelMax, left-2*em) && p.x1 > left+2*em
			// Over the values: reaching their column, or right of
			// every label (a header centred in a wide cell).
			over = over || p.x1 > left || p.x0 > labelMax+em
		}
		if crossing || !over && (len(head) == 0 || top-l.bottom >= 0.8*em) {
			break
		}
		head = append([]int{k}, head...)
		top = l.top
	}
	// Evidence of a table: two rows of values, a header of several
	// cells, or a row of three values.
	values, most := 0, 0
	for _, k := range body {
		if ls[k].value() {
			values++
			most = max(most, len(ls[k].pieces)-ls[k].first)
		}
	}
	cells := 0
	for _, k := range head {
		cells = max(cells, len(ls[k].pieces))
	}
	if values < 2 && cells < 2 && most < 3 {
		return nil, 0
	}
	end := body[len(body)-1]
	return &useg{head: head, body: body}, end
}

// valueColumns clusters the numbers of a table's rows (left to right in
// each row) into columns by their x ranges: a number joins the column it
// overlaps most that holds no number of its row yet. A column of one
// number where others hold several (a number printed off its cell's usual
// place) is no column: it joins its nearest neighbour. It returns the
// columns' x ranges, left to right, or nil when columns overlap.
func valueColumns(rows [][]piece, em float64) (lo, hi []float64) {
	type col struct {
		lo, hi float64
		rows   map[int]bool
	}
	type tok struct {
		r int
		p piece
	}
	var all []tok
	for r, ps := range rows {
		for _, p := range ps {
			all = append(all, tok{r, p})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].p.x0 < all[j].p.x0 })
	var cols []*col
	most := 0
	for _, t := range all {
		var best *col
		bestOv := -0.5 * em
		for _, c := range cols {
			if ov := min(c.hi, t.p.x1) - max(c.lo, t.p.x0); !c.rows[t.r] && ov > bestOv {
				best, bestOv = c, ov
			}
		}
		if best == nil {
			best = &col{lo: t.p.x0, hi: t.p.x1, rows: map[int]bool{}}
			cols = append(cols, best)
		}
		best.lo, best.hi = min(best.lo, t.p.x0), max(best.hi, t.p.x1)
		best.rows[t.r] = true
		most = max(most, len(best.rows))
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].lo < cols[j].lo })
	// Neighbours within an em that share no row are one column aligned
	// two ways (cells of one column left- and right-aligned).
	merged := cols[:0]
	for _, c := range cols {
		if n := len(merged); n > 0 && c.lo-merged[n-1].hi < em {
			p, shared := merged[n-1], false
			for r := range c.rows {
				shared = shared || p.rows[r]
			}
			if !shared {
				p.lo, p.hi = min(p.lo, c.lo), max(p.hi, c.hi)
				for r := range c.rows {
					p.rows[r] = true
				}
				most = max(most, len(p.rows))
				continue
			}
		}
		merged = append(merged, c)
	}
	kept := merged[:0]
	for _, c := range merged {
		if len(c.rows) == 1 && most >= 2 {
			// A stray: its row's number goes in the zone it falls in.
			continue
		}
		kept = append(kept, c)
	}
	for i, c := range kept {
		if i > 0 && c.lo <= kept[i-1].hi {
			return nil, nil // columns overlapping: no grid to trust
		}
		lo, hi = append(lo, c.lo), append(hi, c.hi)
	}
	return lo, hi
}

// headerColumns adds the value columns that no row prints a number in:
// a header cell over the values, below no other, standing clear of every
// column found.
func headerColumns(ls []*uline, head []int, lo, hi []float64, em float64) ([]float64, []float64) {
	if len(head) == 0 || len(lo) == 0 {
		return lo, hi
	}
	var ps []piece
	for _, h := range head {
		ps = append(ps, ls[h].pieces...)
	}
	for i, p := range ps {
		if p.x0 < lo[0]-em {
			continue // over the labels
		}
		clear := true
		for c := range lo {
			clear = clear && (p.x1 < lo[c] || p.x0 > hi[c])
		}
		for j, q := range ps { // a header over others is a group
			clear = clear && (j == i || q.y0 <= p.y1 || min(p.x1, q.x1) <= max(p.x0, q.x0))
		}
		if !clear {
			continue
		}
		c := sort.SearchFloat64s(lo, p.x0)
		lo = append(lo[:c], append([]float64{p.x0}, lo[c:]...)...)
		hi = append(hi[:c], append([]float64{p.x1}, hi[c:]...)...)
	}
	return lo, hi
}

// labelEnd is where the labels of value line l end, not counting digits
// printed against the last one ("不计其他情形8": a value in the first
// column).
func labelEnd(l *uline) float64 {
	end := math.Inf(-1)
	for i, p := range l.pieces[:l.first] {
		gs := p.gs
		if i == l.first-1 {
			for len(gs) > 1 && numGlyph(gs[len(gs)-1].text) {
				gs = gs[:len(gs)-1]
			}
		}
		for _, g := range gs {
			end = max(end, g.x1)
		}
	}
	return end
}

// labelsLeftOf reports whether the pieces of l before index n all end
// left of x.
func labelsLeftOf(l *uline, n int, x float64) bool {
	for _, p := range l.pieces[:n] {
		if p.x1 > x {
			return false
		}
	}
	return true
}

// uanchor is a value line: one row of the table.
type uanchor struct {
	top, bottom float64
	toks        []piece
	cols        []int // value column of each token; nil when they fit no columns
	guess       bool
}

// ublock is a label or header cell: pieces stacked in one column range.
type ublock struct {
	pieces         []piece
	c0, c1         int
	x0, x1, y0, y1 float64
	r0, r1         int // grid rows
	guess          bool
}

func (b *ublock) add(p piece) {
	if len(b.pieces) == 0 {
		b.x0, b.x1, b.y0, b.y1 = p.x0, p.x1, p.y0, p.y1
	}
	b.pieces = append(b.pieces, p)
	b.x0, b.x1 = min(b.x0, p.x0), max(b.x1, p.x1)
	b.y0, b.y1 = min(b.y0, p.y0), max(b.y1, p.y1)
}

func (b *ublock) text() string {
	ps := append([]piece(nil), b.pieces...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].ln != ps[j].ln {
			return ps[i].ln < ps[j].ln
		}
		return ps[i].x0 < ps[j].x0
	})
	var sb strings.Builder
	for _, p := range ps {
		sb.WriteString(p.text())
	}
	return sb.String()
}

// stack groups pieces into blocks: pieces of one column range on one line,
// or each just under the one before (a wrapped label; a numbered line
// starts a new label).
func (d *unruledDoc) stack(ps []piece, col func(p piece) (int, int), header bool) []*ublock {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].y0 < ps[j].y0 })
	var out []*ublock
	for _, p := range ps {
		c0, c1 := col(p)
		var into *ublock
		for k := len(out) - 1; k >= 0; k-- {
			b := out[k]
			if b.c0 != c0 || header && b.c1 != c1 {
				continue
			}
			// A header cell's lines may stand further apart (centred
			// in a tall cell, or a blank line between).
			gap := 0.8 * d.em
			if header {
				gap = 2 * d.em
			}
			last := b.pieces[len(b.pieces)-1]
			sameLine := min(last.y1, p.y1)-max(last.y0, p.y0) > 0.3*d.em
			below := p.y0-last.y1 < gap && p.y0 > last.y0
			if sameLine || below && (header || !numbered(p.text())) {
				into = b
			}
			break
		}
		if into == nil {
			into = &ublock{c0: c0, c1: c1}
			out = append(out, into)
		}
		into.add(p)
		into.c1 = max(into.c1, c1)
	}
	return out
}

// grid builds a table's cells: header rows, then one row per value line
// (and per label with no values beside it).
func (d *unruledDoc) grid(s useg) ([]gridCell, int, int, bool) {
	em := d.em
	ls := d.lines
	// Value columns: the numbers of all rows clustered by x range.
	var rowsToks [][]piece
	for _, k := range s.body {
		if l := ls[k]; l.value() {
			rowsToks = append(rowsToks, l.pieces[l.first:])
		}
	}
	lo, hi := valueColumns(rowsToks, em)
	if lo == nil {
		return nil, 0, 0, false
	}
	// A column no row prints a number in (all blank) has only its header.
	lo, hi = headerColumns(ls, s.head, lo, hi, em)
	m := len(lo)
	var anchors []*uanchor
	var labels []piece
	for _, k := range s.body {
		l := ls[k]
		lab, toks := l.pieces[:l.first], l.pieces[l.first:]
		if n := len(lab); n > 0 && len(toks) > 0 && len(toks) < m {
			// A number printed against its label ("不计其他情形8"):
			// the label's last digits standing in the first column.
			last := lab[n-1]
			cut := len(last.gs)
			for cut > 0 && numGlyph(last.gs[cut-1].text) && last.gs[cut-1].x0 >= lo[0]-em {
				cut--
			}
			if cut < len(last.gs) && last.gs[len(last.gs)-1].x1 < lo[0] {
				cut = len(last.gs) // digits of the label, short of the column
			}
			if cut > 0 && cut < len(last.gs) {
				parts := d.split(last.gs[:cut], last.pg, last.ln)
				tail := d.split(last.gs[cut:], last.pg, last.ln)
				if len(tail) == 1 {
					tail[0].num = true
					lab = append(append([]piece(nil), lab[:n-1]...), parts...)
					toks = append(tail, toks...)
				}
			}
		}
		labels = append(labels, lab...)
		if len(toks) == 0 {
			continue
		}
		a := &uanchor{toks: toks, top: math.Inf(1), bottom: math.Inf(-1)}
		for _, t := range a.toks {
			a.top, a.bottom = min(a.top, t.y0), max(a.bottom, t.y1)
		}
		anchors = append(anchors, a)
	}
	zb := make([]float64, 0, m) // zb[c]: left edge of value column c
	maxLabel := math.Inf(-1)
	for _, p := range labels {
		if p.x1 < lo[0] {
			maxLabel = max(maxLabel, p.x1)
		}
	}
	if maxLabel > math.Inf(-1) {
		zb = append(zb, (maxLabel+lo[0])/2)
	} else {
		zb = append(zb, lo[0]-em)
	}
	for c := 1; c < m; c++ {
		zb = append(zb, (hi[c-1]+lo[c])/2)
	}
	colOf := func(x float64) int { return sort.SearchFloat64s(zb, x) - 1 }
	for _, a := range anchors {
		cols := make([]int, len(a.toks))
		used := map[int]bool{}
		for i, t := range a.toks {
			c := colOf((t.x0 + t.x1) / 2)
			if c < 0 || used[c] {
				cols = nil
				break
			}
			used[c] = true
			cols[i] = c
			if t.x0 < lo[c]-0.5*em || t.x1 > hi[c]+0.5*em {
				a.guess = true // off its column (a stray joined to its neighbour)
			}
		}
		a.cols = cols
	}
	// Label sub-columns start where many label pieces start.
	var bounds []float64
	if len(labels) > 0 {
		xs := make([]float64, len(labels))
		for i, p := range labels {
			xs[i] = p.x0
		}
		sort.Float64s(xs)
		bounds = append(bounds, xs[0])
		for i := 0; i < len(xs); {
			j := i
			for j+1 < len(xs) && xs[j+1]-xs[j] <= 0.5*em {
				j++
			}
			if j-i+1 >= 3 && xs[i] >= bounds[len(bounds)-1]+1.5*em && xs[i] < zb[0]-em {
				bounds = append(bounds, xs[i])
			}
			i = j + 1
		}
	}
	k := len(bounds)
	// A piece running over a sub-column's start, where a glyph starts
	// after a gap, is two cells' text side by side (a group label spaced
	// out to its cell's width, "不 予 公" + "务信息").
	if k > 1 {
		var cut []piece
		for _, p := range labels {
			start := 0
			for i := 1; i < len(p.gs); i++ {
				a, g := p.gs[i-1], p.gs[i]
				for _, b := range bounds[1:] {
					if math.Abs(g.x0-b) <= 0.3*em && g.x0-a.x1 >= 0.3*em && a.x1 < b {
						cut = append(cut, d.split(p.gs[start:i], p.pg, p.ln)...)
						start = i
						break
					}
				}
			}
			cut = append(cut, d.split(p.gs[start:], p.pg, p.ln)...)
		}
		labels = cut
	}
	labelCol := func(x float64) int {
		c := 0
		for j, b := range bounds {
			if x >= b-0.5*em {
				c = j
			}
		}
		return c
	}
	blocks := d.stack(labels, func(p piece) (int, int) {
		c0 := labelCol(p.x0)
		return c0, max(c0, labelCol(p.x1-0.5*em))
	}, false)
	// Rows: each value line, and each label with no values beside it.
	overlap := func(b *ublock, a *uanchor) float64 { return min(b.y1, a.bottom) - max(b.y0, a.top) }
	type brow struct {
		top    float64
		anchor *uanchor
	}
	var rows []brow
	for _, a := range anchors {
		rows = append(rows, brow{top: a.top, anchor: a})
	}
	own := map[*ublock][2]*uanchor{} // first and last anchor of each block
	var owned []*ublock              // own's keys, in order
	setOwn := func(b *ublock, a0, a1 *uanchor) {
		if _, ok := own[b]; !ok {
			owned = append(owned, b)
		}
		own[b] = [2]*uanchor{a0, a1}
	}
	var loose []*ublock
	for _, b := range blocks {
		var over []*uanchor
		best, second := -1.0, -1.0
		var bestA *uanchor
		for _, a := range anchors {
			if o := overlap(b, a); o > 0 {
				over = append(over, a)
				if o > best {
					best, second, bestA = o, best, a
				} else if o > second {
					second = o
				}
			}
		}
		outer := false
		for _, o := range blocks {
			if o != b && o.c0 > b.c1 && min(o.y1, b.y1)-max(o.y0, b.y0) > 0 {
				outer = true
			}
		}
		switch {
		case len(over) == 0:
			loose = append(loose, b)
		case len(over) == 1 || !outer:
			setOwn(b, bestA, bestA)
			b.guess = second >= 0.5*best
		default:
			setOwn(b, over[0], over[len(over)-1])
		}
	}
	// A label beside no values goes with the nearest row, unless it is
	// numbered and that row has its own numbered label in columns it
	// shares: then it is a row of its own, with blank values.
	for _, b := range loose {
		var near *uanchor
		dist, next := math.Inf(1), math.Inf(1)
		for _, a := range anchors {
			if g := max(a.top-b.y1, b.y0-a.bottom); g < dist {
				near, dist, next = a, g, dist
			} else if g < next {
				next = g
			}
		}
		taken := false
		for _, o := range owned {
			if o.c0 <= b.c1 && b.c0 <= o.c1 && own[o][0] == near && numbered(o.text()) {
				taken = true
			}
		}
		if near == nil || dist > 3*em || taken && numbered(b.text()) {
			if b.c1 == k-1 || k == 0 {
				a := &uanchor{top: b.y0, bottom: b.y1}
				rows = append(rows, brow{top: b.y0, anchor: a})
				setOwn(b, a, a)
			}
			continue
		}
		if next < 1.5*dist+0.3*em {
			near.guess = true // between two rows: whose label it is is a close call
		}
		setOwn(b, near, near)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].top < rows[j].top })
	// Header blocks, by the column zones they cover.
	type zone struct{ a, b float64 }
	var zones []zone
	for j := 0; j < k; j++ {
		end := zb[0]
		if j+1 < k {
			end = bounds[j+1] - 0.5*em
		}
		zones = append(zones, zone{bounds[j] - 0.5*em, end})
	}
	for c := 0; c < m; c++ {
		end := math.Inf(1)
		if c+1 < m {
			end = zb[c+1]
		}
		zones = append(zones, zone{zb[c], end})
	}
	// Header pieces are cut where a gap holds a value column's edge:
	// narrow columns' headers print close together ("社会法律").
	var hps []piece
	for _, h := range s.head {
		for _, p := range ls[h].pieces {
			start := 0
			for i := 1; i < len(p.gs); i++ {
				a, b := p.gs[i-1], p.gs[i]
				if b.x0-a.x1 < 0.2*em {
					continue
				}
				for c, z := range zb {
					// The gap holds the column's edge, or ends where
					// its numbers start (left-aligned cells).
					if a.x1 <= z && z <= b.x0 || c > 0 && math.Abs(b.x0-lo[c]) <= 0.5*em {
						hps = append(hps, d.split(p.gs[start:i], p.pg, p.ln)...)
						start = i
						break
					}
				}
			}
			hps = append(hps, d.split(p.gs[start:], p.pg, p.ln)...)
		}
	}
	headBlocks := d.stack(hps, func(p piece) (int, int) {
		c0, c1 := -1, -1
		for z, zn := range zones {
			w := min(p.x1-p.x0, zn.b-zn.a)
			if ov := min(p.x1, zn.b) - max(p.x0, zn.a); w > 0 && ov >= 0.5*w {
				if c0 < 0 {
					c0 = z
				}
				c1 = z
			}
		}
		if c0 < 0 {
			cx := (p.x0 + p.x1) / 2
			for z, zn := range zones {
				if cx >= zn.a && cx < zn.b || z == 0 && cx < zn.a {
					c0, c1 = z, z
				}
			}
		}
		return c0, c1
	}, true)
	// Header rows: cells side by side (overlapping every cell of the row
	// by half their height) are one row; cells are centred in theirs.
	levels := 0
	var level []*ublock
	sort.SliceStable(headBlocks, func(i, j int) bool { return headBlocks[i].y0 < headBlocks[j].y0 })
	for _, b := range headBlocks {
		same := len(level) > 0
		for _, o := range level {
			h := min(o.y1-o.y0, b.y1-b.y0)
			same = same && min(o.y1, b.y1)-max(o.y0, b.y0) >= 0.5*h
		}
		if !same {
			levels++
			level = level[:0]
		}
		level = append(level, b)
		b.r0, b.r1 = levels-1, levels-1
	}
	nc := k + m
	rowOf := map[*uanchor]int{}
	for i, r := range rows {
		rowOf[r.anchor] = levels + i
	}
	var cells []gridCell
	pos := func(pg int, x0, y0, x1, y1 float64, guess bool) *srcPos {
		o := d.off[pg]
		return &srcPos{page: d.pages[pg].number, guess: guess,
			box: [4]float64{round1(x0), round1(y0 - o), round1(x1), round1(y1 - o)}}
	}
	add := func(b *ublock) {
		p0 := b.pieces[0]
		cells = append(cells, gridCell{r0: b.r0, r1: b.r1, c0: b.c0, c1: b.c1, text: b.text(),
			pos: pos(p0.pg, b.x0, b.y0, b.x1, b.y1, b.guess)})
	}
	for _, b := range headBlocks {
		if b.c0 >= 0 {
			add(b)
		}
	}
	// Blocks of shared columns starting in one row are one cell (a label
	// whose lines stand apart): two own labels side by side would make
	// the second read as a value.
	var rowCells []*ublock
	for _, b := range owned {
		as := own[b]
		b.r0, b.r1 = rowOf[as[0]], rowOf[as[1]]
		merged := false
		for _, o := range rowCells {
			if o.r0 == b.r0 && o.c0 <= b.c1 && b.c0 <= o.c1 {
				for _, p := range b.pieces {
					o.add(p)
				}
				o.c0, o.c1, o.r1 = min(o.c0, b.c0), max(o.c1, b.c1), max(o.r1, b.r1)
				o.guess = o.guess || b.guess
				merged = true
				break
			}
		}
		if !merged {
			rowCells = append(rowCells, b)
		}
	}
	for _, b := range rowCells {
		add(b)
	}
	pageAt := func(y float64) int {
		pg := 0
		for i := range d.pages {
			if len(d.pages[i].lines) > 0 && y >= d.off[i]+d.pages[i].lines[0].top-0.6*d.em {
				pg = i
			}
		}
		return pg
	}
	for _, r := range rows {
		a := r.anchor
		row := rowOf[a]
		if a.toks != nil && a.cols == nil {
			continue // numbers that fit no columns: left out
		}
		text := make([]string, m)
		boxes := make([]*srcPos, m)
		for i, t := range a.toks {
			c := a.cols[i]
			text[c] = t.text()
			boxes[c] = pos(t.pg, t.x0, t.y0, t.x1, t.y1, a.guess)
		}
		for c := 0; c < m; c++ {
			if boxes[c] == nil {
				boxes[c] = pos(pageAt(a.top), lo[c], a.top, hi[c], a.bottom, a.guess)
			}
			cells = append(cells, gridCell{r0: row, r1: row, c0: k + c, c1: k + c, text: text[c], pos: boxes[c]})
		}
	}
	return cells, levels + len(rows), nc, nc > 0
}
