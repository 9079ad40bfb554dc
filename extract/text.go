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
	for i, ln := range lines {
		indented := strings.HasPrefix(ln, "\t")
		if indented {
			if len(group) == 0 {
				groupStart = i + 1
			}
			group = append(group, ln[1:])
			continue
		}
		flushGroup()
		t := clean(ln)
		if t == "" {
			continue
		}
		p.blocks = append(p.blocks, block{para: t})
		if cells := strings.Fields(t); len(cells) > 1 && (hasNumber(cells) || allShort(cells)) {
			p.blocks = append(p.blocks, block{row: textRow(cells, i+1)})
		}
	}
	flushGroup()
	return p
}

// groupRows turns a tab-indented group into rows: one row of one cell per
// line, unless its lines themselves hold several tab-separated cells.
func groupRows(group []string, start int) []block {
	multi := false
	for _, g := range group {
		if len(splitTabs(g)) > 1 {
			multi = true
			break
		}
	}
	if !multi {
		cells := make([]string, len(group))
		for i, g := range group {
			cells[i] = clean(g)
		}
		return []block{{row: textRow(cells, start)}}
	}
	var out []block
	for i, g := range group {
		if cells := splitTabs(g); len(cells) > 0 {
			out = append(out, block{row: textRow(cells, start+i)})
		}
	}
	return out
}

func textRow(cells []string, line int) *row {
	r := &row{table: -1, line: line, cells: make([]gcell, len(cells))}
	for i, c := range cells {
		r.cells[i] = newCell(c, i, 1, true)
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

func hasNumber(cells []string) bool {
	for _, c := range cells {
		if parseValue(c).kind == kindNumber {
			return true
		}
	}
	return false
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
