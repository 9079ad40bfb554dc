package sampleportal

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The cell layout of the two national formats (format.md §2–4), in the order
// the tables print them. Keys are "table.row.col" in codebook codes.

type t2Row struct {
	row, label string
	cols       []string
}

var (
	t2Cols2021Docs  = []string{"made", "repealed", "in_force"}
	t2Cols2019Docs  = []string{"new_made", "new_published", "total_published"}
	t2Cols2019Items = []string{"prev_items", "change", "decisions"}
)

// t2Layout returns table 二's sub-tables for a format: caption, the header
// labels of the value columns, and the rows.
type t2Sub struct {
	caption string
	headers []string
	rows    []t2Row
}

func t2Layout(format string) []t2Sub {
	if format == "2021" {
		return []t2Sub{
			{"第二十条第（一）项", []string{"本年制发件数", "本年废止件数", "现行有效件数"}, []t2Row{
				{"rules", "规章", t2Cols2021Docs}, {"normative", "行政规范性文件", t2Cols2021Docs}}},
			{"第二十条第（五）项", []string{"本年处理决定数量"}, []t2Row{
				{"licensing", "行政许可", []string{"decisions"}}}},
			{"第二十条第（六）项", []string{"本年处理决定数量"}, []t2Row{
				{"penalty", "行政处罚", []string{"decisions"}}, {"coercion", "行政强制", []string{"decisions"}}}},
			{"第二十条第（八）项", []string{"本年收费金额（单位：万元）"}, []t2Row{
				{"fees", "行政事业性收费", []string{"amount_wan_yuan"}}}},
		}
	}
	return []t2Sub{
		{"第二十条第（一）项", []string{"本年新制作数量", "本年新公开数量", "对外公开总数量"}, []t2Row{
			{"rules", "规章", t2Cols2019Docs}, {"normative", "规范性文件", t2Cols2019Docs}}},
		{"第二十条第（五）项", []string{"上一年项目数量", "本年增/减", "处理决定数量"}, []t2Row{
			{"licensing", "行政许可", t2Cols2019Items}, {"other_services", "其他对外管理服务事项", t2Cols2019Items}}},
		{"第二十条第（六）项", []string{"上一年项目数量", "本年增/减", "处理决定数量"}, []t2Row{
			{"penalty", "行政处罚", t2Cols2019Items}, {"coercion", "行政强制", t2Cols2019Items}}},
		{"第二十条第（八）项", []string{"上一年项目数量", "本年增/减"}, []t2Row{
			{"fees", "行政事业性收费", []string{"prev_items", "change"}}}},
		{"第二十条第（九）项", []string{"采购项目数量", "采购总金额"}, []t2Row{
			{"procurement", "政府集中采购", []string{"items", "amount_yuan"}}}},
	}
}

// T3Cols are table 三's value columns; the last is the 总计 column.
var t3Cols = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

// t3Row is one data row of table 三 with its printed label and the group
// (rowspan) label it sits under, if any.
type t3Row struct{ row, group, label string }

