package extract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/internal/charset"
)

// Version is the extractor's version. The warehouse tags every extracted
// report with it; bump it whenever Parse's output changes for some input.
const Version = "0.7.0"

// ErrEmpty is returned by [Parse] for an input with no bytes at all.
var ErrEmpty = errors.New("extract: empty input")

// Parse reads one saved report page (HTML or plain text, any charset) and
// returns its metadata, the cells of tables 二, 三 and 四 in codebook codes,
// its sections and a warning for everything it could not read. It is pure
// and safe for concurrent use, and it never panics: only an input with no
// bytes at all is an error; anything else unreadable is a [Warning].
func Parse(in Input) (rep *Report, err error) {
	if len(in.Body) == 0 {
		return nil, fmt.Errorf("parse %s: %w", in.Source, ErrEmpty)
	}
	defer func() {
		// A bug on some page must not take down a crawl of thousands.
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("parse %s: internal error: %v", in.Source, r)
		}
	}()
	rep = &Report{Source: in.Source, Cells: []Cell{}, Warnings: []Warning{}}
	kind := Sniff(in.Body, in.ContentType, in.Source)
	var p *page
	var dec charset.Result
	switch kind {
	case KindHTML, KindText:
		if binary(in.Body) {
			rep.Format = FormatUnknown
			rep.NotAReport = true
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnNotAReport, Message: "binary content, not a text or HTML page"})
			return rep, nil
		}
		dec = charset.Detect(in.Body, in.ContentType)
		if dec.Overridden {
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnCharsetOverride,
				Message: fmt.Sprintf("declared charset %s contradicts the bytes; read as %s", dec.Declared, dec.Charset)})
		}
		if p = readMarkup(rep, dec.Body, in); p.text {
			kind = KindText
		}
	default:
		rep.SHA256, rep.Kind = sha256Hex(in.Body), kind
		if p = readAttachment(rep, in, kind); p == nil {
			rep.Format = FormatUnknown
			return rep, nil
		}
	}
	rep.Kind = kind
	metadata(rep, p)
	fallbackAgency(rep, in)
	readTables(rep, p)
	if len(rep.Cells) == 0 && p.tables == 0 && !p.text {
		// Some CMSs flatten the tables into paragraphs or a <pre>: read
		// the page's text the way plain text is read.
		tp := readText(pageText(p))
		tmp := &Report{Cells: []Cell{}}
		readTables(tmp, tp)
		p.statsRows += tp.statsRows
		if len(tmp.Cells) > 0 {
			rep.Cells, rep.Format, rep.TableFormats = tmp.Cells, tmp.Format, tmp.TableFormats
			rep.Warnings = append(rep.Warnings, tmp.Warnings...)
			msg := "no <table>: the tables were read from the page's text lines"
			if rep.Kind != KindHTML {
				msg = "no ruled tables: the tables were read from the text lines"
			}
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnTablesAsText, Message: msg})
		}
	}
	rep.Sections = sections(p)
	classify(rep, p)
	if !hasValue(rep.Cells) && !reportTitled(rep.Title) && len(rep.Sections) < 2 {
		// Nothing of a report: a README, a list page, an error page. Its
		// stray "cells" (words under a codebook label) are no data.
		rep.NotAReport = true
		rep.Cells = rep.Cells[:0]
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnNotAReport, Message: "no report tables, no report title and no report sections: not an annual report"})
	}
	if dec.Overridden {
		for i := range rep.Cells {
			rep.Cells[i].Doubts = append(rep.Cells[i].Doubts, DoubtCharsetOverride)
		}
	}
	return rep, nil
}

func hasValue(cells []Cell) bool {
	for _, c := range cells {
		if c.Value != nil {
			return true
		}
	}
	return false
}

// reportTitled reports a title that names a report, not a link such as
// "2021年报" on a list page: the shortest real title,
// "2021年政府信息公开工作年度报告", has 17 runes.
func reportTitled(title string) bool {
	return len([]rune(title)) >= 10 && isReportTitle(title)
}

// binary reports bytes that are no text in any charset: NUL bytes or many
// control bytes in the first 8 KB (an image, an archive, random data).
// UTF-16 with a byte-order mark holds NULs and is text.
func binary(b []byte) bool {
	if len(b) >= 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		return false
	}
	head := b[:min(len(b), 8<<10)]
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f':
			ctl++
		}
	}
	return ctl*20 > len(head) // over 5 %
}

// readMarkup reads an HTML or plain-text page.
func readMarkup(rep *Report, body []byte, in Input) *page {
	if looksLikeText(body, in.ContentType, in.Source) {
		p := readText(body)
		p.text = true
		return p
	}
	p, err := readHTML(body)
	if err != nil {
		// x/net/html gives up on absurd nesting; the text is still worth
		// reading.
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnBadHTML, Message: fmt.Sprintf("html not parsed (%v); read as text", err)})
		p = readText(stripTags(body))
		p.text = true
	}
	return p
}

