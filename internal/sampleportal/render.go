package sampleportal

import (
	"fmt"
	"html"
	"strings"
)

// zeroStyle is how a report prints a zero. Real reports mix 0, blanks and
// placeholders (format.md §8 items 15–16); blanks and placeholders read as
// null, and as 0 in the checks.
type zeroStyle int

const (
	zeroAsZero  zeroStyle = iota // "0"
	zeroAsBlank                  // <p>&nbsp;</p> (上海 2019)
	zeroMixed                    // 表二 "—" or "/", 表三 blank except 总计, 表四 "0"
)

// look is how a report page's markup is made: Word-pasted or clean.
type look struct {
	word        bool      // MsoNormalTable, <o:p>, mso styles, conditional comments
	splitDigits bool      // each digit group in its own <span lang=EN-US>
	t2Split     bool      // one <table> per 表二 sub-table instead of one table
	zero        zeroStyle // how zeros are printed
	fixed2      bool      // 万元 amounts with two decimals ("12.50")
	yuanUnit    bool      // 采购总金额 printed with 元 ("251000元")
	thousands   bool      // integers ≥ 1000 with separators ("3,985")
	fullWidthT2 bool      // 表二 digits full-width ("１２")
	nbspPad     bool      // numbers padded with &nbsp; (pingtan-2022)
	splitT3     bool      // 表三 split in two <table>s at a page break, header repeated
	noteAbove   bool      // the 勾稽关系 note as a paragraph above 表三, corner cell empty
	// misalignT3 reproduces pingtan-2021: 自然人 spans two grid columns over
	// an empty sub-header cell while data rows put colspan=2 on 商业企业, so
	// values line up by order, not by grid column.
	misalignT3 bool
}

// printed is one cell as the page prints it and as the extractor must read it.
type printed struct {
	raw   string  // text in the cell ("" for a blank)
	value *string // nil for a blank or placeholder
}

// printCells decides the printed text of every cell.
func printCells(format string, v values, lk look) map[string]printed {
	out := map[string]printed{}
	for i, k := range keys(format) {
		val := v[k]
		raw := val
		switch {
		case strings.HasSuffix(k, ".amount_wan_yuan") && lk.fixed2:
			raw = fixed2(val)
		case strings.HasSuffix(k, ".amount_yuan") && lk.yuanUnit && val != "0":
			raw = val + "元"
		case lk.thousands && len(val) > 3 && !strings.ContainsAny(val, ".-"):
			raw = val[:len(val)-3] + "," + val[len(val)-3:]
		}
		if lk.fullWidthT2 && strings.HasPrefix(k, "t2.") {
			raw = strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r - '0' + '０'
				}
				return r
			}, raw)
		}
		if val == "0" {
			switch lk.zero {
			case zeroAsBlank:
				raw = ""
			case zeroMixed:
				switch {
				case strings.HasPrefix(k, "t2."):
					raw = []string{"—", "/"}[i%2]
				case strings.HasPrefix(k, "t3.") && !strings.HasSuffix(k, ".total"):
					raw = ""
				}
			}
		}
		p := printed{raw: raw}
		if raw != "" && raw != "—" && raw != "/" {
			s := val
			p.value = &s
		}
		out[k] = p
	}
	return out
}

func fixed2(dec string) string {
	whole, frac, _ := strings.Cut(dec, ".")
	return whole + "." + (frac + "00")[:2]
}

// renderer writes one report's body the way it was pasted into the CMS,
// or, with doc set, records it as a document (paragraphs and table grids)
// for the attachments (PDF, DOCX) that print the same report.
type renderer struct {
	b   strings.Builder
	lk  look
	row int // mso-yfti-irow counter within a table
	doc *document
}

const wordTableOpen = `<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=%d style='width:%dpt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>` + "\n"

func (r *renderer) tableOpen(width int) {
	r.row = 0
	if r.doc != nil {
		r.doc.blocks = append(r.doc.blocks, block{table: &docTable{}})
		return
	}
	if r.lk.word {
		fmt.Fprintf(&r.b, wordTableOpen, width*4/3, width)
		return
	}
	fmt.Fprintf(&r.b, "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"%d\">\n", width*4/3)
}

func (r *renderer) tableClose() {
	if r.doc == nil {
		r.b.WriteString("</tbody></table>\n")
	}
}

func (r *renderer) trOpen() {
	if r.doc != nil {
		t := r.doc.blocks[len(r.doc.blocks)-1].table
		t.rows = append(t.rows, nil)
		return
	}
	if r.row == 0 {
		r.b.WriteString("<tbody>")
	}
	if r.lk.word {
		fmt.Fprintf(&r.b, "<tr style='mso-yfti-irow:%d;height:20.15pt'>", r.row)
	} else {
		r.b.WriteString("<tr>")
	}
	r.row++
}

