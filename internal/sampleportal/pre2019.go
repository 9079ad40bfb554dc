package sampleportal

import (
	"fmt"
	"html"
	"strings"
)

// pre2019Body is a free-form report from before the 2019 national format
// (format.md §8 item 14): seven sections and a 2014-style statistics table
// (统计指标 | 单位 | 统计数) that is not table 三.
func pre2019Body(agency string, year int) string {
	var b strings.Builder
	p := func(s string) { fmt.Fprintf(&b, "<p style=\"text-indent:2em\">%s</p>\n", html.EscapeString(s)) }
	p(fmt.Sprintf("本报告根据《中华人民共和国政府信息公开条例》要求，由%s编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，政府信息公开工作存在的主要问题及改进情况，其他需要报告的事项，附表。本报告中所列数据的统计期限自%d年1月1日起至%d年12月31日止。", agency, year, year))
	for _, sec := range []string{
		"一、概述", "二、主动公开政府信息情况", "三、依申请公开政府信息情况", "四、政府信息公开的收费及减免情况",
		"五、因政府信息公开申请行政复议、提起行政诉讼的情况", "六、政府信息公开工作存在的主要问题及改进情况", "七、其他需要报告的事项",
	} {
		fmt.Fprintf(&b, "<p><strong>%s</strong></p>\n", sec)
		switch sec {
		case "三、依申请公开政府信息情况":
			p(fmt.Sprintf("%d年共受理政府信息公开申请12件，其中同意公开9件，同意部分公开1件，不属于本行政机关公开范围2件。", year))
		case "五、因政府信息公开申请行政复议、提起行政诉讼的情况":
			p("全年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。")
		default:
			p("按照要求认真开展相关工作。")
		}
	}
	b.WriteString("<p><strong>附表</strong>　政府信息公开情况统计表</p>\n<table border=\"1\" cellspacing=\"0\"><tbody>\n<tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>\n")
	for _, row := range [][3]string{
		{"一、主动公开情况", "", ""}, {"（一）主动公开政府信息数", "条", "1268"}, {"其中：主动公开规范性文件数", "条", "14"},
		{"二、回应解读情况", "", ""}, {"（一）回应公众关注热点或重大舆情数", "次", "6"},
		{"三、依申请公开情况", "", ""}, {"（一）收到申请数", "件", "12"}, {"1．当面申请数", "件", "3"}, {"2．传真申请数", "件", "0"},
		{"3．网络申请数", "件", "7"}, {"4．信函申请数", "件", "2"}, {"（二）申请办结数", "件", "12"}, {"1．按时办结数", "件", "12"},
		{"四、行政复议数量", "件", "0"}, {"五、行政诉讼数量", "件", "0"},
	} {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", row[0], row[1], row[2])
	}
	b.WriteString("</tbody></table>\n")
	return b.String()
}
