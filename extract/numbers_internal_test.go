package extract

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// White-box: the decimal handling decides balance, so it is tested at the
// unit level as well as through Parse.
func TestParseValue(t *testing.T) {
	cases := []struct {
		in   string
		kind cellKind
		num  string
		unit string
	}{
		{"0", kindNumber, "0", ""},
		{"73802895.90", kindNumber, "73802895.9", ""},
		{"5.000", kindNumber, "5", ""},
		{"007", kindNumber, "7", ""},
		{"-8", kindNumber, "-8", ""},
		{"+1036", kindNumber, "1036", ""},
		{"-0", kindNumber, "0", ""},
		{"1,234,567", kindNumber, "1234567", ""},
		{"3985758", kindNumber, "3985758", ""},
		{"251000元", kindNumber, "251000", "元"},
		{"477.35万元", kindNumber, "477.35", "万元"},
		{"12件", kindNumber, "12", "件"},
		{"3 项", kindNumber, "3", "项"},
		{"2 0", kindNumber, "20", ""}, // one number split over padded spans
		{".5", kindNumber, "0.5", ""},
		{"", kindEmpty, "", ""},
		{"—", kindPlaceholder, "", ""},
		{"-", kindPlaceholder, "", ""},
		{"/", kindPlaceholder, "", ""},
		{"无", kindPlaceholder, "", ""},
		{"N/A", kindPlaceholder, "", ""},
		{"——", kindPlaceholder, "", ""},
		{"1.2.3", kindText, "", ""},
		{"1,", kindText, "", ""},
		{",1", kindText, "", ""},
		{"元", kindText, "", ""},
		{"见附件", kindText, "", ""},
		{"1e5", kindText, "", ""},
		{"--5", kindText, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			v := parseValue(clean(tc.in))
			if v.kind != tc.kind || v.num != tc.num || v.unit != tc.unit {
				t.Errorf("parseValue(%q) = %+v; want {%v %q %q}", tc.in, v, tc.kind, tc.num, tc.unit)
			}
		})
	}
}

func TestCleanNFKC(t *testing.T) {
	cases := map[string]string{
		"１２３":             "123",
		"（一）予以公开":         "(一)予以公开",
		"\u00a0 5\u3000":  "5",
		"本年新\n制作数量":       "本年新 制作数量",
		"－":               "-",
		"a  b":            "a b",
		" 公开":             "公开",
		"公开 ":             "公开",
		"本年\t新收":          "本年 新收",
		"x\u200by\u2002z": "x y z",
		"\u3000":          "",
		"Ａ\u0301":         "Á",
		"已经整洁 12":         "已经整洁 12",
	}
	for in, want := range cases {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestQuickNFKC holds clean's shortcut to the normaliser itself: every rune
// it leaves alone or maps by hand must come out of NFKC the same way, alone
// and next to the others.
func TestQuickNFKC(t *testing.T) {
	var runes []rune
	for r := rune(0x20); r < 0x7f; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		runes = append(runes, r)
	}
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		runes = append(runes, r)
	}
	runes = append(runes, []rune("、。《》“”‘’—〈〉「」\u00a0\u3000")...)
	var all strings.Builder
	for _, r := range runes {
		s := string(r)
		all.WriteString(s)
		if quickNFKC(s) == nfkcFull {
			t.Fatalf("quickNFKC(%U) = full; want a shortcut", r)
		}
		if got, want := string(simpleNFKC(r)), norm.NFKC.String(s); got != want {
			t.Errorf("simpleNFKC(%U) = %q; NFKC gives %q", r, got, want)
		}
	}
	s := all.String()
	var mapped strings.Builder
	for _, r := range s {
		mapped.WriteRune(simpleNFKC(r))
	}
	if mapped.String() != norm.NFKC.String(s) {
		t.Errorf("rune-by-rune mapping differs from NFKC on the whole string")
	}
	for _, s := range []string{"Å", "ｶ", "①", "㈠", "e\u0301", "Ａ\u0301"} {
		if quickNFKC(s) != nfkcFull {
			t.Errorf("quickNFKC(%q) takes a shortcut; want the normaliser", s)
		}
		if got, want := clean(s), norm.NFKC.String(s); got != want {
			t.Errorf("clean(%q) = %q; want %q", s, got, want)
		}
	}
}

