package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DOCX tables are structured: w:tbl rows of w:tc cells, w:gridSpan for
// colspan and w:vMerge for rowspan. They are read into the same grid as
// HTML tables; paragraphs outside tables are the prose.

// Limits on hostile archives: the XML read from one entry (a zip bomb
// stops there) and the entries looked at.
const (
	maxZipEntryBytes = 16 << 20 // a report's document.xml is well under 1 MB
	maxZipEntries    = 10000
	maxXMLDepth      = 256
)

var errTooDeep = errors.New("xml nested too deeply")

// openZipEntry opens the named entry of a zip archive, bounded.
func openZipEntry(zr *zip.Reader, name string) (io.Reader, func() error, error) {
	for i, f := range zr.File {
		if i >= maxZipEntries {
			break
		}
		if strings.EqualFold(f.Name, name) {
			rc, err := f.Open()
			if err != nil {
				return nil, nil, fmt.Errorf("open %s: %w", name, err)
			}
			return &capReader{r: rc, n: maxZipEntryBytes}, rc.Close, nil
		}
	}
	return nil, nil, fmt.Errorf("no %s in the archive", name)
}

// capReader fails, rather than truncates, past n bytes: a zip bomb is
// reported as one.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(b []byte) (int, error) {
	if c.n <= 0 {
		return 0, fmt.Errorf("inflates to over %d MB: not read", maxZipEntryBytes>>20)
	}
	if int64(len(b)) > c.n {
		b = b[:c.n]
	}
	n, err := c.r.Read(b)
	c.n -= int64(n)
	return n, err
}

type docxCell struct {
	text  strings.Builder
	span  int
	merge string // vMerge: "" none, "restart", "continue"
}

func readDOCX(body []byte) (*page, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %w", err)
	}
	r, closeFn, err := openZipEntry(zr, "word/document.xml")
	if err != nil {
		return nil, err
	}
	defer closeFn()
	p := &page{}
	dec := xml.NewDecoder(r)
	var (
		depth  int // element depth, for the nesting limit
		para   strings.Builder
		stack  []*docxTable // the w:tbl elements open, innermost last
		inText bool         // inside w:t: only it holds the text (not w:instrText, w:delText)
	)
	top := func() *docxTable {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	// cell is where text goes: the open cell of the innermost table, or
	// nil for prose (outside tables, or in a layout table's cells).
	cell := func() *docxCell {
		if t := top(); t != nil && !t.layout {
			return t.cell
		}
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, errTooDeep
			}
			tb := top()
			switch t.Name.Local {
			case "t":
				inText = true
			case "tbl":
				if tb == nil {
					flushPara(p, &para)
				} else if !tb.layout {
					// A table inside a cell: the outer one is page
					// layout (a frame around the report, a converted web
					// page), as in HTML. Its text so far is prose; the
					// tables inside are the tables.
					tb.layout = true
					tb.flushAsProse(p)
				}
				if len(stack) < maxXMLDepth {
					stack = append(stack, &docxTable{})
				}
			case "tr":
				if tb != nil {
					tb.rows = append(tb.rows, nil)
					tb.befores = append(tb.befores, 0)
				}
			case "gridBefore":
				if tb != nil && len(tb.befores) > 0 {
					tb.befores[len(tb.befores)-1] = atoiAttr(t, "val", 0, maxCols)
				}
			case "tc":
				if tb != nil && len(tb.rows) > 0 {
					tb.cell = &docxCell{span: 1}
					tb.rows[len(tb.rows)-1] = append(tb.rows[len(tb.rows)-1], tb.cell)
				}
			case "gridSpan":
				if tb != nil && tb.cell != nil {
					tb.cell.span = atoiAttr(t, "val", 1, maxColspan)
				}
			case "vMerge":
				if tb != nil && tb.cell != nil {
					tb.cell.merge = "continue"
					if v := attrVal(t, "val"); v == "restart" {
						tb.cell.merge = "restart"
					}
				}
			case "drawing", "pict":
				p.images++ // a picture: tables pasted as images are told apart from no tables
			case "tab":
				writeText(&para, cell(), " ")
			case "br", "cr":
				if cell() == nil {
					flushPara(p, &para)
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if c := cell(); c == nil {
					flushPara(p, &para)
				} else if c.text.Len() > 0 {
					// A cell's paragraphs are its lines (a title and
					// its date, if the table turns out to be layout).
					writeText(&para, c, "\n")
				}
			case "tc":
				if tb := top(); tb != nil {
					tb.cell = nil
				}
			case "tbl":
				if tb := top(); tb != nil {
					stack = stack[:len(stack)-1]
					if !tb.layout {
						emitDOCXTable(p, tb.rows, tb.befores)
					}
				}
			}
		case xml.CharData:
			if inText {
				writeText(&para, cell(), string(t))
			}
		}
	}
	flushPara(p, &para)
	return p, nil
}

// docxTable is a w:tbl being read: its rows, each row's w:gridBefore, the
// cell open now. A layout table (one holding tables) keeps no cells: its
// text is prose.
type docxTable struct {
	rows    [][]*docxCell
	befores []int
	cell    *docxCell
	layout  bool
}

// flushAsProse emits the text of the cells read so far as paragraphs, in
// order, when the table turns out to be layout.
func (t *docxTable) flushAsProse(p *page) {
	for _, r := range t.rows {
		for _, c := range r {
			for _, ln := range strings.Split(c.text.String(), "\n") {
				if s := clean(ln); s != "" {
					p.blocks = append(p.blocks, block{para: s})
				}
			}
		}
	}
	t.rows, t.befores, t.cell = nil, nil, nil
}

func writeText(para *strings.Builder, cell *docxCell, s string) {
	if cell != nil {
		if cell.text.Len() < 1<<16 {
			cell.text.WriteString(s)
		}
		return
	}
	if para.Len() < 1<<20 {
		para.WriteString(s)
	}
}

func flushPara(p *page, b *strings.Builder) {
	if t := clean(b.String()); t != "" {
		p.blocks = append(p.blocks, block{para: t})
	}
	b.Reset()
}

func attrVal(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func atoiAttr(t xml.StartElement, local string, def, max int) int {
	v, err := strconv.Atoi(attrVal(t, local))
	if err != nil || v < 1 {
		return def
	}
	return min(v, max)
}

// emitDOCXTable lays a table's cells on the grid: gridSpan widens a cell,
// a vMerge continuation lengthens the cell above it.
func emitDOCXTable(p *page, rows [][]*docxCell, befores []int) {
	var cells []gridCell
	above := map[int]int{} // grid column → index in cells of the cell covering it in the row above
	width := 0
	for ri, r := range rows {
		col := 0
		if ri < len(befores) {
			col = befores[ri]
		}
		here := map[int]int{}
		for _, c := range r {
			if col >= maxCols {
				break
			}
			span := min(c.span, maxCols-col)
			if i, ok := above[col]; ok && c.merge == "continue" {
				cells[i].r1 = ri
				for k := col; k < col+span; k++ {
					here[k] = i
				}
				col += span
				continue
			}
			cells = append(cells, gridCell{r0: ri, c0: col, r1: ri, c1: col + span - 1, text: c.text.String()})
			for k := col; k < col+span; k++ {
				here[k] = len(cells) - 1
			}
			col += span
		}
		width = max(width, col)
		above = here
	}
	if len(cells) > 0 {
		emitGrid(p, cells, len(rows), width)
	}
}
