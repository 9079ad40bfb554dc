package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// t3Labels are table 三's row labels in the 2021 format, as printed.
var t3Labels = []string{
	"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
	"（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
	"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
	"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
	"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
	"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
	"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
	"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
	"（七）总计", "四、结转下年度继续办理",
}

// TestParsePartlyUnreadable: a page whose table 四 cannot be read still
// prints table 三's cells, a warning per problem, and exits 0.
func TestParsePartlyUnreadable(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><head><title>新乡市牧野区人民政府2021年政府信息公开工作年度报告</title></head><body>
<p>三、收到和处理政府信息公开申请情况</p><table border="1">
<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>`)
	for i, l := range t3Labels {
		// Label cells as the national format merges them (format.md §3.2).
		var label string
		switch {
		case i < 2 || i == 24:
			label = `<td colspan="3">` + l + `</td>`
		case i == 2:
			label = `<td rowspan="22">三、本年度办理结果</td><td colspan="2">` + l + `</td>`
		case i == 3 || i == 23:
			label = `<td colspan="2">` + l + `</td>`
		default:
			groups := map[int]string{4: `<td rowspan="8">（三）不予公开</td>`, 12: `<td rowspan="3">（四）无法提供</td>`,
				15: `<td rowspan="5">（五）不予处理</td>`, 20: `<td rowspan="3">（六）其他处理</td>`}
			label = groups[i] + `<td>` + l + `</td>`
		}
		values := strings.Repeat("<td>0</td>", 7)
		switch i {
		case 0, 23: // 一、本年新收 and （七）总计: 3 applications from 自然人
			values = "<td>3</td>" + strings.Repeat("<td>0</td>", 5) + "<td>3</td>"
		case 9:
			values = "<td>见附件</td>" + strings.Repeat("<td>0</td>", 6) // not a number
		}
		b.WriteString("<tr>" + label + values + "</tr>\n")
	}
	b.WriteString(`</table><p>四、政府信息公开行政复议、行政诉讼情况</p>
<table border="1"><tr><td>行政复议</td><td>行政诉讼</td></tr><tr><td>详见附件</td><td>详见附件</td></tr></table></body></html>`)
	path := filepath.Join(t.TempDir(), "partly.html")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "parse", "--json", path)
	if code != 0 {
		t.Fatalf("parse --json = exit %d (%s); want 0 for a partly readable page", code, stderr)
	}
	var rep struct {
		Year  int
		Cells []struct {
			Table, Row, Col string
			Value           *string
			Raw             string
		}
		Warnings []struct{ Code, Table, Row, Col, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("parse --json output is not one JSON object: %v\n%s", err, stdout)
	}
	got := map[string]string{}
	for _, c := range rep.Cells {
		v := "null"
		if c.Value != nil {
			v = *c.Value
		}
		got[c.Table+"."+c.Row+"."+c.Col] = v
	}
	for k, want := range map[string]string{"t3.new.natural": "3", "t3.new.total": "3", "t3.result_total.total": "3", "t3.carried_out.natural": "0", "t3.denied.process.natural": "null"} {
		if got[k] != want {
			t.Errorf("cell %s = %q; want %q", k, got[k], want)
		}
	}
	var notNumber, t4Missing bool
	for _, w := range rep.Warnings {
		if w.Code == "not_a_number" && w.Table == "t3" && w.Row == "denied.process" && strings.Contains(w.Message, "见附件") {
			notNumber = true
		}
		if w.Table == "t4" || strings.Contains(w.Message, "四") {
			t4Missing = true
		}
	}
	if !notNumber {
		t.Errorf("warnings %+v; want not_a_number for t3 denied.process naming 见附件", rep.Warnings)
	}
	if !t4Missing {
		t.Errorf("warnings %+v; want one about the unreadable table 四", rep.Warnings)
	}
}

// TestParseManyFiles (issue 10): `parse a b c` prints every readable file,
// an error line naming each unreadable one, and exits 1 at the end.
func TestParseManyFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	if err := os.WriteFile(good, []byte("新乡市牧野区人民政府\n\n2021年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.html")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.html")
	readme := filepath.Join(dir, "README.md")
	if err := os.WriteFile(readme, []byte("# notes\n\nnothing to see\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "parse", "--json", missing, good, empty, readme, good)
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d JSON lines; want 3 (good, README, good):\n%s", len(lines), stdout)
	}
	var srcs []string
	for _, l := range lines {
		var rep struct {
			Source     string `json:"source"`
			Agency     string `json:"agency"`
			NotAReport bool   `json:"not_a_report"`
		}
		if err := json.Unmarshal([]byte(l), &rep); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		srcs = append(srcs, rep.Source)
		if rep.Source == readme && !rep.NotAReport {
			t.Errorf("README not flagged not_a_report")
		}
	}
	if strings.Join(srcs, " ") != good+" "+readme+" "+good {
		t.Errorf("printed %v", srcs)
	}
	for _, f := range []string{missing, empty} {
		if strings.Count(stderr, f) != 1 {
			t.Errorf("stderr names %s %d times; want once:\n%s", f, strings.Count(stderr, f), stderr)
		}
	}
	if !strings.Contains(stderr, "2 of 5 files") {
		t.Errorf("stderr lacks the summary: %s", stderr)
	}
}

// TestParsePDF: parse --json reads a PDF (sniffed from its bytes, whatever
// its name) into the same cells as the HTML it was printed from, each with
// its page and box, and the file's sha256.
func TestParsePDF(t *testing.T) {
	pdf, err := os.ReadFile("../../extract/testdata/attach/full-2021.pdf")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "P020220128.bin") // portals name files oddly
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "parse", "--json", path, "../../extract/testdata/full-2021.html")
	if code != 0 {
		t.Fatalf("parse --json = exit %d (%s)", code, stderr)
	}
	type cell struct {
		Table, Row, Col string
		Value           *string
		Page            int
		Box             *[4]float64
	}
	var reps []struct {
		Kind, SHA256 string
		Year         int
		Cells        []cell
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var r struct {
			Kind, SHA256 string
			Year         int
			Cells        []cell
		}
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	if len(reps) != 2 || reps[0].Kind != "pdf" || len(reps[0].SHA256) != 64 || reps[1].Kind != "html" {
		t.Fatalf("got %d reports, kinds/sha %+v", len(reps), reps)
	}
	html := map[string]string{}
	for _, c := range reps[1].Cells {
		html[c.Table+"."+c.Row+"."+c.Col] = show(c.Value)
	}
	if len(reps[0].Cells) != len(html) || len(html) < 200 {
		t.Errorf("pdf %d cells, html %d", len(reps[0].Cells), len(html))
	}
	for _, c := range reps[0].Cells {
		if k := c.Table + "." + c.Row + "." + c.Col; html[k] != show(c.Value) || c.Page < 1 || c.Box == nil {
			t.Errorf("%s = %s page %d box %v; html %s", k, show(c.Value), c.Page, c.Box, html[k])
		}
	}
}
