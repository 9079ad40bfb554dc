package sampleportal

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"strings"

	"github.com/nianbao/nianbao/internal/pdfgen"
)

// Attachments print the same report as the page: the renderer records the
// report as a document (paragraphs and tables as rows of cells with spans,
// exactly what it writes as HTML), and the PDF and DOCX writers lay that
// out. The numbers and labels are the report's own, so an attachment reads
// to the report's expected cells.

// document is a report recorded by the renderer.
type document struct {
	title  string
	blocks []block
}

// block is a paragraph, a heading or a table.
type block struct {
	text    string
	heading bool
	table   *docTable
}

// docTable is a table as HTML writes it: rows of cells, each cell placed
// at the next free slot of its row.
type docTable struct {
	rows [][]docCell
}

type docCell struct {
	text             string // "\n" breaks a line
	rowspan, colspan int
	number           bool
}

// placedCell is a cell with its slot in the table's grid.
type placedCell struct {
	docCell
	row, col int
}

// grid places the cells on the table's grid as an HTML table does:
// each cell takes the next slot of its row not covered by a rowspan from
// above. It returns the cells in row order and the grid's size.
func (t *docTable) grid() (cells []placedCell, rows, cols int) {
	taken := map[[2]int]bool{}
	for r, row := range t.rows {
		c := 0
		for _, cell := range row {
			for taken[[2]int{r, c}] {
				c++
			}
			cells = append(cells, placedCell{docCell: cell, row: r, col: c})
			for dr := 0; dr < cell.rowspan; dr++ {
				for dc := 0; dc < cell.colspan; dc++ {
					taken[[2]int{r + dr, c + dc}] = true
				}
			}
			c += cell.colspan
			cols = max(cols, c)
		}
	}
	return cells, len(t.rows), cols
}

// headerRows is how many leading rows of a table hold no number: the rows a
// continued table repeats at the top of the next page.
func (t *docTable) headerRows() int {
	for i, row := range t.rows {
		for _, c := range row {
			if c.number {
				return i
			}
		}
	}
	return 0
}

// pdfStyle is how an attachment's PDF is laid out.
type pdfStyle struct {
	// landscape puts table 三 alone on landscape pages turned by this many
	// degrees (/Rotate 90 or 270), as a scanned or printed landscape section
	// comes out; 0 keeps every page portrait.
	landscape int
}

// PDF layout in points.
const (
	pdfMarginX    = 56.0
	pdfMarginTop  = 64.0
	pdfMarginBot  = 72.0
	pdfTitleSize  = 18.0
	pdfBodySize   = 12.0
	pdfBodyLead   = 20.0
	pdfCellSize   = 9.0
	pdfCellLead   = 12.0
	pdfCellPadX   = 3.0
	pdfCellPadY   = 3.0
	pdfMinRow     = 16.0
	pdfLabelChars = 9 // a label column is at most this many characters wide before wrapping
)

// pdfWriter flows a document onto pages.
type pdfWriter struct {
	doc   *pdfgen.Doc
	page  *pdfgen.Page
	pages []*pdfgen.Page
	y     float64 // next free line's top
	w, h  float64
}

func (pw *pdfWriter) newPage(rotate int) {
	w, h := pdfgen.A4Width, pdfgen.A4Height
	if rotate != 0 {
		w, h = h, w
	}
	pw.page = pw.doc.AddPage(w, h, rotate)
	pw.pages = append(pw.pages, pw.page)
	pw.w, pw.h, pw.y = w, h, pdfMarginTop
}

func (pw *pdfWriter) bottom() float64 { return pw.h - pdfMarginBot }