// pageText is a page without tables as plain text: its paragraphs, and
// each <pre> as it was written (the plain-text layouts rely on its tabs and
// blank lines).
func pageText(p *page) []byte {
	var b []byte
	last := 0
	for _, bl := range p.blocks {
		switch {
		case bl.row != nil:
		case bl.pre == 0:
			b = append(append(b, bl.para...), '\n')
		case bl.pre != last:
			last = bl.pre
			b = append(append(b, p.pre[bl.pre-1]...), '\n')
		}
	}
	return b
}

// readTables runs the table reader over the page's blocks. The rows of a
// pre-2019 statistics table (统计表: label | 单位 | 数) are skipped: their
// labels share words with the national tables ("行政事业性收费 | 万元 | 3.5"),
// and reading them would make cells of what is no cell of either format.
func readTables(rep *Report, p *page) {
	x := newTableReader(rep)
	stats := statsTables(p)
	for _, b := range p.blocks {
		if b.row == nil {
			x.heading(b.para)
			x.prose(b.para)
			continue
		}
		if stats[b.row.table] && (b.row.table >= 0 || unitRow(b.row)) {
			p.statsRows++
			continue
		}
		x.addRow(b.row)
	}
	x.finish()
}

// statsTables finds the tables laid out as the pre-2019 统计表: at least
// three rows whose first cell after the label is a bare unit followed by a
// number. Plain text (table -1) counts its rows together.
func statsTables(p *page) map[int]bool {
	var count map[int]int
	for _, b := range p.blocks {
		if b.row != nil && unitRow(b.row) {
			if count == nil {
				count = map[int]int{}
			}
			count[b.row.table]++
		}
	}
	var out map[int]bool
	for t, n := range count {
		if n >= 3 {
			if out == nil {
				out = map[int]bool{}
			}
			out[t] = true
		}
	}
	return out
}

// unitRow reports a 统计表 row: label, unit, number ("（一）收到申请数 | 件 | 45").
func unitRow(r *row) bool {
	for i := 0; i+1 < len(r.cells); i++ {
		c := r.cells[i]
		if c.kind != kindText || !c.own {
			continue
		}
		if u := r.cells[i+1]; u.kind == kindText && isBareUnit(u.text) {
			return i+2 < len(r.cells) && r.cells[i+2].kind == kindNumber
		}
	}
	return false
}

// isBareUnit reports a cell that prints only a unit of count or money.
func isBareUnit(s string) bool {
	switch strings.Trim(squeeze(s), "()") {
	case "条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "家", "场", "期", "批", "份":
		return true
	}
	return false
}

// classify settles Format and explains pages without (all) tables.
func classify(rep *Report, p *page) {
	found := map[string]bool{}
	for _, c := range rep.Cells {
		found[c.Table] = true
	}
	if len(found) == 0 {
		rep.Format = FormatUnknown
		switch {
		case p.images > 0 && hasSection(rep, 2, 3):
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnTablesAreImages, Message: fmt.Sprintf("no tables read; the page shows %d images where the tables should be", p.images)})
		case p.attachments > 0 && p.tables == 0:
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnAttachmentOnly, Message: fmt.Sprintf("no tables; the page links %d attachments (PDF/Word), the report is probably in one", p.attachments)})
		}
		if rep.Year > 0 && rep.Year < 2019 || isPre2019(p) || p.statsRows > 0 {
			rep.Format = "pre2019"
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnPre2019, Message: "free-form report from before the 2019 national format; no cells read"})
		}
		if p.tables == 0 {
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnNoTables, Message: "no tables 二, 三 or 四 found"})
		} else {
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnUnknownFormat, Message: fmt.Sprintf("%d tables on the page, none in a national format", p.tables)})
		}
		return
	}
	for _, t := range []struct{ code, name string }{{"t2", "二"}, {"t3", "三"}, {"t4", "四"}} {
		if !found[t.code] {
			rep.Warnings = append(rep.Warnings, Warning{Code: WarnMissingTable, Table: t.code, Message: "table " + t.name + " not found"})
		}
	}
	if rep.Format == "" {
		rep.Format = FormatUnknown
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnUnknownFormat, Message: "tables found but their labels decide no format"})
	}
	if tf := rep.TableFormats; tf["t2"] != "" && tf["t3"] != "" && tf["t2"] != tf["t3"] {
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnMixedFormat, Message: fmt.Sprintf("table 二 is in the %s format, table 三 in the %s format; the report is read as %s", tf["t2"], tf["t3"], rep.Format)})
	}
}

func hasSection(rep *Report, nums ...int) bool {
	for _, s := range rep.Sections {
		for _, n := range nums {
			if s.Number == n {
				return true
			}
		}
	}
	return false
}

// isPre2019 spots the 2014 statistics-table and free-form layouts.
func isPre2019(p *page) bool {
	for _, b := range p.blocks {
		if b.row == nil {
			continue
		}
		for _, c := range b.row.cells {
			if k := squeeze(c.text); strings.Contains(k, "统计指标") || strings.Contains(k, "指标名称") {
				return true
			}
		}
	}
	return false
}

// stripTags turns markup into lines of text, for pages the HTML parser
// rejects.
func stripTags(b []byte) []byte {
	out := make([]byte, 0, len(b))
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
			out = append(out, '\n')
		case !in:
			out = append(out, c)
		}
	}
	return out
}
