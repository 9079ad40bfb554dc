package sampleportal

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// Legacy ASP.NET site of 范县 (portals.md §1.9, §6 item 6): GBK pages with
// the charset only in <meta>, a list paged by ?page=N with 下一页/尾页 links
// and "共N页", a 2000s table layout (td.xin2zuo, bracketed dates
// [2022-01-28]), details at ShowInfo.aspx?id=N with &nbsp;-padded cells.

const (
	lgList    = "/InfoPublic.aspx"
	lgCID     = "1019"
	lgPerPage = 6
)

func (p *Portal) addLegacy() error {
	const portal, region = "范县人民政府", "410926"
	agencies := []agency{
		{"范县人民政府", region, scaleGov}, {"范县发展和改革委员会", region, scaleDept}, {"范县王楼镇人民政府", region, scaleTown},
	}
	s := &site{host: HostLegacy, pages: map[string]*page{}}
	p.addSite(s)
	p.portals = append(p.portals, PortalConfig{Name: portal, RegionCode: region, Family: "legacy",
		StartURLs:      []string{"http://" + HostLegacy + lgList + "?cid=" + lgCID + "&page=1"},
		AllowedDomains: []string{HostLegacy}})
	details := map[string]*page{} // by id
	var items []listItem
	last := map[string]values{}
	id := 4500
	for y := 2019; y <= 2023; y++ {
		for i, ag := range agencies {
			id += 3
			format := formatFor(y)
			r := newReport(p.opts.Seed, HostLegacy, "legacy", portal, ag, y, format,
				look{zero: zeroAsBlank, nbspPad: true, t2Split: true}, last[ag.name])
			last[ag.name] = r.vals
			r.published = day(y+1, 1, 12+i*5)
			r.path = fmt.Sprintf("/ShowInfo.aspx?id=%d", id)
			pg, err := gbkPage(lgDetail(r.title, r.published.Format("2006-01-02"), r.body()), r.published)
			if err != nil {
				return fmt.Errorf("%s: %w", r.path, err)
			}
			details[strconv.Itoa(id)] = pg
			p.reports = append(p.reports, r)
			items = append(items, listItem{href: r.path, title: r.title, date: r.published, report: r})
		}
	}
	guide := listItem{href: "/ShowInfo.aspx?id=4490", title: "范县政府信息公开指南", date: day(2021, 6, 1)}
	pg, err := gbkPage(lgDetail(guide.title, "2021-06-01", "<p>本指南说明政府信息公开的范围和方式。</p>"), guide.date)
	if err != nil {
		return err
	}
	details["4490"] = pg
	items = append(items, guide)
	sortItems(items)
	pages := (len(items) + lgPerPage - 1) / lgPerPage
	lists := map[int]*page{}
	for n := 1; n <= pages; n++ {
		pg, err := gbkPage(lgListPage(items[(n-1)*lgPerPage:min(n*lgPerPage, len(items))], n, pages), items[0].date)
		if err != nil {
			return err
		}
		lists[n] = pg
	}
	// Validators must be set here: dynamic pages are not in s.pages.
	for _, pg := range lists {
		pg.etag = etagOf(pg.body)
	}
	for _, pg := range details {
		pg.etag = etagOf(pg.body)
	}
	home, err := gbkPage(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>范县人民政府</title></head><body><a href="`+lgList+`?cid=`+lgCID+`&page=1">政府信息公开年报</a></body></html>`, day(2024, 1, 1))
	if err != nil {
		return err
	}
	s.pages["/"] = home
	s.handle = func(p *Portal, w http.ResponseWriter, r *http.Request) bool {
		var pg *page
		switch r.URL.Path {
		case lgList:
			n, err := strconv.Atoi(r.URL.Query().Get("page"))
			if r.URL.Query().Get("page") == "" {
				n, err = 1, nil
			}
			if r.URL.Query().Get("cid") != lgCID || err != nil {
				// ASP.NET's error page, with a 200 as such sites send it.
				writeHTML(w, http.StatusOK, "text/html", `<html><body><h2>Server Error in '/' Application.</h2><p>Input string was not in a correct format.</p></body></html>`)
				return true
			}
			pg = lists[n]
		case "/ShowInfo.aspx":
			pg = details[r.URL.Query().Get("id")]
		default:
			return false
		}
		if pg == nil {
			// The list and detail scripts answer a missing page with an empty
			// shell, not a 404.
			writeHTML(w, http.StatusOK, "text/html", `<html><body><table><tr><td class="xin2zuo">暂无信息</td></tr></table></body></html>`)
			return true
		}
		p.writePage(w.(*statusWriter), r, pg, p.stateOf(r))
		return true
	}
	return nil
}

const lgHead = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
`

func lgListPage(items []listItem, n, pages int) string {
	var b strings.Builder
	b.WriteString(lgHead + `<title>政府信息公开年报-范县人民政府</title></head>
<body><table width="980" border="0" cellspacing="0" cellpadding="0" align="center"><tr><td class="weizhi">当前位置：<a href="/">首页</a> &gt;&gt; 政府信息公开 &gt;&gt; 政府信息公开年报</td></tr></table>
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center" class="list">
`)
	for _, it := range items {
		fmt.Fprintf(&b, `<tr><td width="20"><img src="/images/dot.gif"></td><td class="xin2zuo"><a href="%s" target="_blank">%s</a></td><td class="xin2you" width="100">[%s]</td></tr>`+"\n",
			html.EscapeString(it.href), html.EscapeString(it.title), it.date.Format("2006-01-02"))
	}
	b.WriteString(`</table><table width="980" align="center"><tr><td class="fenye">`)
	link := func(k int, text string) {
		fmt.Fprintf(&b, `<a href="%s?cid=%s&amp;page=%d">%s</a>&nbsp;`, lgList, lgCID, k, text)
	}
	link(1, "首页")
	if n > 1 {
		link(n-1, "上一页")
	}
	if n < pages {
		link(n+1, "下一页")
	}
	link(pages, "尾页")
	fmt.Fprintf(&b, `共%d页&nbsp;当前第%d页</td></tr></table></body></html>`, pages, n)
	return b.String()
}

func lgDetail(title, date, body string) string {
	return lgHead + fmt.Sprintf(`<title>%s</title></head>
<body><table width="980" border="0" align="center"><tr><td class="biaoti" align="center">%s</td></tr>
<tr><td class="shijian" align="center">发布日期：%s&nbsp;&nbsp;来源：范县人民政府办公室&nbsp;&nbsp;点击数：<span id="hits"></span></td></tr>
<tr><td class="context">%s</td></tr></table></body></html>`, html.EscapeString(title), html.EscapeString(title), date, body)
}