// reportPDF lays out the report's document as a PDF: the title on two
// centred lines, paragraphs wrapped with a two-character indent, tables
// ruled cell by cell and continued on the next page with their header rows
// repeated, and a page number at the foot of every page.
func reportPDF(d *document, agency string, year int, st pdfStyle) []byte {
	pw := &pdfWriter{doc: pdfgen.New(d.title)}
	pw.newPage(0)
	for _, t := range []string{agency, fmt.Sprintf("%d年政府信息公开工作年度报告", year)} {
		for _, l := range wrap(t, pw.w-2*pdfMarginX, pdfTitleSize) {
			pw.page.Text((pw.w-pdfgen.Width(l, pdfTitleSize))/2, pw.y+pdfTitleSize, pdfTitleSize, l)
			pw.y += pdfTitleSize * 1.6
		}
	}
	pw.y += pdfBodyLead
	tables := 0
	for i, b := range d.blocks {
		switch {
		case b.table != nil:
			tables++
			landscape := st.landscape != 0 && isTable3(d, i)
			if landscape {
				pw.newPage(st.landscape)
			}
			pw.table(b.table)
			if landscape {
				pw.newPage(0)
			}
			pw.y += pdfBodyLead / 2
		default:
			indent := 2 * pdfBodySize
			lines := wrap(b.text, pw.w-2*pdfMarginX-indent, pdfBodySize)
			if b.heading && pw.y+3*pdfBodyLead > pw.bottom() {
				pw.newPage(0) // a heading stays with what follows
			}
			for j, l := range lines {
				if pw.y+pdfBodyLead > pw.bottom() {
					pw.newPage(0)
				}
				x := pdfMarginX
				if j == 0 {
					x += indent
				}
				pw.page.Text(x, pw.y+pdfBodySize, pdfBodySize, l)
				pw.y += pdfBodyLead
			}
		}
	}
	for n, p := range pw.pages {
		w, h := p.Size()
		foot := fmt.Sprintf("- %d -", n+1)
		p.Text((w-pdfgen.Width(foot, 10.5))/2, h-40, 10.5, foot)
	}
	return pw.doc.Bytes()
}

// isTable3 tells whether block i is (a part of) table 三: a table after the
// heading 三、 and before 四、.
func isTable3(d *document, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if d.blocks[j].heading {
			return strings.HasPrefix(d.blocks[j].text, "三、")
		}
	}
	return false
}

// table draws t at pw.y, breaking it across pages between rows.
func (pw *pdfWriter) table(t *docTable) {
	cells, nr, nc := t.grid()
	width := pw.w - 2*pdfMarginX
	colW := columnWidths(cells, nc, width)
	colX := make([]float64, nc+1)
	colX[0] = pdfMarginX
	for c := 0; c < nc; c++ {
		colX[c+1] = colX[c] + colW[c]
	}
	spanW := func(c placedCell) float64 { return colX[c.col+c.colspan] - colX[c.col] }
	// Row heights: tall enough for the wrapped text of single-row cells;
	// a merged cell's last row grows when the span is too short for it.
	rowH := make([]float64, nr)
	for i := range rowH {
		rowH[i] = pdfMinRow
	}
	need := func(c placedCell) float64 {
		return float64(len(cellLines(c, spanW(c))))*pdfCellLead + 2*pdfCellPadY
	}
	for _, c := range cells {
		if c.rowspan == 1 {
			rowH[c.row] = max(rowH[c.row], need(c))
		}
	}
	for _, c := range cells {
		if c.rowspan > 1 {
			end := min(c.row+c.rowspan, nr)
			sum := 0.0
			for r := c.row; r < end; r++ {
				sum += rowH[r]
			}
			if n := need(c); n > sum {
				rowH[end-1] += n - sum
			}
		}
	}
	head := t.headerRows()
	if head > 0 && head < nr {
		// A continued table repeats its header only when the header is a
		// small part of it, as Word's "repeat as header row" is used.
		headH := 0.0
		for r := 0; r < head; r++ {
			headH += rowH[r]
		}
		if headH > (pw.bottom()-pdfMarginTop)/3 {
			head = 0
		}
	} else {
		head = 0
	}
	// Split the rows into page parts: [from, to) with the header repeated
	// on every part but the first.
	type part struct{ from, to int }
	var parts []part
	from := 0
	for from < nr {
		y := pw.y
		if len(parts) > 0 {
			pw.newPage(pw.page.Rotation())
			y = pw.y
			for r := 0; r < head; r++ {
				y += rowH[r]
			}
		}
		to := from
		for to < nr && y+rowH[to] <= pw.bottom() {
			y += rowH[to]
			to++
		}
		if to == from {
			if len(parts) == 0 && pw.y > pdfMarginTop {
				// Not even one row fits: start the table on a new page.
				pw.newPage(pw.page.Rotation())
				continue
			}
			to = from + 1 // a row taller than a page is drawn anyway
		}
		parts = append(parts, part{from, to})
		pw.drawRows(cells, rowH, colX, spanW, head, len(parts) > 1, from, to)
		from = to
	}
}