func t3Results(format string) []t3Row {
	rows := []t3Row{
		{"granted", "", "（一）予以公开"},
		{"partial", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
		{"denied.state_secret", "（三）不予公开", "1.属于国家秘密"},
		{"denied.law_prohibited", "（三）不予公开", "2.其他法律行政法规禁止公开"},
		{"denied.three_safety", "（三）不予公开", "3.危及“三安全一稳定”"},
		{"denied.third_party", "（三）不予公开", "4.保护第三方合法权益"},
		{"denied.internal", "（三）不予公开", "5.属于三类内部事务信息"},
		{"denied.process", "（三）不予公开", "6.属于四类过程性信息"},
		{"denied.enforcement", "（三）不予公开", "7.属于行政执法案卷"},
		{"denied.query", "（三）不予公开", "8.属于行政查询事项"},
		{"unable.no_info", "（四）无法提供", "1.本机关不掌握相关政府信息"},
		{"unable.need_creation", "（四）无法提供", "2.没有现成信息需要另行制作"},
		{"unable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"},
		{"rejected.complaint", "（五）不予处理", "1.信访举报投诉类申请"},
		{"rejected.duplicate", "（五）不予处理", "2.重复申请"},
		{"rejected.publication", "（五）不予处理", "3.要求提供公开出版物"},
		{"rejected.excessive", "（五）不予处理", "4.无正当理由大量反复申请"},
		{"rejected.confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"},
	}
	if format == "2021" {
		return append(rows,
			t3Row{"other.no_correction", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
			t3Row{"other.no_fee", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
			t3Row{"other.other", "（六）其他处理", "3.其他"})
	}
	return append(rows, t3Row{"other", "", "（六）其他处理"})
}

// t3Rows is every data row of table 三 in print order.
func t3Rows(format string) []t3Row {
	rows := []t3Row{
		{"new", "", "一、本年新收政府信息公开申请数量"},
		{"carried_in", "", "二、上年结转政府信息公开申请数量"},
	}
	rows = append(rows, t3Results(format)...)
	return append(rows,
		t3Row{"result_total", "", "（七）总计"},
		t3Row{"carried_out", "", "四、结转下年度继续办理"})
}

// t4Cols are table 四's fifteen columns in print order.
var t4Cols = func() []string {
	var cols []string
	for _, g := range []string{"review", "suit_direct", "suit_after_review"} {
		for _, c := range []string{"upheld", "corrected", "other", "pending", "total"} {
			cols = append(cols, g+"."+c)
		}
	}
	return cols
}()

// values holds a report's numbers as decimal strings keyed "t3.new.natural".
// Every cell the format prints has an entry ("0" for zero).
type values map[string]string

func (v values) int(key string) int64 {
	n, err := strconv.ParseInt(v[key], 10, 64)
	if err != nil {
		panic(fmt.Sprintf("sampleportal: cell %s is %q, not an integer", key, v[key]))
	}
	return n
}

func (v values) add(key string, d int64) { v[key] = strconv.FormatInt(v.int(key)+d, 10) }

// scale says how busy an agency is: a district government receives tens of
// applications a year, a bureau a handful, a town often none.
type scale int

const (
	scaleGov scale = iota
	scaleDept
	scaleTown
)

// genValues draws a balanced report: I1–I4 hold in every column and row.
func genValues(rng *rand.Rand, format string, sc scale, prev values) values {
	v := values{}
	n := func(max int) int64 {
		if max <= 0 {
			return 0
		}
		return int64(rng.IntN(max + 1))
	}
	// Table 二.
	switch format {
	case "2021":
		for _, r := range []string{"rules", "normative"} {
			made, rep := n(0), n(0)
			if r == "normative" && sc != scaleTown {
				made, rep = n(6), n(2)
			}
			inForce := made
			if r == "normative" {
				inForce += n(30)
			}
			if _, ok := prev["t2."+r+".in_force"]; ok {
				// 现行有效 rolls forward: last year's stock + made − repealed (H2).
				base := prev.int("t2." + r + ".in_force")
				rep = min(rep, base+made)
				inForce = base + made - rep
			}
			v["t2."+r+".made"] = itoa(made)
			v["t2."+r+".repealed"] = itoa(rep)
			v["t2."+r+".in_force"] = itoa(inForce)
		}
		big := map[scale]int{scaleGov: 3000, scaleDept: 400, scaleTown: 20}[sc]
		licensing := n(big)
		if sc == scaleGov {
			licensing = 1000 + n(2000) // a district government decides thousands
		}
		v["t2.licensing.decisions"] = itoa(licensing)
		v["t2.penalty.decisions"] = itoa(n(big / 5))
		v["t2.coercion.decisions"] = itoa(n(big / 100))
		cents := int64(0)
		if sc != scaleTown && rng.IntN(2) == 0 {
			cents = n(500000)
		}
		v["t2.fees.amount_wan_yuan"] = centsToDecimal(cents)
	default:
		for _, r := range []string{"rules", "normative"} {
			made := int64(0)
			if r == "normative" && sc != scaleTown {
				made = n(6)
			}
			v["t2."+r+".new_made"] = itoa(made)
			v["t2."+r+".new_published"] = itoa(made)
			v["t2."+r+".total_published"] = itoa(made + n(40)*int64(boolInt(r == "normative")))
		}
		// 上一年项目数量 continues from last year's count and change (H3).
		items := func(r string, max int) int64 {
			if _, ok := prev["t2."+r+".prev_items"]; ok {
				return prev.int("t2."+r+".prev_items") + prev.int("t2."+r+".change")
			}
			return n(max)
		}
		for _, r := range []string{"licensing", "other_services", "penalty", "coercion"} {
			items := items(r, map[scale]int{scaleGov: 200, scaleDept: 60, scaleTown: 5}[sc])
			v["t2."+r+".prev_items"] = itoa(items)
			v["t2."+r+".change"] = itoa(max(n(6)-3, -items))
			v["t2."+r+".decisions"] = itoa(n(int(items) * 3))
		}
		fees := items("fees", 8)
		v["t2.fees.prev_items"] = itoa(fees)
		v["t2.fees.change"] = itoa(max(n(2)-1, -fees))
		bought := n(map[scale]int{scaleGov: 30, scaleDept: 6, scaleTown: 2}[sc])
		v["t2.procurement.items"] = itoa(bought)
		v["t2.procurement.amount_yuan"] = itoa(bought * (n(400) + 20) * 1000)
	}

	// Table 三, column by column, then the 总计 column as the row sums.
	results := t3Results(format)
	weights := map[string]int{"granted": 8, "partial": 2, "unable.no_info": 3, "rejected.duplicate": 1,
		"denied.third_party": 1, "denied.process": 1, "rejected.complaint": 1, "unable.unclear": 1,
		"other.no_correction": 1, "other": 1}
	volume := map[scale]int{scaleGov: 40, scaleDept: 6, scaleTown: 2}[sc]
	for ci, c := range t3Cols[:6] {
		count := 0
		switch {
		case ci == 0:
			count = int(n(volume))
		case rng.IntN(4) == 0:
			count = int(n(volume/8 + 1))
		}
		per := map[string]int64{}
		for i := 0; i < count; i++ {
			per[pickWeighted(rng, results, weights)]++
		}
		var sum int64
		for _, r := range results {
			v["t3."+r.row+"."+c] = itoa(per[r.row])
			sum += per[r.row]
		}
		out := int64(0)
		if ci == 0 && sc == scaleGov {
			out = n(3)
		}
		in := n(int(min(sum+out, 2)))
		if _, ok := prev["t3.carried_out."+c]; ok {
			// 上年结转 is last year's 结转下年度 (H1); whatever came in was
			// answered this year.
			in = prev.int("t3.carried_out." + c)
			if in > sum+out {
				per["granted"] += in - sum - out
				v["t3.granted."+c] = itoa(per["granted"])
				sum = in - out
			}
		}
		v["t3.result_total."+c] = itoa(sum)
		v["t3.carried_out."+c] = itoa(out)
		v["t3.carried_in."+c] = itoa(in)
		v["t3.new."+c] = itoa(sum + out - in)
	}
	for _, r := range t3Rows(format) {
		var sum int64
		for _, c := range t3Cols[:6] {
			sum += v.int("t3." + r.row + "." + c)
		}
		v["t3."+r.row+".total"] = itoa(sum)
	}

	// Table 四: three groups of four outcomes and their 总计.
	for _, g := range []string{"review", "suit_direct", "suit_after_review"} {
		var sum int64
		for _, o := range []string{"upheld", "corrected", "other", "pending"} {
			x := int64(0)
			if sc == scaleGov && rng.IntN(3) == 0 {
				x = n(3)
			}
			v["t4.all."+g+"."+o] = itoa(x)
			sum += x
		}
		v["t4.all."+g+".total"] = itoa(sum)
	}
	return v
}

// breakRule makes a balanced report break exactly one rule, the way real
// reports do (pingtan-2020: result rows exceed （七）总计 by 6).
func breakRule(v values, rule string) {
	switch rule {
	case "i1_balance": // 一 printed too high in the 自然人 column; 总计 column follows.
		v.add("t3.new.natural", 2)
		v.add("t3.new.total", 2)
	case "i2_results": // a result row too high; the row's 总计 stays consistent.
		v.add("t3.granted.natural", 6)
		v.add("t3.granted.total", 6)
	case "i3_total_column": // two 总计 cells off in opposite directions: column sums still agree.
		if v.int("t3.granted.total") == 0 {
			v.add("t3.granted.natural", 1)
			v.add("t3.granted.total", 1)
			v.add("t3.result_total.natural", 1)
			v.add("t3.result_total.total", 1)
			v.add("t3.new.natural", 1)
			v.add("t3.new.total", 1)
		}
		v.add("t3.granted.total", -1)
		v.add("t3.unable.no_info.total", 1)
	case "i4_review_suit": // 复议 总计 printed one higher than its parts.
		v.add("t4.all.review.total", 1)
	default:
		panic("sampleportal: unknown rule " + rule)
	}
}

func pickWeighted(rng *rand.Rand, rows []t3Row, w map[string]int) string {
	total := 0
	for _, r := range rows {
		total += max(w[r.row], 0)
	}
	k := rng.IntN(total)
	for _, r := range rows {
		k -= w[r.row]
		if k < 0 {
			return r.row
		}
	}
	return rows[0].row
}

// formatFor is the national format a report for year y is written in:
// 国办公开办函〔2019〕60号 for 2019–2020, 〔2021〕30号 after.
func formatFor(y int) string {
	if y <= 2020 {
		return "2019"
	}
	return "2021"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// centsToDecimal renders hundredths as a decimal with trailing zeros dropped
// ("1250" → "12.5"), the form the extractor reports.
func centsToDecimal(c int64) string {
	s := fmt.Sprintf("%d.%02d", c/100, c%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// keys lists every printed cell of a format in print order.
func keys(format string) []string {
	var ks []string
	for _, sub := range t2Layout(format) {
		for _, r := range sub.rows {
			for _, c := range r.cols {
				ks = append(ks, "t2."+r.row+"."+c)
			}
		}
	}
	for _, r := range t3Rows(format) {
		for _, c := range t3Cols {
			ks = append(ks, "t3."+r.row+"."+c)
		}
	}
	for _, c := range t4Cols {
		ks = append(ks, "t4.all."+c)
	}
	return ks
}
