package extract

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// tableReader walks the blocks of a page and turns the rows of tables 二,
// 三 and 四 into cells. Rows are recognised by their labels, not by which
// <table> they sit in; headings and anchor labels only tell it which table
// it is in when a label alone is ambiguous ("3.其他", "总计", table 四's
// label-less data row).
type tableReader struct {
	rep  *Report
	ctx  string      // "t2", "t3", "t4" or ""
	seen [][2]string // {"t3", "granted"}: rows already read; the first copy wins
	vals []string    // backing for the cells' values: one allocation, not one per cell

	t2cols       []t2col // columns of the current table 二 sub-table header
	t2fmt        [2]int  // votes: 2019, 2021
	t2any        bool
	t3hdr        []*row // header rows of table 三 seen before its first data row
	t3cols       []string
	t3group      string
	t3fmt        string
	t3any        bool
	t4done       bool
	t4blank      *row      // an all-blank 15-value row, used only if no better one
	t4part       []rowCell // values of a table 四 printed in parts
	pending      *row      // plain text: a mapped label row whose values follow
	pendingParas int       // paragraphs read since pending was set
}

type t2col struct {
	code, unit string
}

func newTableReader(rep *Report) *tableReader {
	return &tableReader{rep: rep}
}

func (x *tableReader) warn(code, table, row, col, msg string) {
	x.rep.Warnings = append(x.rep.Warnings, Warning{Code: code, Table: table, Row: row, Col: col, Message: msg})
}

// heading switches context on the section headings 二、三、四、五.
func (x *tableReader) heading(p string) {
	if !shortText(p, 40) {
		return
	}
	k := squeeze(p)
	if !headingWords.any(k) {
		return // most paragraphs
	}
	switch {
	case strings.Contains(k, "主动公开政府信息情况") || strings.Contains(k, "主动公开政府信息"):
		x.ctx = "t2"
	case strings.Contains(k, "收到和处理政府信息公开申请"):
		x.ctx = "t3"
	case strings.Contains(k, "复议") && strings.Contains(k, "诉讼"):
		x.ctx = "t4"
	case containsAny(k, "存在的主要问题", "其他需要报告"):
		x.ctx = ""
	}
}

// prose lets a label row that waits for its values (plain text) lapse when
// the text goes on as prose: a sentence, or a few lines of anything. Its
// values come on the next line or past a page break, not pages later.
func (x *tableReader) prose(p string) {
	if x.pending == nil {
		return
	}
	if x.pendingParas++; x.pendingParas > 3 || strings.HasSuffix(p, "。") {
		x.pending = nil
	}
}

// lastMapped returns the index in r.cells of the last text cell that maps
// under fn, with its code.
func lastMapped(r *row, fn func(cref) string) (int, string) {
	idx, code := -1, ""
	for i := range r.cells {
		// Cells spanning down from above are group labels ("（三）不予公开");
		// the row's own label is the specific one.
		if r.cells[i].kind != kindText || !r.cells[i].own {
			continue
		}
		if k := fn(r.cells[i]); k != "" {
			idx, code = i, k
		}
	}
	return idx, code
}