func (r *renderer) trClose() {
	if r.doc == nil {
		r.b.WriteString("</tr>\n")
	}
}

// td writes one cell; text may contain "\n" for a line break inside a label.
func (r *renderer) td(text string, rowspan, colspan int, number bool) {
	if r.doc != nil {
		t := r.doc.blocks[len(r.doc.blocks)-1].table
		n := len(t.rows) - 1
		t.rows[n] = append(t.rows[n], docCell{text: text, rowspan: max(rowspan, 1), colspan: max(colspan, 1), number: number})
		return
	}
	pad := ""
	if number && r.lk.nbspPad && text != "" {
		pad = "&nbsp;"
	}
	r.b.WriteString("<td")
	if rowspan > 1 {
		fmt.Fprintf(&r.b, " rowspan=%d", rowspan)
	}
	if colspan > 1 {
		fmt.Fprintf(&r.b, " colspan=%d", colspan)
	}
	if r.lk.word {
		r.b.WriteString(" valign=center style='border:solid windowtext 1.0pt;border-top:none;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center;line-height:15.0pt;mso-line-height-rule:exactly'>")
	} else {
		r.b.WriteString(" style=\"text-align:center\"><p>")
	}
	r.b.WriteString(pad)
	defer r.b.WriteString("</p></td>")
	if r.lk.word {
		defer r.b.WriteString("<span lang=EN-US><o:p></o:p></span>")
	}
	defer r.b.WriteString(pad)
	switch {
	case text == "":
		if r.lk.word {
			r.b.WriteString("<span lang=EN-US style='font-size:10.5pt;font-family:仿宋_GB2312'><o:p>&nbsp;</o:p></span>")
		} else {
			r.b.WriteString("&nbsp;")
		}
	case number && r.lk.splitDigits && len([]rune(text)) > 1:
		// Word splits runs at arbitrary points; a reader must join them.
		rs := []rune(text)
		cut := len(rs) / 2
		fmt.Fprintf(&r.b, "<span lang=EN-US style='font-size:10.5pt'>%s</span><span lang=EN-US style='font-size:10.5pt'>%s</span>",
			html.EscapeString(string(rs[:cut])), html.EscapeString(string(rs[cut:])))
	case number && r.lk.word:
		fmt.Fprintf(&r.b, "<span lang=EN-US style='font-size:10.5pt;font-family:\"Times New Roman\"'>%s</span>", html.EscapeString(text))
	default:
		parts := strings.Split(text, "\n")
		for i, p := range parts {
			if i > 0 {
				r.b.WriteString("<br>")
			}
			if r.lk.word {
				fmt.Fprintf(&r.b, "<span style='font-size:10.5pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体'>%s</span>", html.EscapeString(p))
			} else {
				r.b.WriteString(html.EscapeString(p))
			}
		}
	}
}

func (r *renderer) para(text string) {
	if r.doc != nil {
		r.doc.blocks = append(r.doc.blocks, block{text: text})
		return
	}
	if r.lk.word {
		fmt.Fprintf(&r.b, "<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>%s<span lang=EN-US><o:p></o:p></span></span></p>\n", text)
		return
	}
	fmt.Fprintf(&r.b, "<p style=\"text-indent:2em\">%s</p>\n", text)
}

func (r *renderer) heading(text string) {
	if r.doc != nil {
		r.doc.blocks = append(r.doc.blocks, block{text: text, heading: true})
		return
	}
	if r.lk.word {
		fmt.Fprintf(&r.b, "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;font-family:黑体'>%s<span lang=EN-US><o:p></o:p></span></span></p>\n", html.EscapeString(text))
		return
	}
	fmt.Fprintf(&r.b, "<p style=\"text-indent:2em\"><strong>%s</strong></p>\n", html.EscapeString(text))
}

// chsDate writes a date the way Word's smart tags wrap it; text dumps that
// skip the tag lose the digits (portals.md §3.2).
func (r *renderer) chsDate(y, m, d int) string {
	text := fmt.Sprintf("%d年%d月%d日", y, m, d)
	if !r.lk.word || r.doc != nil {
		return text
	}
	return fmt.Sprintf(`<st1:chsdate isrocdate="False" islunardate="False" day="%d" month="%d" year="%d" w:st="on">%s</st1:chsdate>`, d, m, y, text)
}

