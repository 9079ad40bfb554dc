package sampleportal

import (
	"encoding/json"
	"fmt"
	"html"
	"slices"
	"strings"
	"time"
)

// Host names of the virtual sites. The off-domain host is linked from lists
// but belongs to no portal: a crawler must never request it.
const (
	HostSitesources = "www.xxmyq.mock.gov.test"
	HostTRS         = "trs.mock.gov.test"
	HostHanweb      = "hanweb.mock.gov.test"
	HostGkmlpt      = "gkmlpt.mock.gov.test"
	HostLegacy      = "www.fanxian.mock.gov.test"
	HostOffDomain   = "www.gov.cn.mock.test"
)

const ssBase = "/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/"

// listItem is one entry of a column list.
type listItem struct {
	href, title string
	date        time.Time
	// report is set for annual reports, nil for other items.
	report *report
}

func utf8Page(body string, mod time.Time) *page {
	return &page{body: []byte(body), ctype: "text/html; charset=utf-8", mod: mod}
}

func day(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
}

// addSitesources builds the Henan "sitesources/page_pc" site of 新乡市牧野区
// (portals.md §1.5): a flat column list1…listN.html with script.json, year
// sub-columns 2019n/… each split into 区政府 and 区直部门 columns.
func (p *Portal) addSitesources() {
	const portal, region = "新乡市牧野区人民政府", "410711"
	agencies := []agency{
		{"新乡市牧野区人民政府", region, scaleGov},
		{"新乡市牧野区民族宗教事务局", region, scaleDept},
		{"新乡市牧野区教育局", region, scaleDept},
		{"新乡市牧野区财政局", region, scaleDept},
	}
	last := 2023
	if p.night >= 1 {
		last = 2024 // a new year column appears
	}
	var reps []*report
	prevVals := map[string]values{}
	for y := 2019; y <= last; y++ {
		for i, ag := range agencies {
			if y == 2024 && i > 0 {
				continue
			}
			format := formatFor(y)
			lk := look{word: i == 0 || y >= 2022, splitDigits: i == 0 && y == 2021, zero: zeroStyle((i + y) % 3), t2Split: i == 3, splitT3: i == 3 && y == 2022}
			var breaks []string
			switch {
			case ag.name == "新乡市牧野区民族宗教事务局" && y == 2020:
				breaks = []string{"i2_results"}
			case ag.name == "新乡市牧野区教育局" && y == 2021:
				breaks = []string{"i1_balance"}
			}
			r := newReport(p.opts.Seed, HostSitesources, "sitesources", portal, ag, y, format, lk, prevVals[ag.name], breaks...)
			prevVals[ag.name] = r.vals
			kind := "qzbmzfxxgkgzndbg"
			r.published = day(y+1, 1, 18+i*3)
			if i == 0 {
				kind = "qzfxxgkgzndbg"
				r.published = day(y+1, 1, 27)
			}
			if i == 2 && y == 2022 {
				// Year first, 年度: real title variants (portals.md §2.3).
				r.title = fmt.Sprintf("%d年度%s政府信息公开工作年度报告", y, ag.name)
			}
			r.path = fmt.Sprintf("%s%dn/%s/article%s.html", ssBase, y, kind, hexID(ag.name, fmt.Sprint(y)))
			if p.night >= 1 && i == 0 && y == 2023 {
				// Tonight's change: the 2023 government report was corrected.
				r.vals.add("t3.granted.natural", 1)
				r.vals.add("t3.granted.total", 1)
				r.vals.add("t3.result_total.natural", 1)
				r.vals.add("t3.result_total.total", 1)
				r.vals.add("t3.new.natural", 1)
				r.vals.add("t3.new.total", 1)
				r.reprint()
				r.published = day(2024, 2, 5)
			}
			reps = append(reps, r)
		}
	}
	s := &site{host: HostSitesources, pages: map[string]*page{}}
	p.addSite(s)
	p.reports = append(p.reports, reps...)
	p.portals = append(p.portals, PortalConfig{Name: portal, RegionCode: region, Family: "sitesources",
		StartURLs:      []string{"http://" + HostSitesources + ssBase + "list1.html"},
		AllowedDomains: []string{HostSitesources}})

	for _, r := range reps {
		s.pages[r.path] = utf8Page(ssDetail(r.title, r.published, "牧野区人民政府", ssReportBody(r)), r.published)
	}
	guide := listItem{href: ssBase + "article" + hexID("guide") + ".html", title: "新乡市牧野区人民政府信息公开指南", date: day(2023, 3, 2)}
	notice := listItem{href: ssBase + "article" + hexID("notice2022") + ".html", title: "关于做好2022年度政府信息公开工作年度报告编制发布工作的通知", date: day(2022, 12, 20)}
	for _, it := range []listItem{guide, notice} {
		s.pages[it.href] = utf8Page(ssDetail(it.title, it.date, "牧野区人民政府办公室",
			"<p>为进一步做好政府信息公开工作，现将有关事项通知如下。</p><p>各单位要高度重视，按时报送。</p>"), it.date)
	}
	offDomain := listItem{href: "http://" + HostOffDomain + "/zhengce/zhengceku/2021-09/29/content_5640000.htm",
		title: "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知", date: day(2021, 9, 29)}

	var all []listItem
	for _, r := range reps {
		all = append(all, listItem{href: r.path, title: r.title, date: r.published, report: r})
	}
	sortItems(all)
	all = slices.Insert(all, min(2, len(all)), guide)
	all = slices.Insert(all, min(5, len(all)), offDomain)
	all = slices.Insert(all, min(13, len(all)), notice)

	years := []int{}
	for y := last; y >= 2019; y-- {
		years = append(years, y)
	}
	nav := &strings.Builder{}
	nav.WriteString(`<div class="hap_left"><h3>政府信息公开年报</h3><ul class="hap_subnav">`)
	for _, y := range years {
		fmt.Fprintf(nav, `<li><a href="%s%dn/list1.html">%d年</a></li>`, ssBase, y, y)
	}
	nav.WriteString("</ul></div>\n")
	ssList(s, ssBase, "政府信息公开年报", nav.String(), all, 10, true)
	s.pages[ssBase+"index.html"] = s.pages[ssBase+"list1.html"]

	for _, y := range years {
		col := fmt.Sprintf("%s%dn/", ssBase, y)
		var yearItems []listItem
		kinds := map[string][]listItem{}
		for _, it := range all {
			if it.report != nil && it.report.year == y {
				yearItems = append(yearItems, it)
				k := "qzbmzfxxgkgzndbg"
				if strings.Contains(it.href, "/qzfxxgkgzndbg/") {
					k = "qzfxxgkgzndbg"
				}
				kinds[k] = append(kinds[k], it)
			}
		}
		sub := fmt.Sprintf(`<div class="hap_left"><h3>%d年</h3><ul class="hap_subnav"><li><a href="%sqzfxxgkgzndbg/list1.html">区政府信息公开工作年度报告</a></li><li><a href="%sqzbmzfxxgkgzndbg/list1.html">区直部门政府信息公开工作年度报告</a></li></ul></div>`, y, col, col)
		ssList(s, col, fmt.Sprintf("%d年", y), sub, yearItems, 10, false)
		ssList(s, col+"qzfxxgkgzndbg/", "区政府信息公开工作年度报告", sub, kinds["qzfxxgkgzndbg"], 10, false)
		ssList(s, col+"qzbmzfxxgkgzndbg/", "区直部门政府信息公开工作年度报告", sub, kinds["qzbmzfxxgkgzndbg"], 10, false)
	}
	home := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>新乡市牧野区人民政府</title></head><body><div class="hap_nav"><a href="/">首页</a><a href="` + ssBase + `list1.html">政府信息公开年报</a></div></body></html>`
	s.pages["/"] = utf8Page(home, day(2024, 1, 1))
	s.pages["/index.html"] = s.pages["/"]
}

func sortItems(items []listItem) {
	slices.SortStableFunc(items, func(a, b listItem) int {
		if c := b.date.Compare(a.date); c != 0 {
			return c
		}
		return strings.Compare(a.href, b.href)
	})
}

// ssList writes list1…listN.html and script.json for one column. Static
// pager links are written when staticPager is set; otherwise the page count
// is only in script.json, as on 新乡's template.
func ssList(s *site, col, name, nav string, items []listItem, per int, staticPager bool) {
	pages := max(1, (len(items)+per-1)/per)
	mod := day(2019, 1, 1)
	for _, it := range items {
		if it.date.After(mod) {
			mod = it.date
		}
	}
	for pg := 1; pg <= pages; pg++ {
		var b strings.Builder
		fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><title>%s_新乡市牧野区人民政府</title><meta name="SiteName" content="新乡市牧野区人民政府"><meta name="SiteDomain" content="www.xxmyq.gov.cn"><meta name="SiteIDCode" content="4107110001"><meta name="ColumnName" content="%s"><link rel="stylesheet" href="/sitesources/myqzf/page_pc/css/style.css"></head>
<body><div class="hap_top"><a href="/">首页</a> | <a href="javascript:void(0)" id="wza">无障碍</a></div>
<div class="hap_position">当前位置：<a href="/">首页</a> &gt; <a href="%s">政府信息公开</a> &gt; <span>%s</span></div>
`, html.EscapeString(name), html.EscapeString(name), "/sitesources/myqzf/page_pc/zfxxgk/index.html", html.EscapeString(name))
		b.WriteString(nav)
		b.WriteString(`<div class="hap_infoBox"><ul class="hap_list">` + "\n")
		for _, it := range items[(pg-1)*per : min(pg*per, len(items))] {
			href := it.href
			if strings.HasPrefix(href, col) {
				href = "./" + strings.TrimPrefix(href, col)
			}
			fmt.Fprintf(&b, `<li><a href="%s" target="_blank" title="%s">%s</a><span class="hap_date">%s</span></li>`+"\n",
				html.EscapeString(href), html.EscapeString(it.title), html.EscapeString(it.title), it.date.Format("2006-01-02"))
		}
		b.WriteString("</ul></div>\n")
		if staticPager {
			b.WriteString(`<div class="hap_page" id="pageBar">`)
			fmt.Fprintf(&b, `<a href="list1.html">首页</a>`)
			if pg > 1 {
				fmt.Fprintf(&b, `<a href="list%d.html">上一页</a>`, pg-1)
			}
			for i := 1; i <= pages; i++ {
				if i == pg {
					fmt.Fprintf(&b, `<span class="cur">%d</span>`, i)
				} else {
					fmt.Fprintf(&b, `<a href="list%d.html">%d</a>`, i, i)
				}
			}
			if pg < pages {
				fmt.Fprintf(&b, `<a href="list%d.html">下一页</a>`, pg+1)
			}
			fmt.Fprintf(&b, `<a href="list%d.html">尾页</a><span>共%d页</span></div>`+"\n", pages, pages)
		} else {
			b.WriteString(`<div class="hap_page" id="pageBar"></div>` + "\n")
		}
		fmt.Fprintf(&b, `<script type="text/javascript">var curPage=%d;$.ajax({url:"script.json",dataType:"json",headers:{"X-Requested-With":"XMLHttpRequest"},success:function(d){initPage("pageBar",curPage,d.endPage,"list");}});</script>`+"\n</body></html>", pg)
		s.pages[fmt.Sprintf("%slist%d.html", col, pg)] = utf8Page(b.String(), mod)
	}
	js, _ := json.Marshal(map[string]any{"startPage": 1, "endPage": pages, "pageSize": per, "total": len(items), "channelName": name})
	s.pages[col+"script.json"] = &page{body: js, ctype: "application/json;charset=UTF-8", mod: mod}
}

