package extract_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// t3Labels2021 are table 三's row labels in the 2021 format, in print order.
var t3Labels2021 = [][2]string{
	{"new", "一、本年新收政府信息公开申请数量"}, {"carried_in", "二、上年结转政府信息公开申请数量"},
	{"granted", "（一）予以公开"}, {"partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
	{"denied.state_secret", "1.属于国家秘密"}, {"denied.law_prohibited", "2.其他法律行政法规禁止公开"},
	{"denied.three_safety", "3.危及“三安全一稳定”"}, {"denied.third_party", "4.保护第三方合法权益"},
	{"denied.internal", "5.属于三类内部事务信息"}, {"denied.process", "6.属于四类过程性信息"},
	{"denied.enforcement", "7.属于行政执法案卷"}, {"denied.query", "8.属于行政查询事项"},
	{"unable.no_info", "1.本机关不掌握相关政府信息"}, {"unable.need_creation", "2.没有现成信息需要另行制作"},
	{"unable.unclear", "3.补正后申请内容仍不明确"},
	{"rejected.complaint", "1.信访举报投诉类申请"}, {"rejected.duplicate", "2.重复申请"},
	{"rejected.publication", "3.要求提供公开出版物"}, {"rejected.excessive", "4.无正当理由大量反复申请"},
	{"rejected.confirm", "5.要求行政机关确认或重新出具已获取信息"},
	{"other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
	{"other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
	{"other.other", "3.其他"},
	{"result_total", "（七）总计"}, {"carried_out", "四、结转下年度继续办理"},
}

var t3ColCodes = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

const t3Header = `<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>` +
	`<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>` +
	`<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>`

// t3Table writes a 2021 table 三 with row i's values "i 0 0 0 0 0 i";
// edit may change a row's label and values before it is written: a value
// starting with "<" is written as markup, "-" is left out (covered by a
// rowspan from above).
func t3Table(edit func(code string, label *string, vals []string) (skip bool)) string {
	var b strings.Builder
	b.WriteString(`<p>三、收到和处理政府信息公开申请情况</p><table border="1">` + t3Header)
	for i, r := range t3Labels2021 {
		label := r[1]
		n := fmt.Sprint(i)
		vals := []string{n, "0", "0", "0", "0", "0", n}
		if edit != nil && edit(r[0], &label, vals) {
			continue
		}
		b.WriteString(`<tr><td colspan="3">` + label + `</td>`)
		for _, v := range vals {
			switch {
			case v == "-":
			case strings.HasPrefix(v, "<"):
				b.WriteString(v)
			default:
				b.WriteString("<td>" + v + "</td>")
			}
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

func parseHTML(t *testing.T, body string) *extract.Report {
	t.Helper()
	rep, err := extract.Parse(extract.Input{Source: t.Name() + ".html", Body: []byte(`<html><head><meta charset="utf-8"><title>青山区人民政府2021年政府信息公开工作年度报告</title></head><body>` + body + `</body></html>`)})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestMergedValueCells: value cells merged by rowspan over the three
// sub-rows of （六）其他处理 give every sub-row its value, with a
// merged_value warning and doubt; no printed row is missing.
func TestMergedValueCells(t *testing.T) {
	page := t3Table(func(code string, label *string, vals []string) bool {
		for i := range vals {
			switch code {
			case "other.no_correction":
				vals[i] = `<td rowspan="3">0</td>`
			case "other.no_fee", "other.other":
				vals[i] = "-"
			}
		}
		return false
	})
	rep := parseHTML(t, page)
	got := cellMap(rep)
	for _, r := range t3Labels2021 {
		for _, col := range t3ColCodes {
			key := "t3." + r[0] + "." + col
			c, ok := got[key]
			if !ok {
				t.Errorf("%s missing", key)
				continue
			}
			merged := strings.HasPrefix(r[0], "other.")
			if merged && (c.Value == nil || *c.Value != "0" || !slices.Contains(c.Doubts, extract.DoubtMergedValue) || !hasWarning(rep, "merged_value:"+key)) {
				t.Errorf("%s = %s doubts %v; want 0 with merged_value doubt and warning", key, show(c.Value), c.Doubts)
			}
			if !merged && len(c.Doubts) > 0 {
				t.Errorf("%s doubts %v; want none", key, c.Doubts)
			}
		}
	}
	if rep.Format != "2021" {
		t.Errorf("format %q", rep.Format)
	}
}

const t2Table2021 = `<p>二、主动公开政府信息情况</p><table border="1">` +
	`<tr><td colspan="4">第二十条第（一）项</td></tr>` +
	`<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>` +
	`<tr><td>规章</td><td>0</td><td>0</td><td>3</td></tr>` +
	`<tr><td>行政规范性文件</td><td>5</td><td>1</td><td>40</td></tr>` +
	`<tr><td colspan="4">第二十条第（五）项</td></tr>` +
	`<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>` +
	`<tr><td>行政许可</td><td colspan="3">120</td></tr>` +
	`<tr><td colspan="4">第二十条第（八）项</td></tr>` +
	`<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>` +
	`<tr><td>行政事业性收费</td><td colspan="3">12.5</td></tr></table>`

// TestMixedTemplate: a 2021 table 二 with a table 三 that keeps 2019's
// single （六）其他处理 row is a 2021 report, warned mixed_format, with
// table 三's own format recorded and its row read as "other".
func TestMixedTemplate(t *testing.T) {
	page := t2Table2021 + t3Table(func(code string, label *string, vals []string) bool {
		switch code {
		case "other.no_correction":
			*label = "（六）其他处理"
		case "other.no_fee", "other.other":
			return true
		}
		return false
	})
	rep := parseHTML(t, page)
	if rep.Format != extract.Format2021 || rep.TableFormats["t2"] != "2021" || rep.TableFormats["t3"] != "2019" || !hasWarning(rep, extract.WarnMixedFormat) {
		t.Errorf("format %q, table formats %v, warnings %+v; want 2021, t2 2021, t3 2019, mixed_format", rep.Format, rep.TableFormats, rep.Warnings)
	}
	got := cellMap(rep)
	if c, ok := got["t3.other.total"]; !ok || show(c.Value) != `"20"` {
		t.Errorf("t3.other.total = %+v; want 20", c)
	}
	for key := range got {
		if strings.HasPrefix(key, "t3.other.no_") || strings.HasPrefix(key, "t3.other.other.") {
			t.Errorf("%s: a 2019-style table 三 has no sub-rows of （六）", key)
		}
	}
	if c := got["t2.fees.amount_wan_yuan"]; show(c.Value) != `"12.5"` {
		t.Errorf("t2.fees = %s", show(c.Value))
	}
}

// TestMisprintedLabel: a misprinted row label is matched by the format's
// fixed row order and repaired with a warning, not dropped; an unrelated
// extra row stays unmapped.
func TestMisprintedLabel(t *testing.T) {
	page := t3Table(func(code string, label *string, vals []string) bool {
		switch code {
		case "denied.law_prohibited":
			*label = "2.其他法律行政止公开"
		case "rejected.publication":
			*label = "3.要求提供公开出版"
		case "denied.third_party":
			*label = "（三）不予公开小计" // not a misprint of 4.保护第三方合法权益
		}
		return false
	})
	rep := parseHTML(t, page)
	got := cellMap(rep)
	for _, key := range []string{"t3.denied.law_prohibited", "t3.rejected.publication"} {
		c, ok := got[key+".total"]
		if !ok || !slices.Contains(c.Doubts, extract.DoubtLabelRepaired) || !hasWarning(rep, "label_repaired:"+key+".") {
			t.Errorf("%s.total = %+v (present %v); want read with label_repaired", key, c, ok)
		}
	}
	if want := `"5"`; show(got["t3.denied.law_prohibited.natural"].Value) != want {
		t.Errorf("law_prohibited.natural = %s; want %s", show(got["t3.denied.law_prohibited.natural"].Value), want)
	}
	if _, ok := got["t3.denied.third_party.total"]; ok {
		t.Errorf("a row unlike 保护第三方合法权益 was repaired into it")
	}
	if c := got["t3.denied.three_safety.total"]; len(c.Doubts) != 0 {
		t.Errorf("a plainly read row has doubts %v", c.Doubts)
	}
}