// drawRows draws rows [from, to) at pw.y (after the header rows when
// repeat is set) and moves pw.y below them. A merged cell cut by the page
// break is drawn in each part it covers, its text in the first.
func (pw *pdfWriter) drawRows(cells []placedCell, rowH, colX []float64, spanW func(placedCell) float64, head int, repeat bool, from, to int) {
	rowY := map[int]float64{}
	y := pw.y
	if repeat {
		for r := 0; r < head; r++ {
			rowY[r] = y
			y += rowH[r]
		}
	}
	for r := from; r < to; r++ {
		rowY[r] = y
		y += rowH[r]
	}
	rowY[to] = y
	end := y
	drawn := func(r int) bool { return (repeat && r < head) || (r >= from && r < to) }
	for _, c := range cells {
		first, last := -1, -1
		for r := c.row; r < c.row+c.rowspan; r++ {
			if drawn(r) {
				if first < 0 {
					first = r
				}
				last = r
			}
		}
		if first < 0 {
			continue
		}
		top, bot := rowY[first], rowY[last]+rowH[last]
		x0, x1 := colX[c.col], colX[c.col+c.colspan]
		pw.page.Line(x0, top, x1, top, 0.5)
		pw.page.Line(x0, bot, x1, bot, 0.5)
		pw.page.Line(x0, top, x0, bot, 0.5)
		pw.page.Line(x1, top, x1, bot, 0.5)
		if first != c.row {
			continue // the text stayed with the part above
		}
		lines := cellLines(c, spanW(c))
		ty := top + (bot-top-float64(len(lines))*pdfCellLead)/2
		for i, l := range lines {
			base := ty + float64(i)*pdfCellLead + (pdfCellLead+pdfCellSize)/2 - 1
			pw.page.Text((x0+x1-pdfgen.Width(l, pdfCellSize))/2, base, pdfCellSize, l)
		}
	}
	pw.y = end
}

// cellLines wraps a cell's text to its width.
func cellLines(c placedCell, w float64) []string {
	if c.text == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(c.text, "\n") {
		out = append(out, wrap(l, w-2*pdfCellPadX, pdfCellSize)...)
	}
	return out
}

// columnWidths gives every grid column room for its widest single-column
// cell (labels capped at pdfLabelChars characters, numbers never wrapped),
// then scales them to fill width.
func columnWidths(cells []placedCell, nc int, width float64) []float64 {
	w := make([]float64, nc)
	for c := range w {
		w[c] = 2*pdfCellSize + 2*pdfCellPadX
	}
	for _, c := range cells {
		if c.colspan != 1 {
			continue
		}
		for _, l := range strings.Split(c.text, "\n") {
			lw := pdfgen.Width(l, pdfCellSize)
			if !c.number {
				lw = min(lw, pdfLabelChars*pdfCellSize)
			}
			w[c.col] = max(w[c.col], lw+2*pdfCellPadX+2)
		}
	}
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	for c := range w {
		w[c] *= width / sum
	}
	return w
}