// ssDetail is a sitesources article page.
func ssDetail(title string, pub time.Time, source, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><meta name="SiteName" content="新乡市牧野区人民政府"><meta name="ColumnName" content="政府信息公开年报"><meta name="ArticleTitle" content="%s"></head>
<body><div class="hap_top"><a href="/">首页</a></div>
<div class="hap_position">当前位置：<a href="/">首页</a> &gt; <a href="%slist1.html">政府信息公开年报</a> &gt; 正文</div>
<div class="hap_xq"><div class="hap_xq_tit">%s</div>
<div class="hap_xq_data"><span>发布时间: %s</span> <span>信息来源: %s</span> <span>阅读次数: <em id="readNum"></em></span> <span>字体: <a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a></span></div>
<div class="hap_xq_content">
%s
</div>
<div class="hap_xq_bottom"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div></div>
</body></html>`, html.EscapeString(title), html.EscapeString(title), ssBase, html.EscapeString(title), pub.Format("2006-01-02"), html.EscapeString(source), body)
	return b.String()
}

// ssReportBody puts the title, split over two lines as in the Word original,
// above the report body.
func ssReportBody(r *report) string {
	head := fmt.Sprintf(`<p style="text-align:center"><strong><span style="font-size:22pt">%s</span></strong></p>
<p style="text-align:center"><strong><span style="font-size:22pt">%d年政府信息公开工作年度报告</span></strong></p>
`, html.EscapeString(r.agency.name), r.year)
	return head + r.body()
}
