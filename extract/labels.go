package extract

import "strings"

// Labels are matched on their key: cleaned, spaces squeezed out, numbering
// ("一、", "(三)", "1.", "2、") and parentheticals stripped. Matching is by
// distinctive words rather than whole labels, because real reports
// abbreviate, annotate and truncate them (format.md §8.5–8.9).

// stripParens removes bracketed asides: "部分公开(区分处理的…)" → "部分公开".
// Labels are NFKC-cleaned first, so full-width brackets are ASCII here.
func stripParens(s string) string {
	if !strings.ContainsAny(s, "([") {
		return s
	}
	// The brackets are ASCII: copy the byte runs outside them.
	b := make([]byte, 0, len(s))
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			if depth == 0 {
				b = append(b, s[from:i]...)
			}
			depth++
		case ')', ']':
			if depth == 0 {
				b = append(b, s[from:i]...) // a stray closer is dropped
				from = i + 1
			} else if depth--; depth == 0 {
				from = i + 1
			}
		}
	}
	if depth == 0 {
		b = append(b, s[from:]...)
	}
	return string(b)
}

// stripNumbering removes a leading list marker: 一、 (一) 1. 1、 ① (1).
func stripNumbering(s string) string {
	if r := firstRune(s); !isNumeralRune(r) && !isListPunct(r) && r != '(' && (r < '①' || r > '⑳') {
		return s // most labels
	}
	for {
		t := strings.TrimLeftFunc(s, isListPunct)
		if strings.HasPrefix(t, "(") {
			if i := strings.IndexByte(t, ')'); i > 0 && i <= 10 && isNumeral(t[1:i]) {
				t = t[i+1:]
				s = t
				continue
			}
		}
		n := 0
		for _, r := range t {
			if !isNumeralRune(r) {
				break
			}
			n += len(string(r))
		}
		if n > 0 && n < len(t) && strings.ContainsRune("、.,:．", firstRune(t[n:])) {
			s = t[n:]
			continue
		}
		if r := firstRune(t); r >= '①' && r <= '⑳' {
			s = t[len(string(r)):]
			continue
		}
		return t
	}
}

// isListPunct reports the separators around list markers: " .、,:".
func isListPunct(r rune) bool {
	return r == ' ' || r == '.' || r == '、' || r == ',' || r == ':'
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func isNumeral(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isNumeralRune(r) {
			return false
		}
	}
	return true
}

func isNumeralRune(r rune) bool {
	return (r >= '0' && r <= '9') || strings.ContainsRune("一二三四五六七八九十", r)
}