// wrap breaks s into lines no wider than w at size; digits and Latin
// letters stay together on a line, CJK text breaks anywhere.
func wrap(s string, w, size float64) []string {
	var lines []string
	var cur []rune
	curW := 0.0
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && latinWord(rs[j-1]) && latinWord(rs[j]) {
			j++
		}
		word := string(rs[i:j])
		ww := pdfgen.Width(word, size)
		if curW+ww > w && len(cur) > 0 {
			lines = append(lines, string(cur))
			cur, curW = nil, 0
		}
		cur = append(cur, rs[i:j]...)
		curW += ww
		i = j
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

func latinWord(r rune) bool { return r < 0x7f && r != ' ' || r >= '０' && r <= '９' }

// reportDOCX writes the report's document as a Word file: the title and
// paragraphs as w:p, tables as real w:tbl with w:gridSpan for colspans and
// w:vMerge for rowspans, as Word saves them.
func reportDOCX(d *document, agency string, year int) []byte {
	var body strings.Builder
	para := func(text string, center, bold bool, size int) {
		body.WriteString("<w:p>")
		if center {
			body.WriteString(`<w:pPr><w:jc w:val="center"/></w:pPr>`)
		} else {
			body.WriteString(`<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>`)
		}
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			body.WriteString("<w:r><w:rPr>")
			if bold {
				body.WriteString("<w:b/>")
			}
			fmt.Fprintf(&body, `<w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="%d"/></w:rPr>`, size)
			if i > 0 {
				body.WriteString("<w:br/>")
			}
			fmt.Fprintf(&body, `<w:t xml:space="preserve">%s</w:t></w:r>`, xmlText(l))
		}
		body.WriteString("</w:p>\n")
	}
	para(agency, true, true, 44)
	para(fmt.Sprintf("%d年政府信息公开工作年度报告", year), true, true, 44)
	for _, b := range d.blocks {
		if b.table == nil {
			para(b.text, false, b.heading, 32)
			continue
		}
		cells, nr, nc := b.table.grid()
		at := map[[2]int]placedCell{}
		cover := map[[2]int]placedCell{} // slot → the merged cell from a row above
		for _, c := range cells {
			at[[2]int{c.row, c.col}] = c
			for r := c.row + 1; r < c.row+c.rowspan; r++ {
				cover[[2]int{r, c.col}] = c
			}
		}
		body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(&body, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		body.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
		for c := 0; c < nc; c++ {
			body.WriteString(`<w:gridCol w:w="900"/>`)
		}
		body.WriteString("</w:tblGrid>\n")
		for r := 0; r < nr; r++ {
			body.WriteString("<w:tr>")
			for c := 0; c < nc; {
				if pc, ok := at[[2]int{r, c}]; ok {
					body.WriteString("<w:tc><w:tcPr>")
					if pc.colspan > 1 {
						fmt.Fprintf(&body, `<w:gridSpan w:val="%d"/>`, pc.colspan)
					}
					if pc.rowspan > 1 {
						body.WriteString(`<w:vMerge w:val="restart"/>`)
					}
					body.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
					cellPara(&body, pc.text)
					body.WriteString("</w:tc>")
					c += pc.colspan
					continue
				}
				if pc, ok := cover[[2]int{r, c}]; ok {
					body.WriteString("<w:tc><w:tcPr>")
					if pc.colspan > 1 {
						fmt.Fprintf(&body, `<w:gridSpan w:val="%d"/>`, pc.colspan)
					}
					body.WriteString(`<w:vMerge/></w:tcPr><w:p/></w:tc>`)
					c += pc.colspan
					continue
				}
				body.WriteString("<w:tc><w:p/></w:tc>") // a hole in a ragged row
				c++
			}
			body.WriteString("</w:tr>\n")
		}
		body.WriteString("</w:tbl>\n")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` + "\n" +
		body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`
	return zipFiles([][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + xmlText(d.title) + `</dc:title></cp:coreProperties>`},
		{"word/document.xml", doc},
	})
}

// cellPara writes a table cell's paragraph, centred, "\n" as w:br.
func cellPara(b *strings.Builder, text string) {
	b.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr>`)
	for i, l := range strings.Split(text, "\n") {
		b.WriteString(`<w:r><w:rPr><w:sz w:val="21"/></w:rPr>`)
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		if l != "" {
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, xmlText(l))
		}
		b.WriteString("</w:r>")
	}
	b.WriteString("</w:p>")
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer cannot fail
	return b.String()
}

// zipFiles packs name/content pairs into a zip archive, deflated.
func zipFiles(files [][2]string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range files {
		w, _ := z.Create(f[0]) // writes to a bytes.Buffer cannot fail
		_, _ = w.Write([]byte(f[1]))
	}
	_ = z.Close()
	return buf.Bytes()
}

const mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// attachmentPage is the report as a PDF file.
func (r *report) attachmentPage(st pdfStyle) *page {
	return &page{body: reportPDF(r.document(), r.agency.name, r.year, st), ctype: "application/pdf", mod: r.published}
}

// docxPage is the report as a Word file.
func (r *report) docxPage() *page {
	return &page{body: reportDOCX(r.document(), r.agency.name, r.year), ctype: mimeDOCX, mod: r.published}
}

// attachmentOnlyBody is the page of a report published only as an
// attachment: one sentence and the link (added by the family's page).
func attachmentOnlyBody(r *report) string {
	return fmt.Sprintf("<p>%s已编制完成，现予公布，详见附件。</p>", html.EscapeString(r.title))
}
