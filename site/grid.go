package site

import (
	"html"
	"html/template"
	"strings"
)

// gridBody writes a report table's body rows. It is the bulk of every
// report page (the 表三 grid alone has some 250 cells), so it is written
// here rather than by html/template, whose per-value escaping through
// reflection was most of a full build's CPU; every value still goes
// through html.EscapeString. The markup is the one the template had.
func gridBody(g grid) template.HTML {
	var b strings.Builder
	b.Grow(len(g.Rows) * len(g.Cols) * 64)
	esc := html.EscapeString
	// where: an attachment cell's file and page, after its code in the title.
	where := func(c gridCell) string {
		if c.Page == "" {
			return ""
		}
		return "；" + esc(g.File) + " 第" + esc(c.Page) + "页"
	}
	for _, r := range g.Rows {
		b.WriteString(`<tr data-row="` + esc(r.Code) + `"><th scope="row" title="` + esc(r.Code) + `">` + esc(r.Label) + "</th>\n")
		for _, c := range r.Cells {
			code := esc(c.Code)
			switch {
			case c.Rules != "":
				b.WriteString(`<td class="num flag" data-cell="` + code + `" data-rule="` + esc(c.Rules) + `" title="` + code + where(c) + " — " + esc(c.Flags) + `">`)
				if c.Blank {
					b.WriteString(`<span class="blank">空白</span>`)
				} else {
					b.WriteString(esc(c.Value))
				}
				b.WriteString(`<span class="rule-tag">` + esc(c.Rules) + "</span></td>\n")
			case c.Blank:
				b.WriteString(`<td class="num blank" data-cell="` + code + `" title="` + code + `：空白（印为“` + esc(c.Raw) + `”）` + where(c) + `">空白</td>` + "\n")
			case c.Printed:
				b.WriteString(`<td class="num" data-cell="` + code + `" title="` + code)
				if c.Unit != "" {
					b.WriteString("（" + esc(c.Unit) + "）")
				}
				b.WriteString(where(c))
				b.WriteString(`">` + esc(c.Value) + "</td>\n")
			default:
				b.WriteString(`<td class="na" data-cell="` + code + `" title="` + code + `：本报告未印此格"></td>` + "\n")
			}
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}