// labelKey is the form labels are compared in.
func labelKey(text string) string {
	return stripNumbering(stripParens(squeeze(text)))
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// t3 groups whose numbered sub-items share generic labels ("3.其他").
const groupOtherHandling = "其他处理"

// t3Group returns the group a label cell opens: 不予公开, 无法提供, 不予处理,
// 其他处理, or "".
func t3Group(key string) string {
	for _, g := range []string{"不予公开", "无法提供", "不予处理", groupOtherHandling} {
		if strings.HasPrefix(key, g) { // also "不予公开1.属于国家秘密", merged from flat text
			return g
		}
	}
	return ""
}

// t3Row maps a table 三 row label (raw text and its [labelKey]) to its
// code. group is the innermost
// group label in force (see [t3Group]); it disambiguates "3.其他".
func t3Row(raw, k, group string) string {
	full := squeeze(raw)
	switch {
	case k == "":
		return ""
	case strings.Contains(full, "部分公开"): // its parenthetical mentions 其他情形
		return "partial"
	case strings.Contains(k, "予以公开") && !strings.Contains(k, "不予"):
		return "granted"
	case k == "其他" || k == "其它":
		if group == groupOtherHandling {
			return "other.other"
		}
		return ""
	case k == "总计" || k == "合计" || k == "小计":
		if strings.Contains(full, "七") || strings.Contains(full, "7") {
			return "result_total"
		}
		return ""
	}
	if i := t3Words.first(k); i >= 0 {
		return t3Keywords[i].code
	}
	return ""
}

// t3Keywords are the distinctive words of table 三's row labels, checked in
// order ("其他法律行政法规禁止公开" before the bare 其他处理 group).
var t3Keywords = []keyword{
	{"new", []string{"本年新收", "本年度新收", "新收政府信息公开申请"}},
	{"carried_in", []string{"上年结转", "上年度结转"}},
	{"carried_out", []string{"结转下年", "下年度继续", "结转下一年"}},
	{"denied.state_secret", []string{"国家秘密"}},
	{"denied.law_prohibited", []string{"法律行政法规禁止", "法律法规禁止", "禁止公开"}},
	{"denied.three_safety", []string{"三安全一稳定", "危及"}},
	{"denied.third_party", []string{"第三方"}},
	{"denied.internal", []string{"内部事务"}},
	{"denied.process", []string{"过程性"}},
	{"denied.enforcement", []string{"执法案卷"}},
	{"denied.query", []string{"行政查询"}},
	{"unable.no_info", []string{"不掌握"}},
	{"unable.need_creation", []string{"另行制作", "没有现成"}},
	{"unable.unclear", []string{"仍不明确", "补正后"}},
	{"rejected.complaint", []string{"信访", "举报投诉"}},
	{"rejected.duplicate", []string{"重复申请"}},
	{"rejected.publication", []string{"出版物"}},
	{"rejected.excessive", []string{"大量反复", "大量、反复"}},
	{"rejected.confirm", []string{"重新出具", "确认或"}},
	{"other.no_correction", []string{"逾期不补正", "不补正"}},
	{"other.no_fee", []string{"缴纳费用", "收费通知", "未按收费"}},
	{"other", []string{groupOtherHandling}}, // 2019's single row; in 2021 the sub-row label to its right wins
}

// t3Col maps a table 三 header leaf to its column code.
func t3Col(raw string) string {
	k := labelKey(raw)
	switch {
	case k == "":
		return ""
	case strings.Contains(k, "自然人"):
		return "natural"
	case strings.Contains(k, "商业企业"):
		return "commercial"
	case strings.Contains(k, "科研机构"):
		return "research"
	case strings.Contains(k, "社会公益"):
		return "social"
	case strings.Contains(k, "法律服务"):
		return "legal"
	case strings.Contains(k, "小计"):
		return "legal_subtotal"
	case k == "其他" || k == "其它" || k == "其他组织":
		return "other"
	case k == "总计" || k == "合计":
		return "total"
	}
	return ""
}

// t3ParentLabel reports header cells that are not columns themselves.
func t3ParentLabel(raw string) bool {
	k := labelKey(raw)
	return k == "" || containsAny(k, "申请人情况", "勾稽", "本列数据") ||
		k == "法人或其他组织" || k == "法人和其他组织"
}

// t3Cols are the seven columns every format prints, in grid order.
var t3Cols = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

// t3Words indexes t3Keywords: every label of every table is looked up.
var t3Words = newWordSet(t3Keywords)

// wordSet finds which of many keywords' words a label contains in one pass
// over the label, instead of one strings.Contains per word. It is built
// once and only read.
type wordSet struct {
	bits   [64]uint64 // rune&4095 of the words' first runes: most runes are rejected here
	byRune map[rune][]rankedWord
}

type rankedWord struct {
	word string
	rank int // index of the word's keyword
}

func newWordSet(kws []keyword) wordSet {
	ws := wordSet{byRune: map[rune][]rankedWord{}}
	for i, kw := range kws {
		for _, w := range kw.words {
			r := firstRune(w)
			ws.bits[r&4095/64] |= 1 << (r & 63)
			ws.byRune[r] = append(ws.byRune[r], rankedWord{w, i})
		}
	}
	return ws
}

// wordsOf is a wordSet of plain words, each its own keyword.
func wordsOf(words ...string) wordSet {
	kws := make([]keyword, len(words))
	for i, w := range words {
		kws[i] = keyword{w, []string{w}}
	}
	return newWordSet(kws)
}

// any reports whether s contains any of the words.
func (ws *wordSet) any(s string) bool {
	for i, r := range s {
		if ws.bits[r&4095/64]&(1<<(r&63)) == 0 {
			continue
		}
		for _, w := range ws.byRune[r] {
			if strings.HasPrefix(s[i:], w.word) {
				return true
			}
		}
	}
	return false
}

// first returns the index of the first keyword (in the order given to
// newWordSet) with a word in s, or -1.
func (ws *wordSet) first(s string) int {
	best := -1
	for i, r := range s {
		if ws.bits[r&4095/64]&(1<<(r&63)) == 0 {
			continue
		}
		for _, w := range ws.byRune[r] {
			if (best < 0 || w.rank < best) && strings.HasPrefix(s[i:], w.word) {
				best = w.rank
			}
		}
	}
	return best
}

// keyword maps a label containing (or, for rows, starting with) one of
// words to code.
type keyword struct {
	code  string
	words []string
}

// t2Rows are table 二's row labels; a label must start with one of the
// words ("规章（设区的市…）" is rules, "其他主动公开文件" is nothing).
var t2Rows = []keyword{
	{"rules", []string{"规章"}},
	{"normative", []string{"行政规范性文件", "规范性文件"}},
	{"licensing", []string{"行政许可"}},
	{"other_services", []string{"其他对外管理服务"}},
	{"penalty", []string{"行政处罚"}},
	{"coercion", []string{"行政强制"}},
	{"fees", []string{"行政事业性收费", "事业性收费"}},
	{"procurement", []string{"政府集中采购"}},
}

// t2Cols are table 二's column headers, in the order they are tried.
var t2Cols = []keyword{
	{"made", []string{"制发"}},
	{"repealed", []string{"废止"}},
	{"in_force", []string{"现行有效"}},
	{"amount_wan_yuan", []string{"收费金额"}},
	{"decisions", []string{"处理决定"}},
	{"new_made", []string{"新制作"}},
	{"new_published", []string{"新公开"}},
	{"total_published", []string{"对外公开总"}},
	{"prev_items", []string{"上一年项目", "上年项目", "上一年度项目"}},
	{"change", []string{"增/减", "增减", "增(减)", "增或减"}},
	{"items", []string{"采购项目"}},
	{"amount_yuan", []string{"采购总金额", "采购金额"}},
}

// t2Row maps a table 二 row label, given as its [labelKey], to its code.
func t2Row(k string) string {
	for _, kw := range t2Rows {
		for _, w := range kw.words {
			if strings.HasPrefix(k, w) {
				return kw.code
			}
		}
	}
	return ""
}

// t2Col maps a table 二 header label (raw text and its [labelKey]) to its
// column code and the unit the header prints ("万元", "元" or ""). "本年新"
// (a truncated header) returns "new?" and is resolved by position.
func t2Col(raw, k string) (code, unit string) {
	full := squeeze(raw)
	switch {
	case strings.Contains(full, "万元"):
		unit = "万元"
	case strings.Contains(full, "(元)") || strings.Contains(full, "单位:元"):
		unit = "元"
	}
	if k == "本年新" || k == "本年新数量" {
		return "new?", unit
	}
	for _, kw := range t2Cols {
		if containsAny(k, kw.words...) {
			return kw.code, unit
		}
	}
	return "", unit
}

// t2Defaults are the columns of each table 二 row when no header was read,
// by format; Parse picks the format whose column count fits the row.
var t2Defaults = map[string]map[string][]string{
	"2021": {
		"rules":     {"made", "repealed", "in_force"},
		"normative": {"made", "repealed", "in_force"},
		"licensing": {"decisions"},
		"penalty":   {"decisions"},
		"coercion":  {"decisions"},
		"fees":      {"amount_wan_yuan"},
	},
	"2019": {
		"rules":          {"new_made", "new_published", "total_published"},
		"normative":      {"new_made", "new_published", "total_published"},
		"licensing":      {"prev_items", "change", "decisions"},
		"other_services": {"prev_items", "change", "decisions"},
		"penalty":        {"prev_items", "change", "decisions"},
		"coercion":       {"prev_items", "change", "decisions"},
		"fees":           {"prev_items", "change"},
		"procurement":    {"items", "amount_yuan"},
	},
}

// t2ColFormat says which format prints a table 二 column ("" for both).
func t2ColFormat(code string) string {
	switch code {
	case "made", "repealed", "in_force", "amount_wan_yuan":
		return "2021"
	case "new_made", "new_published", "total_published", "prev_items", "change", "items", "amount_yuan":
		return "2019"
	}
	return ""
}

// t4Cols are table 四's fifteen columns in grid order.
var t4Cols = []string{
	"review.upheld", "review.corrected", "review.other", "review.pending", "review.total",
	"suit_direct.upheld", "suit_direct.corrected", "suit_direct.other", "suit_direct.pending", "suit_direct.total",
	"suit_after_review.upheld", "suit_after_review.corrected", "suit_after_review.other", "suit_after_review.pending", "suit_after_review.total",
}