// valuesAfter returns the value cells right of index i: the row's own,
// and value cells merged down from a row above (rowspan over equal
// neighbours, or over the sub-rows of （六）其他处理), which hold this
// row's value too. Text cells spanning down are labels of rows above.
func valuesAfter(r *row, i int) []cref {
	rest := r.cells[i+1:]
	for k, c := range rest {
		if !c.own && c.kind == kindText {
			out := append([]cref(nil), rest[:k]...)
			for _, c := range rest[k+1:] {
				if c.own || c.kind != kindText {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return rest
}

func (x *tableReader) addRow(r *row) {
	if p := x.pending; p != nil {
		// A label row waiting for its values: converters put them on the
		// next line, or past a page break.
		x.pending = nil
		if !hasText(r) {
			r = &row{table: r.table, line: r.line, cells: append(append([]cref(nil), p.cells...), r.cells...)}
		}
	}
	x.anchor(r)
	// Table 三 first: its labels are the most specific.
	for _, c := range r.cells {
		if g := t3Group(c.key()); g != "" {
			x.t3group = g
		}
	}
	// A table row whose cells are all text is a header or caption: it has
	// nothing to map (plain-text label lines do: their values follow).
	mappable := r.table < 0
	for _, c := range r.cells {
		mappable = mappable || c.kind != kindText
	}
	if !mappable {
		x.other(r)
		return
	}
	group := x.t3group
	i3, code3 := lastMapped(r, func(c cref) string { return t3Row(c.text, c.key(), group) })
	if code3 != "" && (x.ctx == "t3" || strongT3(code3)) {
		vals := valuesAfter(r, i3)
		if len(vals) >= 3 {
			x.ctx = "t3"
			x.t3Data(r, code3, vals)
			return
		}
		if len(vals) == 0 && r.table < 0 {
			x.pending, x.pendingParas = r, 0
			return
		}
	}
	if i2, code2 := lastMapped(r, func(c cref) string { return t2Row(c.key()) }); code2 != "" && x.ctx != "t3" && x.ctx != "t4" {
		vals := valuesAfter(r, i2)
		if len(vals) >= 1 {
			x.ctx = "t2"
			x.t2Data(r, code2, vals)
			return
		}
		if r.table < 0 {
			x.pending, x.pendingParas = r, 0
			return
		}
	}
	if label, ok := dataLike(r); ok && (x.ctx == "t2" && (x.t2any || x.t2cols != nil) || x.ctx == "t3" && x.t3any) {
		if x.ctx == "t3" && x.repairT3(r) {
			return
		}
		x.warn(WarnUnmappedRow, x.ctx, "", "", fmt.Sprintf("row %q has values but is not in the codebook; skipped", label))
		return
	}
	x.other(r)
}

// other handles a row that is no data row of tables 二 or 三: a header of
// the table in context, or table 四's data row.
func (x *tableReader) other(r *row) {
	switch x.ctx {
	case "t2":
		x.t2Header(r)
	case "t3":
		if !x.t3any {
			x.t3hdr = append(x.t3hdr, r)
		}
	case "t4":
		x.t4Row(r)
	}
}

// hasText reports a row with any text cell.
func hasText(r *row) bool {
	for _, c := range r.cells {
		if c.kind == kindText {
			return true
		}
	}
	return false
}

// dataLike reports a row with a text label followed by at least one number:
// an extra row such as 其他主动公开文件.
func dataLike(r *row) (label string, ok bool) {
	last := -1
	for i, c := range r.cells {
		if c.kind == kindText {
			last = i
		}
	}
	if last < 0 {
		return "", false
	}
	for _, c := range valuesAfter(r, last) {
		if c.kind == kindNumber {
			return r.cells[last].text, true
		}
	}
	return "", false
}

func strongT3(code string) bool {
	return code != "other.other" && code != "result_total" && code != "other"
}

// headingWords are in every heading that heading acts on, anchorWords in
// every label anchor acts on: one pass rejects the other texts.
var (
	headingWords = wordsOf("主动公开政府信息", "收到和处理政府信息公开申请", "复议", "存在的主要问题", "其他需要报告")
	anchorWords  = wordsOf("第二十条", "信息内容", "申请人情况", "自然人", "行政复议", "行政诉讼")
)

// anchor switches context on labels that only one table prints.
func (x *tableReader) anchor(r *row) {
	for _, c := range r.cells {
		if c.kind != kindText || !c.own {
			continue // numbers name no table; a cell spanning down was read in its own row
		}
		k := squeeze(c.text)
		switch {
		case !anchorWords.any(k): // most labels
		case strings.Contains(k, "第二十条") || k == "信息内容":
			x.ctx = "t2"
		case strings.Contains(k, "申请人情况") || k == "自然人":
			x.ctx = "t3"
		case k == "行政复议" || k == "行政诉讼" || strings.HasPrefix(k, "行政复议"):
			x.ctx = "t4"
		}
	}
}

// dropRow removes the cells and blank-cell warnings of table.row.
func (x *tableReader) dropRow(table, row string) {
	cells := x.rep.Cells[:0]
	for _, c := range x.rep.Cells {
		if c.Table != table || c.Row != row {
			cells = append(cells, c)
		}
	}
	x.rep.Cells = cells
	ws := x.rep.Warnings[:0]
	for _, w := range x.rep.Warnings {
		if w.Table != table || w.Row != row {
			ws = append(ws, w)
		}
	}
	x.rep.Warnings = ws
}

// firstRow reports whether table.row is read for the first time: a page
// that repeats a table (a print copy) keeps its first reading.
func (x *tableReader) firstRow(table, row string) bool {
	if x.wasSeen(table, row) {
		return false
	}
	x.seen = append(x.seen, [2]string{table, row})
	return true
}

// wasSeen reports whether table.row has been read. A report has about 50
// rows: a linear search beats a map's hashing.
func (x *tableReader) wasSeen(table, row string) bool {
	for _, s := range x.seen {
		if s[1] == row && s[0] == table {
			return true
		}
	}
	return false
}

func (x *tableReader) emit(table, rowCode, col string, c cref, r *row, unit string) *Cell {
	if cap(x.rep.Cells) == 0 {
		x.rep.Cells = make([]Cell, 0, 256) // a full report has 207 to 233 cells
	}
	// Filled in place: a Cell is 112 bytes, copying it in is measurable.
	x.rep.Cells = append(x.rep.Cells, Cell{})
	cell := &x.rep.Cells[len(x.rep.Cells)-1]
	cell.Table, cell.Row, cell.Col, cell.Raw = table, rowCode, col, c.text
	cell.SrcTable, cell.SrcRow, cell.SrcCol = r.table, r.line, int(c.col)
	if c.pos != nil {
		cell.Page = c.pos.page
		box := c.pos.box
		cell.Box = &box
		if c.pos.guess {
			cell.Doubts = append(cell.Doubts, DoubtLayoutGuess)
		}
	}
	switch c.kind {
	case kindNumber:
		if cap(x.vals) == len(x.vals) {
			// Earlier cells keep pointing into the old array.
			x.vals = make([]string, 0, max(256, 2*cap(x.vals)))
		}
		x.vals = append(x.vals, c.aux)
		cell.Value = &x.vals[len(x.vals)-1]
		cell.Unit = c.unit
	case kindEmpty:
		x.warn(WarnBlankCell, table, rowCode, col, "blank cell")
	case kindPlaceholder:
		x.warn(WarnBlankCell, table, rowCode, col, fmt.Sprintf("placeholder %q", c.text))
	default:
		x.warn(WarnNotANumber, table, rowCode, col, fmt.Sprintf("not a number: %q", c.text))
	}
	if cell.Unit == "" {
		cell.Unit = unit
	}
	if c.cut {
		cell.Doubts = append(cell.Doubts, DoubtPageBreak)
	}
	if c.merged {
		cell.Doubts = append(cell.Doubts, DoubtMergedValue)
		x.warn(WarnMergedValue, table, rowCode, col, fmt.Sprintf("value cell %q merged over several rows (rowspan); each row is given its value", c.text))
	}
	return cell
}

// fit trims a value list to n cells: surplus empty cells at either end
// are dropped (Word leaves them), any other surplus is reported.
func (x *tableReader) fit(vals []cref, n int, table, rowCode string) []cref {
	for len(vals) > n && vals[len(vals)-1].text == "" {
		vals = vals[:len(vals)-1]
	}
	for len(vals) > n && vals[0].text == "" {
		vals = vals[1:]
	}
	switch {
	case len(vals) > n:
		x.warn(WarnExtraCells, table, rowCode, "", fmt.Sprintf("row has %d value cells, expected %d; extra cells ignored", len(vals), n))
		vals = vals[:n]
	case len(vals) < n:
		x.warn(WarnMissingCells, table, rowCode, "", fmt.Sprintf("row has %d value cells, expected %d", len(vals), n))
	}
	return vals
}

// ---- table 三 ----

func (x *tableReader) t3Data(r *row, code string, vals []cref) {
	if !x.t3any {
		x.t3any = true
		x.t3cols = x.t3Columns()
	}
	if strings.HasPrefix(code, "other.") {
		// A sub-row of （六） puts the next "3.其他" in that group even
		// when the group label was lost (flattened text).
		x.t3group = groupOtherHandling
	}
	if !x.firstRow("t3", code) {
		return
	}
	switch {
	case strings.HasPrefix(code, "other."): // the three 2021 sub-rows
		x.t3fmt = "2021"
	case code == "other" && x.t3fmt == "": // 2019's single row (or a 2021 subtotal)
		x.t3fmt = "2019"
	}
	var joined []bool
	if len(vals) > len(x.t3cols) && r.table < 0 {
		vals, joined = joinSplitNumbers(vals, x.t3cols)
	}
	vals = x.fit(vals, len(x.t3cols), "t3", code)
	for i, v := range vals {
		c := x.emit("t3", code, x.t3cols[i], v, r, "")
		if i < len(joined) && joined[i] {
			c.Doubts = append(c.Doubts, DoubtSplitNumber)
		}
	}
}

// joinSplitNumbers undoes numbers a converter printed in pieces, one per
// line ("1" / "62" for 162: Word runs broke the number). A table 三 row with
// k more value lines than columns is rejoined by the one choice of k
// neighbouring pairs whose row balances (the columns before 总计 add up to
// 总计); without exactly one such choice the values are left as they are.
// joined marks the cells that were put together.
func joinSplitNumbers(vals []cref, cols []string) ([]cref, []bool) {
	extra := len(vals) - len(cols)
	total := -1
	for i, c := range cols {
		if c == "total" {
			total = i
		}
	}
	if extra < 1 || extra > 3 || total < 0 || len(vals) > 24 {
		return vals, nil
	}
	for _, v := range vals {
		if v.kind != kindNumber || !allDigits(v.text) {
			return vals, nil
		}
	}
	var found [][]bool
	// glue[i] joins vals[i] and vals[i+1]; at most extra glues, none
	// chained (a number in three pieces is too much to guess).
	var try func(i, left int, glue []bool)
	try = func(i, left int, glue []bool) {
		if len(found) > 1 {
			return
		}
		if left == 0 {
			if texts, ok := applyGlue(vals, glue); ok && balances(texts, cols, total) {
				found = append(found, append([]bool(nil), glue...))
			}
			return
		}
		for j := i; j < len(vals)-1; j++ {
			if j > 0 && glue[j-1] {
				continue
			}
			glue[j] = true
			try(j+2, left-1, glue)
			glue[j] = false
		}
	}
	try(0, extra, make([]bool, len(vals)))
	if len(found) != 1 {
		return vals, nil
	}
	texts, _ := applyGlue(vals, found[0])
	out := make([]cref, len(texts))
	joined := make([]bool, len(texts))
	backing := make([]gcell, len(texts))
	k := 0
	for i, t := range texts {
		if t == vals[k].text {
			out[i] = vals[k]
			k++
			continue
		}
		backing[i] = *vals[k].gcell
		backing[i].set(t, int(vals[k].row), int(vals[k].col), int(vals[k].span))
		out[i] = cref{&backing[i], true}
		joined[i] = true
		k += 2
	}
	return out, joined
}

// applyGlue joins the glued neighbours. A number never starts with 0, so
// "0" is never the first piece ("1" / "05" is 105, "0" / "5" is two cells).
func applyGlue(vals []cref, glue []bool) ([]string, bool) {
	var out []string
	for i := 0; i < len(vals); i++ {
		if glue[i] {
			a, b := vals[i].text, vals[i+1].text
			if a == "0" {
				return nil, false
			}
			out = append(out, a+b)
			i++
			continue
		}
		out = append(out, vals[i].text)
	}
	return out, true
}

func allDigits(s string) bool {
	d, rest := leadingDigits(s)
	return d != "" && rest == ""
}

// balances reports whether the columns before total add up to it.
func balances(texts []string, cols []string, total int) bool {
	var sum, tot int64
	for i, t := range texts {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return false
		}
		switch {
		case i == total:
			tot = n
		case cols[i] != "legal_subtotal":
			sum += n
		}
	}
	return sum == tot
}

// t3Columns reads the column order from the header rows: for HTML, the
// lowest non-empty header text of each grid column, left to right (grid
// order, not DOM order, in which 总计 comes before 商业企业); for plain text
// 自然人, then the 法人 sub-columns as listed, then 总计.
func (x *tableReader) t3Columns() []string {
	var codes []string
	if len(x.t3hdr) > 0 && x.t3hdr[0].table >= 0 {
		width := 0
		for _, r := range x.t3hdr {
			for _, c := range r.cells {
				width = max(width, int(c.col+c.span))
			}
		}
		leaf := make([]string, width)
		for _, r := range x.t3hdr {
			for _, c := range r.cells {
				if c.text == "" {
					continue
				}
				for k := int(c.col); k < int(c.col+c.span); k++ {
					leaf[k] = c.text
				}
			}
		}
		for _, l := range leaf {
			codes = x.addT3Col(codes, l)
		}
	} else {
		var subs []string
		natural, total := false, false
		for _, r := range x.t3hdr {
			for _, c := range r.cells {
				switch code := t3Col(c.text); code {
				case "natural":
					natural = true
				case "total":
					total = true
				case "":
					if !t3ParentLabel(c.text) {
						x.warn(WarnUnmappedCol, "t3", "", "", fmt.Sprintf("table 三 header %q not in the codebook", c.text))
					}
				default:
					subs = appendNew(subs, code)
				}
			}
		}
		if natural {
			codes = append(codes, "natural")
		}
		// A 小计 column follows the parts it sums, whatever line of a
		// flattened header it was printed on.
		if i := slices.Index(subs, "legal_subtotal"); i >= 0 {
			subs = append(slices.Delete(subs, i, i+1), "legal_subtotal")
		}
		codes = append(codes, subs...)
		if total {
			codes = append(codes, "total")
		}
	}
	if len(codes) < 7 || !contains(codes, "natural") || !contains(codes, "total") {
		if len(x.t3hdr) > 0 {
			x.warn(WarnUnmappedCol, "t3", "", "", fmt.Sprintf("table 三 header gave columns %v; using the standard seven", codes))
		}
		return t3Cols
	}
	return codes
}

func (x *tableReader) addT3Col(codes []string, label string) []string {
	code := t3Col(label)
	if code == "" {
		if !t3ParentLabel(label) {
			x.warn(WarnUnmappedCol, "t3", "", "", fmt.Sprintf("table 三 header %q not in the codebook", label))
		}
		return codes
	}
	return appendNew(codes, code)
}

func appendNew(s []string, v string) []string {
	if contains(s, v) {
		return s
	}
	return append(s, v)
}

func contains(s []string, v string) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}

// ---- table 二 ----

// t2Header reads a sub-table header row ("信息内容 | 本年制发件数 | …").
func (x *tableReader) t2Header(r *row) {
	var cols []t2col
	var unmapped []string
	newSeen := 0
	for _, c := range r.cells {
		if !c.own || c.text == "" {
			continue
		}
		k := c.key()
		if k == "信息内容" || strings.Contains(k, "第二十条") {
			continue
		}
		code, unit := t2Col(c.text, k)
		if code == "new?" { // truncated "本年新" headers, in print order
			code = []string{"new_made", "new_published"}[min(newSeen, 1)]
			newSeen++
		}
		if code == "" {
			if c.kind == kindText {
				unmapped = append(unmapped, c.text)
			}
			continue
		}
		cols = append(cols, t2col{code: code, unit: unit})
	}
	if len(cols) > 0 {
		x.t2cols = cols
		// Only a row that is a header at all has unmapped columns.
		for _, u := range unmapped {
			x.warn(WarnUnmappedCol, "t2", "", "", fmt.Sprintf("table 二 header %q not in the codebook", u))
		}
	}
}

func (x *tableReader) t2Data(r *row, code string, vals []cref) {
	x.t2any = true
	if !x.firstRow("t2", code) {
		return
	}
	cols := x.t2cols
	guessed := false
	if n := len(trimEmpty(vals)); !t2ColsFit(cols, code) || (len(cols) != n && len(cols) != len(vals)) {
		// The header is missing, belongs to another row kind or disagrees
		// with the row: use the national layout whose column count fits.
		if d := t2DefaultCols(code, n, len(vals)); d != nil {
			cols, guessed = d, true
		} else if !t2ColsFit(cols, code) {
			x.warn(WarnUnmappedRow, "t2", code, "", fmt.Sprintf("table 二 row %s: no header to map its %d values", code, len(vals)))
			return
		}
	}
	vals = x.fit(vals, len(cols), "t2", code)
	for i, v := range vals {
		col := cols[i]
		switch t2ColFormat(col.code) {
		case "2019":
			x.t2fmt[0]++
		case "2021":
			x.t2fmt[1]++
		}
		c := x.emit("t2", code, col.code, v, r, col.unit)
		if guessed {
			c.Doubts = append(c.Doubts, DoubtLayoutGuess)
		}
		if col.code == "amount_yuan" && c.Value != nil && c.Unit == "万元" {
			s := shiftDecimal(*c.Value, 4) // stored in 元, exactly
			c.Value = &s
			c.Doubts = append(c.Doubts, DoubtUnitConverted)
		}
	}
	if code == "other_services" || code == "procurement" {
		x.t2fmt[0]++
	}
}

// t2DefaultCols returns a national layout's columns for a row of n
// non-empty (total cells) values, 2021 first, or nil.
func t2DefaultCols(code string, n, total int) []t2col {
	for _, want := range []int{n, total} {
		for _, f := range []string{"2021", "2019"} {
			if d, ok := t2Defaults[f][code]; ok && len(d) == want {
				cols := make([]t2col, len(d))
				for i, c := range d {
					cols[i] = t2col{code: c}
				}
				return cols
			}
		}
	}
	return nil
}

// t2ColsFit reports whether header columns suit a row: a 2019 header does
// not describe a 2021 row and vice versa, and rules/normative have their
// own columns.
func t2ColsFit(cols []t2col, code string) bool {
	if len(cols) == 0 {
		return false
	}
	docs := code == "rules" || code == "normative"
	for _, c := range cols {
		switch c.code {
		case "made", "repealed", "in_force", "new_made", "new_published", "total_published":
			if !docs {
				return false
			}
		default:
			if docs {
				return false
			}
		}
	}
	return true
}

func trimEmpty(vals []cref) []cref {
	for len(vals) > 0 && vals[len(vals)-1].text == "" {
		vals = vals[:len(vals)-1]
	}
	return vals
}

// ---- table 四 ----

// t4Row takes the first label-less row of fifteen values after the
// table 四 header; its columns are fixed by the format. A table 四 printed
// as two tables (复议: 5 values, 诉讼: 10) is put together from its parts.
func (x *tableReader) t4Row(r *row) {
	if x.t4done {
		return
	}
	last, numbers := -1, 0
	for i, c := range r.cells {
		switch c.kind {
		case kindText:
			last = i
		case kindNumber:
			numbers++
		}
	}
	if last >= 0 && numbers == 0 {
		return // a header row
	}
	vals := valuesAfter(r, last)
	switch n := len(trimEmpty(vals)); {
	case len(vals) >= len(t4Cols) && n <= len(t4Cols):
		if numbers == 0 {
			if x.t4blank == nil {
				x.t4blank = r
			}
			return
		}
		x.t4emit(withRow(nil, r, x.fit(vals, len(t4Cols), "t4", "all")))
	case len(vals) == 5 || len(vals) == 10:
		if len(x.t4part)+len(vals) > len(t4Cols) {
			x.t4part = nil
		}
		x.t4part = withRow(x.t4part, r, vals)
		if len(x.t4part) == len(t4Cols) {
			x.t4emit(x.t4part)
		}
	case numbers > 0 && last < 0:
		x.warn(WarnMissingCells, "t4", "all", "", fmt.Sprintf("table 四 data row has %d cells, expected 15", len(vals)))
	}
}

// rowCell is a value cell with the row it came from, for provenance.
type rowCell struct {
	c cref
	r *row
}

func withRow(dst []rowCell, r *row, vals []cref) []rowCell {
	for _, v := range vals {
		dst = append(dst, rowCell{v, r})
	}
	return dst
}

func (x *tableReader) t4emit(vals []rowCell) {
	x.t4done = true
	for i, v := range vals {
		x.emit("t4", "all", t4Cols[i], v.c, v.r, "")
	}
}

// finish settles formats and reports missing tables.
func (x *tableReader) finish() {
	if !x.t4done && x.t4blank != nil {
		x.t4emit(withRow(nil, x.t4blank, x.fit(valuesAfter(x.t4blank, -1), len(t4Cols), "t4", "all")))
	}
	tf := map[string]string{}
	switch {
	case x.t2fmt[1] > x.t2fmt[0]:
		tf["t2"] = "2021"
	case x.t2fmt[0] > 0:
		tf["t2"] = "2019"
	}
	if x.t3fmt != "" {
		tf["t3"] = x.t3fmt
	}
	if x.t3fmt == "2021" && x.wasSeen("t3", "other") {
		x.dropRow("t3", "other")
		x.warn(WarnUnmappedRow, "t3", "other", "", "（六）其他处理 subtotal row in a 2021 table dropped; its sub-rows are read")
	}
	// The report's format is its template as a whole: a 2021 table 二 or
	// 三 cannot come from the 2019 template, so a report printing one is
	// 2021 even where another table keeps a 2019 row (a 2021 report whose
	// table 三 still has the single （六）其他处理 row); classify warns
	// mixed_format.
	f := tf["t3"]
	if f == "" || tf["t2"] == Format2021 {
		f = cmp.Or(tf["t2"], f)
	}
	if x.t4done && f != "" {
		tf["t4"] = f
	}
	if f != "" && x.t3any && tf["t3"] == "" {
		tf["t3"] = f
	}
	if len(tf) > 0 {
		x.rep.TableFormats = tf
	}
	x.rep.Format = f
}

// t3Order is table 三's rows in print order (the codebook's order, which
// both formats follow), with each row's label key, for [tableReader.repairT3].
var t3Order = func() (out []struct{ code, key string }) {
	for _, e := range Codebook() {
		if e.Kind == "row" && e.Table == "t3" {
			label := e.Label
			if i := strings.LastIndex(label, " / "); i >= 0 {
				label = label[i+len(" / "):]
			}
			out = append(out, struct{ code, key string }{e.Code, labelKey(clean(label))})
		}
	}
	return out
}()

// repairT3 reads a table 三 row whose label is misprinted
// ("2.其他法律行政止公开"): the row order is fixed by the format, so the
// row after the last one read is one of the next unread codes; it is taken
// when the label shares most of its characters with that row's official
// label. The cells carry the label_repaired doubt and a warning names the
// printed label.
func (x *tableReader) repairT3(r *row) bool {
	idx := -1
	for i := range r.cells {
		if c := r.cells[i]; c.kind == kindText && c.own {
			idx = i
		}
	}
	if idx < 0 {
		return false
	}
	vals := valuesAfter(r, idx)
	if len(vals) < 3 {
		return false
	}
	key := r.cells[idx].key()
	prev := -1
	for i := len(x.seen) - 1; i >= 0 && prev < 0; i-- {
		if x.seen[i][0] != "t3" {
			continue
		}
		for j, o := range t3Order {
			if o.code == x.seen[i][1] {
				prev = j
				break
			}
		}
	}
	for j, tried := prev+1, 0; j < len(t3Order) && tried < 2; j++ {
		o := t3Order[j]
		if x.wasSeen("t3", o.code) || (o.code == "other") != (x.t3fmt == "2019") && strings.HasPrefix(o.code, "other") {
			continue
		}
		tried++
		if runeOverlap(key, o.key) < 0.6 {
			continue
		}
		from := len(x.rep.Cells)
		x.t3Data(r, o.code, vals)
		for i := from; i < len(x.rep.Cells); i++ {
			x.rep.Cells[i].Doubts = append(x.rep.Cells[i].Doubts, DoubtLabelRepaired)
		}
		x.warn(WarnLabelRepaired, "t3", o.code, "", fmt.Sprintf("row label %q matches no codebook label; read as %s by the format's row order", r.cells[idx].text, o.code))
		return true
	}
	return false
}

// runeOverlap is the share of characters two labels have in common (as
// multisets), over the longer label's length.
func runeOverlap(a, b string) float64 {
	count := map[rune]int{}
	na, nb := 0, 0
	for _, r := range a {
		count[r]++
		na++
	}
	common := 0
	for _, r := range b {
		nb++
		if count[r] > 0 {
			count[r]--
			common++
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return float64(common) / float64(max(na, nb))
}