func TestShiftDecimal(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"477.35", 4, "4773500"},
		{"12.5", 4, "125000"},
		{"0.00001", 4, "0.1"},
		{"0", 4, "0"},
		{"3", 4, "30000"},
		{"1.23456789", 4, "12345.6789"},
		{"-2.5", 4, "-25000"},
	}
	for _, tc := range cases {
		if got := shiftDecimal(tc.in, tc.n); got != tc.want {
			t.Errorf("shiftDecimal(%q, %d) = %q; want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestLabels(t *testing.T) {
	rows := []struct{ label, group, want string }{
		{"一、本年新收政府信息公开申请数量", "", "new"},
		{"(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "", "partial"},
		{"(二)部分公开", "", "partial"},
		{"2.其他法律行政法规禁止公开", "不予公开", "denied.law_prohibited"},
		{"1、属于国家秘密", "", "denied.state_secret"},
		{"3.其他", "其他处理", "other.other"},
		{"3.其他", "不予处理", ""},
		{"(六)其他处理", "", "other"},
		{"(七)总计", "", "result_total"},
		{"总计", "", ""},
		{"(三)不予公开", "", ""},
		{"四、结转下年度继续办理", "", "carried_out"},
	}
	for _, tc := range rows {
		var c gcell
		c.set(clean(tc.label), 0, 0, 1)
		if got := t3Row(c.text, c.key(), tc.group); got != tc.want {
			t.Errorf("t3Row(%q, group %q) = %q; want %q", tc.label, tc.group, got, tc.want)
		}
	}
	t2 := map[string]string{
		"规章(设区的市、自治州人民政府应提供相关数据)": "rules",
		"规范性文件":      "normative",
		"行政规范性文件":    "normative",
		"其他对外管理服务事项": "other_services",
		"其他主动公开文件":   "",
	}
	for label, want := range t2 {
		if got := t2Row(labelKey(clean(label))); got != want {
			t.Errorf("t2Row(%q) = %q; want %q", label, got, want)
		}
	}
	cols := []struct{ label, code, unit string }{
		{"本年收费金额（单位：万元）", "amount_wan_yuan", "万元"},
		{"采购总金额（万元）", "amount_yuan", "万元"},
		{"采购总金额", "amount_yuan", ""},
		{"本年增/减（指2020年比2019年增减数，减用负值表示，如-8）", "change", ""},
		{"上一年项目数量（指2019年事项数）", "prev_items", ""},
		{"本年新 制作数量", "new_made", ""},
		{"现行有效件", "in_force", ""},
		{"本年新", "new?", ""},
	}
	for _, tc := range cols {
		if code, unit := t2Col(clean(tc.label), labelKey(clean(tc.label))); code != tc.code || unit != tc.unit {
			t.Errorf("t2Col(%q) = %q, %q; want %q, %q", tc.label, code, unit, tc.code, tc.unit)
		}
	}
}

// TestWordSet holds the one-pass keyword lookup to the plain loop it
// replaces: the first keyword (in order) with a word in the label wins.
func TestWordSet(t *testing.T) {
	naive := func(k string) int {
		for i, kw := range t3Keywords {
			if containsAny(k, kw.words...) {
				return i
			}
		}
		return -1
	}
	var words []string
	for _, kw := range t3Keywords {
		words = append(words, kw.words...)
	}
	labels := []string{"", "总计", "其他", "予以公开", "x", "属于国家秘密"}
	for _, a := range words {
		labels = append(labels, a, "申请"+a+"的", a[:len(a)-1])
		for _, b := range words {
			labels = append(labels, a+b, b+"和"+a)
		}
	}
	for _, l := range labels {
		if got, want := t3Words.first(l), naive(l); got != want {
			t.Errorf("t3Words.first(%q) = %d; want %d", l, got, want)
		}
		if got, want := t3Words.any(l), naive(l) >= 0; got != want {
			t.Errorf("t3Words.any(%q) = %v; want %v", l, got, want)
		}
	}
}

func TestShortText(t *testing.T) {
	cases := []struct {
		s    string
		n    int
		want bool
	}{
		{"", 0, true},
		{"二、主动公开政府信息情况", 12, true},
		{"二、主动公开政府信息情况", 11, false},
		{"二 、 主 动 公 开", 6, true}, // spaces do not count
		{"abcdef", 5, false},
	}
	for _, tc := range cases {
		if got := shortText(tc.s, tc.n); got != tc.want {
			t.Errorf("shortText(%q, %d) = %v; want %v", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestStripParens(t *testing.T) {
	// The rune-by-rune form stripParens replaced.
	ref := func(s string) string {
		if !strings.ContainsAny(s, "([") {
			return s
		}
		var b strings.Builder
		depth := 0
		for _, r := range s {
			switch r {
			case '(', '[':
				depth++
			case ')', ']':
				if depth > 0 {
					depth--
				}
			default:
				if depth == 0 {
					b.WriteRune(r)
				}
			}
		}
		return b.String()
	}
	for _, s := range []string{"", "部分公开", "部分公开(区分处理的,只计这一情形)", "(一)予以公开", "a(b(c)d)e", "a)b", "a(b", "[注]x(y]z", "((a))b)c[d", "总计(七)"} {
		if got, want := stripParens(s), ref(s); got != want {
			t.Errorf("stripParens(%q) = %q; want %q", s, got, want)
		}
	}
}

// TestJoinSplitNumbers: a plain-text row with more value lines than
// columns is rejoined only where exactly one choice makes the row balance.
func TestJoinSplitNumbers(t *testing.T) {
	for _, tc := range []struct {
		in, want string // space-separated value lines
		joined   string // indexes of the joined cells
	}{
		{"160 0 0 2 0 0 1 62", "160 0 0 2 0 0 162", "6"},
		{"2 7 0 0 1 0 0 28", "27 0 0 1 0 0 28", "0"},
		{"1 60 0 0 2 0 0 1 62", "160 0 0 2 0 0 162", "0 6"},
		{"1 05 0 0 0 0 0 105", "105 0 0 0 0 0 105", "0"},
		{"1 1 0 0 0 0 0 3", "1 1 0 0 0 0 0 3", ""},     // no join balances
		{"0 5 0 0 0 0 0 5", "0 5 0 0 0 0 0 5", ""},     // "0" starts no number
		{"1 1 1 1 1 1 1 1 6", "1 1 1 1 1 1 1 1 6", ""}, // several joins balance
		{"1 2 3 0 0 0 0 0 6", "1 2 3 0 0 0 0 0 6", ""}, // 12+3≠…, 1+23≠…: none
		{"1 2 0 0 0 0 0 12", "12 0 0 0 0 0 12", "0"},
	} {
		row := textRow(strings.Fields(tc.in), 1)
		got, joined := joinSplitNumbers(row.cells, t3Cols)
		var texts, idx []string
		for i, c := range got {
			texts = append(texts, c.text)
			if i < len(joined) && joined[i] {
				idx = append(idx, strconv.Itoa(i))
			}
		}
		if g := strings.Join(texts, " "); g != tc.want || strings.Join(idx, " ") != tc.joined {
			t.Errorf("%s → %s joined [%s]; want %s joined [%s]", tc.in, g, strings.Join(idx, " "), tc.want, tc.joined)
		}
	}
}
