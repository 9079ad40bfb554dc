package extract

import (
	"strings"
)

// readText reads the plain-text layouts document converters produce:
//
//   - one cell per line, tab-indented, a row per blank-line-separated group
//     (an empty "\t" line is an empty cell), as in the seed report;
//   - rows flattened onto one line, cells separated by tabs or spaces
//     ("规章 0 0 3"; table 四 as 15 numbers on one line).
//
// Lines that are not indented are prose paragraphs; those that also carry
// numbers after a label are read as rows too.
func readText(body []byte) *page {
	p := &page{}
	lines := strings.Split(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")
	var group []string
	groupStart := 0
	flushGroup := func() {
		if len(group) == 0 {
			return
		}
		p.blocks = append(p.blocks, groupRows(group, groupStart)...)
		group = group[:0]
	}
	// A run of lines holding one number each (PDF converters put every
	// value on its own line) is one row.
	var run []string
	runStart := 0
	flushRun := func() {
		if len(run) > 0 {
			p.blocks = append(p.blocks, block{row: textRow(run, runStart)})
			run = nil
		}
	}
	for i, ln := range lines {
		indented := strings.HasPrefix(ln, "\t")
		if indented {
			flushRun()
			if len(group) == 0 {
				groupStart = i + 1
			}
			group = append(group, ln[1:])
			continue
		}
		t := clean(ln)
		if t != "" && isPageFooter(t) {
			continue // a page break may fall inside a row's group of lines
		}
		flushGroup()
		if t == "" {
			continue
		}
		cells := strings.Fields(t)
		if len(cells) == 1 && parseValue(t).kind != kindText {
			if len(run) == 0 {
				runStart = i + 1
			}
			run = append(run, t)
			continue
		}
		if len(run) > 0 && splitNumberTail(t) {
			// "4" / "1994万元。": the run was the head of a number in prose
			// that Word runs split over lines, not a row of values.
			for _, v := range run {
				p.blocks = append(p.blocks, block{para: v})
			}
			run = nil
		}
		flushRun()
		if numbers(cells) < 2 {
			p.blocks = append(p.blocks, block{para: t}) // prose, a heading, or a header row
		}
		if len(cells) == 1 && len(t) <= 180 && isRowLabel(t) { // 60 CJK runes
			// A label alone on its line; its values follow (PDF text).
			p.blocks = append(p.blocks, block{row: textRow(cells, i+1)})
			continue
		}
		if len(cells) > 1 && (numbers(cells) > 0 || allShort(cells)) {
			if numbers(cells) > 0 {
				cells = mergeLabel(cells)
			}
			p.blocks = append(p.blocks, block{row: textRow(cells, i+1)})
		}
	}
	flushGroup()
	flushRun()
	return p
}

// splitNumberTail spots the rest of a number Word runs broke over lines in
// prose: digits glued to words ("1994万元。"), not a numbered label
// ("2.重复申请").
func splitNumberTail(t string) bool {
	d, rest := leadingDigits(t)
	if d == "" || rest == "" || isRowLabel(t) {
		return false
	}
	r := firstRune(rest)
	return r >= 0x4E00 && r <= 0x9FFF
}

// isRowLabel reports a line that is a table 二/三 row or group label.
func isRowLabel(t string) bool {
	k := labelKey(t)
	return t3Group(k) != "" || t3Row(t, k, groupOtherHandling) != "" || t2Row(k) != ""
}

// isPageFooter spots the page numbers PDF converters leave in the text:
// "-4-", "— 4 —", "第4页", "第4页共12页", "4/12".
func isPageFooter(t string) bool {
	k := squeeze(t)
	k = strings.Trim(k, "-—–－")
	if strings.HasPrefix(k, "第") {
		k = strings.TrimPrefix(k, "第")
		d, rest := leadingDigits(k)
		if d == "" || !strings.HasPrefix(rest, "页") {
			return false
		}
		rest = strings.TrimPrefix(rest, "页")
		if rest == "" {
			return true
		}
		d, rest = leadingDigits(strings.TrimPrefix(rest, "共"))
		return d != "" && rest == "页"
	}
	d, rest := leadingDigits(k)
	if d == "" || len(d) > 3 {
		return false
	}
	if rest == "" {
		return k != squeeze(t) // "-4-"; a bare "4" is a value
	}
	d, rest = leadingDigits(strings.TrimPrefix(rest, "/"))
	return d != "" && rest == ""
}

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// groupRows turns a tab-indented group into rows: one row of one cell per
// line, unless its lines themselves hold several tab-separated cells.
func groupRows(group []string, start int) []block {
	split := make([][]string, len(group))
	multi := false
	for i, g := range group {
		split[i] = splitTabs(g)
		multi = multi || len(split[i]) > 1
	}
	if !multi {
		cells := make([]string, len(group))
		for i, c := range split {
			if len(c) == 1 {
				cells[i] = c[0]
			}
		}
		return []block{{row: textRow(cells, start)}}
	}
	var out []block
	for i, cells := range split {
		if len(cells) > 0 {
			out = append(out, block{row: textRow(cells, start+i)})
		}
	}
	return out
}

func textRow(cells []string, line int) *row {
	backing := make([]gcell, len(cells))
	r := &row{table: -1, line: line, cells: make([]cref, len(cells))}
	for i, c := range cells {
		backing[i].set(c, line, i, 1)
		r.cells[i] = cref{&backing[i], true}
	}
	return r
}

func splitTabs(s string) []string {
	s = strings.TrimRight(s, " \t\r")
	if !strings.Contains(s, "\t") {
		if t := clean(s); t != "" {
			return []string{t}
		}
		return nil
	}
	parts := strings.Split(s, "\t")
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = clean(p)
	}
	return out
}

// mergeLabel joins the leading words of a flattened data row into one
// label: "（二）部分公开 （区分处理的…）" or "危及“三安全 一稳定”" is one cell
// whose words a converter happened to space apart.
func mergeLabel(cells []string) []string {
	n := 0
	for n < len(cells) && parseValue(cells[n]).kind == kindText && !(n > 0 && isBareUnit(cells[n])) {
		n++ // a unit column ("（一）收到申请数 件 45") is no part of the label
	}
	if n < 2 {
		return cells
	}
	out := append([]string{strings.Join(cells[:n], "")}, cells[n:]...)
	return out
}

// allShort spots a flattened header row ("信息内容 本年制发件数 …") as
// opposed to prose that happens to contain spaces.
func allShort(cells []string) bool {
	for _, c := range cells {
		if len([]rune(c)) > 30 {
			return false
		}
	}
	return true
}

// numbers counts the cells that are numbers.
func numbers(cells []string) int {
	n := 0
	for _, c := range cells {
		if parseValue(c).kind == kindNumber {
			n++
		}
	}
	return n
}

// looksLikeText reports whether body should go to the plain-text reader:
// no tag in its first KB.
func looksLikeText(body []byte, contentType, source string) bool {
	ct := strings.ToLower(contentType)
	switch {
	case strings.HasPrefix(ct, "text/plain"):
		return true
	case strings.Contains(ct, "html"):
		return false
	case strings.HasSuffix(strings.ToLower(source), ".txt"):
		return true
	}
	head := body
	if len(head) > 1024 {
		head = head[:1024]
	}
	for i := 0; i+1 < len(head); i++ {
		if head[i] == '<' {
			c := head[i+1]
			if c == '!' || c == '/' || (c|0x20 >= 'a' && c|0x20 <= 'z') {
				return false
			}
		}
	}
	return true
}
