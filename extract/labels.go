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

// stripNumbering removes a leading list marker: 一、 (一) 1. 1、 ① (1).
func stripNumbering(s string) string {
	for {
		t := strings.TrimLeft(s, " .、,:")
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
		if key == g || (strings.HasPrefix(key, g) && len(key) <= len(g)+6) {
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
	case containsAny(k, "本年新收", "本年度新收", "新收政府信息公开申请"):
		return "new"
	case containsAny(k, "上年结转", "上年度结转"):
		return "carried_in"
	case containsAny(k, "结转下年", "下年度继续", "结转下一年"):
		return "carried_out"
	case strings.Contains(full, "部分公开"):
		return "partial"
	case strings.Contains(k, "予以公开") && !strings.Contains(k, "不予"):
		return "granted"
	case strings.Contains(k, "国家秘密"):
		return "denied.state_secret"
	case containsAny(k, "法律行政法规禁止", "法律法规禁止", "禁止公开"):
		return "denied.law_prohibited"
	case containsAny(k, "三安全一稳定", "危及"):
		return "denied.three_safety"
	case strings.Contains(k, "第三方"):
		return "denied.third_party"
	case strings.Contains(k, "内部事务"):
		return "denied.internal"
	case strings.Contains(k, "过程性"):
		return "denied.process"
	case strings.Contains(k, "执法案卷"):
		return "denied.enforcement"
	case strings.Contains(k, "行政查询"):
		return "denied.query"
	case strings.Contains(k, "不掌握"):
		return "unable.no_info"
	case containsAny(k, "另行制作", "没有现成"):
		return "unable.need_creation"
	case containsAny(k, "仍不明确", "补正后"):
		return "unable.unclear"
	case containsAny(k, "信访", "举报投诉"):
		return "rejected.complaint"
	case strings.Contains(k, "重复申请"):
		return "rejected.duplicate"
	case strings.Contains(k, "出版物"):
		return "rejected.publication"
	case containsAny(k, "大量反复", "大量、反复"):
		return "rejected.excessive"
	case containsAny(k, "重新出具", "确认或"):
		return "rejected.confirm"
	case containsAny(k, "逾期不补正", "不补正"):
		return "other.no_correction"
	case containsAny(k, "缴纳费用", "收费通知", "未按收费"):
		return "other.no_fee"
	case strings.Contains(k, groupOtherHandling):
		return "other"
	case k == "其他" || k == "其它":
		if group == groupOtherHandling {
			return "other.other"
		}
	case k == "总计" || k == "合计" || k == "小计":
		if strings.Contains(full, "七") || strings.Contains(full, "7") {
			return "result_total"
		}
	}
	return ""
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

// t2Row maps a table 二 row label, given as its [labelKey], to its code.
func t2Row(k string) string {
	switch {
	case strings.HasPrefix(k, "规章"):
		return "rules"
	case strings.HasPrefix(k, "行政规范性文件"), strings.HasPrefix(k, "规范性文件"):
		return "normative"
	case strings.HasPrefix(k, "行政许可"):
		return "licensing"
	case strings.HasPrefix(k, "其他对外管理服务"):
		return "other_services"
	case strings.HasPrefix(k, "行政处罚"):
		return "penalty"
	case strings.HasPrefix(k, "行政强制"):
		return "coercion"
	case strings.HasPrefix(k, "行政事业性收费"), strings.HasPrefix(k, "事业性收费"):
		return "fees"
	case strings.HasPrefix(k, "政府集中采购"):
		return "procurement"
	}
	return ""
}

// t2Col maps a table 二 header label to its column code and the unit the
// header prints ("万元", "元" or ""). "本年新" (a truncated header) returns
// "new?" and is resolved by position.
func t2Col(raw string) (code, unit string) {
	full := squeeze(raw)
	switch {
	case strings.Contains(full, "万元"):
		unit = "万元"
	case strings.Contains(full, "(元)") || strings.Contains(full, "单位:元"):
		unit = "元"
	}
	k := labelKey(raw)
	switch {
	case strings.Contains(k, "制发"):
		code = "made"
	case strings.Contains(k, "废止"):
		code = "repealed"
	case strings.Contains(k, "现行有效"):
		code = "in_force"
	case strings.Contains(k, "收费金额"):
		code = "amount_wan_yuan"
	case strings.Contains(k, "处理决定"):
		code = "decisions"
	case strings.Contains(k, "新制作"):
		code = "new_made"
	case strings.Contains(k, "新公开"):
		code = "new_published"
	case strings.Contains(k, "对外公开总"):
		code = "total_published"
	case containsAny(k, "上一年项目", "上年项目", "上一年度项目"):
		code = "prev_items"
	case containsAny(k, "增/减", "增减", "增(减)", "增或减"):
		code = "change"
	case strings.Contains(k, "采购项目"):
		code = "items"
	case containsAny(k, "采购总金额", "采购金额"):
		code = "amount_yuan"
	case k == "本年新" || k == "本年新数量":
		code = "new?"
	}
	return code, unit
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