func (r *renderer) table2(format string, cells map[string]printed) {
	subs := t2Layout(format)
	for i, sub := range subs {
		if i == 0 || r.lk.t2Split {
			r.tableOpen(420)
		}
		r.trOpen()
		r.td(sub.caption, 1, 4, false)
		r.trClose()
		r.trOpen()
		r.td("信息内容", 1, 1, false)
		for j, h := range sub.headers {
			span := 1
			if j == len(sub.headers)-1 {
				span = 4 - len(sub.headers)
			}
			r.td(wrapLabel(h), 1, span, false)
		}
		r.trClose()
		for _, row := range sub.rows {
			r.trOpen()
			r.td(row.label, 1, 1, false)
			for j, c := range row.cols {
				span := 1
				if j == len(row.cols)-1 {
					span = 4 - len(row.cols)
				}
				r.td(cells["t2."+row.row+"."+c].raw, 1, span, true)
			}
			r.trClose()
		}
		if i == len(subs)-1 || r.lk.t2Split {
			r.tableClose()
		}
	}
}

// wrapLabel breaks long header labels the way Word cells wrap them
// ("本年新<br>制作数量").
func wrapLabel(s string) string {
	if strings.HasPrefix(s, "本年新") && len([]rune(s)) > 5 {
		return "本年新\n" + strings.TrimPrefix(s, "本年新")
	}
	return s
}

const t3Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

func (r *renderer) t3Header(note bool) {
	r.trOpen()
	if note {
		r.td(t3Note, 3, 3, false)
	} else {
		r.td("", 3, 3, false)
	}
	r.td("申请人情况", 1, 7+boolInt(r.lk.misalignT3), false)
	r.trClose()
	r.trOpen()
	if r.lk.misalignT3 {
		r.td("自然人", 1, 2, false)
	} else {
		r.td("自然人", 2, 1, false)
	}
	r.td("法人或其他组织", 1, 5, false)
	r.td("总计", 2, 1, false)
	r.trClose()
	r.trOpen()
	if r.lk.misalignT3 {
		r.td("", 1, 2, false)
	}
	for _, h := range []string{"商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"} {
		r.td(h, 1, 1, false)
	}
	r.trClose()
}

func (r *renderer) table3(format string, cells map[string]printed) {
	if r.lk.noteAbove {
		r.para(t3Note)
	}
	r.tableOpen(560)
	r.t3Header(!r.lk.noteAbove)
	results := t3Results(format)
	rows := t3Rows(format)
	// A Word page break after （二） splits the table; the second part repeats
	// the header and continues 三、本年度办理结果 with an empty merged cell.
	breakAfter := ""
	if r.lk.splitT3 {
		breakAfter = "partial"
	}
	seenGroup := map[string]bool{}
	for i, row := range rows {
		r.trOpen()
		switch {
		case row.row == "new" || row.row == "carried_in" || row.row == "carried_out":
			r.td(row.label, 1, 3, false)
		default:
			if row.row == "granted" {
				span := len(results) + 1
				if breakAfter != "" {
					span = 2
				}
				r.td("三、本年度办理结果", span, 1, false)
			}
			if i > 0 && rows[i-1].row == breakAfter {
				r.td("", len(results)+1-2, 1, false)
			}
			if row.group == "" {
				r.td(row.label, 1, 2, false)
			} else {
				if !seenGroup[row.group] {
					seenGroup[row.group] = true
					r.td(row.group, groupSize(results, row.group), 1, false)
				}
				r.td(row.label, 1, 1, false)
			}
		}
		for _, c := range t3Cols {
			span := 1
			if r.lk.misalignT3 && c == "commercial" {
				span = 2
			}
			r.td(cells["t3."+row.row+"."+c].raw, 1, span, true)
		}
		r.trClose()
		if row.row == breakAfter {
			r.tableClose()
			if r.doc == nil {
				r.b.WriteString("<br style='page-break-before:always' clear=all>\n")
			}
			r.tableOpen(560)
			r.t3Header(!r.lk.noteAbove)
		}
	}
	r.tableClose()
}

func groupSize(rows []t3Row, group string) int {
	n := 0
	for _, r := range rows {
		if r.group == group {
			n++
		}
	}
	return n
}

func (r *renderer) table4(cells map[string]printed) {
	r.tableOpen(560)
	r.trOpen()
	r.td("行政复议", 1, 5, false)
	r.td("行政诉讼", 1, 10, false)
	r.trClose()
	outcomes := []string{"结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"}
	r.trOpen()
	for _, o := range outcomes {
		r.td(o, 2, 1, false)
	}
	r.td("未经复议直接起诉", 1, 5, false)
	r.td("复议后起诉", 1, 5, false)
	r.trClose()
	r.trOpen()
	for i := 0; i < 2; i++ {
		for _, o := range outcomes {
			r.td(o, 1, 1, false)
		}
	}
	r.trClose()
	r.trOpen()
	for _, c := range t4Cols {
		r.td(cells["t4.all."+c].raw, 1, 1, true)
	}
	r.trClose()
	r.tableClose()
}
