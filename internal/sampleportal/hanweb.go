package sampleportal

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Hanweb JCMS (大汉) site of 荆门市东宝区 (portals.md §1.3): column pages
// /col/col<id>/index.html holding an inline XML datastore with the first
// three pages of records, further records from a POST to
// /module/web/jpage/dataproxy.jsp that insists on its form fields, Referer
// and X-Requested-With; /art/YYYY/M/D/art_<col>_<doc>.html details with a
// #zoom body; downfile.jsp attachments behind a 302; a 部门 catalogue of
// department columns.

const (
	hwWebID   = "3"
	hwPerPage = 10
	hwMainCol = 17801
	hwDeptCat = 17900
)

// hwColumn is one Hanweb column and its records, newest first.
type hwColumn struct {
	id, unit int
	name     string
	items    []listItem
}

func (c *hwColumn) path() string { return fmt.Sprintf("/col/col%d/index.html", c.id) }

func (p *Portal) addHanweb() {
	const portal, region = "荆门市东宝区人民政府", "420802"
	gov := agency{"荆门市东宝区人民政府", region, scaleGov}
	towns := []agency{
		{"荆门市东宝区龙泉街道办事处", region, scaleTown}, {"荆门市东宝区泉口街道办事处", region, scaleTown},
		{"荆门市东宝区子陵铺镇人民政府", region, scaleTown}, {"荆门市东宝区漳河镇人民政府", region, scaleTown},
		{"荆门市东宝区马河镇人民政府", region, scaleTown}, {"荆门市东宝区石桥驿镇人民政府", region, scaleTown},
	}
	depts := []agency{{"荆门市东宝区教育局", region, scaleDept}, {"荆门市东宝区卫生健康局", region, scaleDept}}
	s := &site{host: HostHanweb, pages: map[string]*page{}}
	p.addSite(s)
	p.portals = append(p.portals, PortalConfig{Name: portal, RegionCode: region, Family: "hanweb",
		StartURLs:      []string{"http://" + HostHanweb + fmt.Sprintf("/col/col%d/index.html", hwMainCol)},
		AllowedDomains: []string{HostHanweb}, DepartmentCatalogue: "http://" + HostHanweb + fmt.Sprintf("/col/col%d/index.html", hwDeptCat)})
	cols := map[int]*hwColumn{hwMainCol: {id: hwMainCol, unit: 52345, name: "政府信息公开年报"}}
	for i, d := range depts {
		cols[hwMainCol+110+i] = &hwColumn{id: hwMainCol + 110 + i, unit: 52400 + i, name: d.name}
	}
	downfiles := map[string]string{} // filename → /attach path
	doc := 867900
	last := map[string]values{}
	for y := 2019; y <= 2023; y++ {
		all := append([]agency{gov}, towns...)
		all = append(all, depts...)
		for i, ag := range all {
			doc += 11
			format := formatFor(y)
			col := cols[hwMainCol]
			if i > len(towns) {
				col = cols[hwMainCol+110+i-len(towns)-1]
			}
			lk := look{word: i%2 == 0, zero: zeroStyle(i % 3), t2Split: y == 2022,
				thousands: i == 0 && y == 2021, fullWidthT2: i == 0 && y == 2021}
			r := newReport(p.opts.Seed, HostHanweb, "hanweb", portal, ag, y, format, lk, last[ag.name])
			last[ag.name] = r.vals
			r.published = day(y+1, 1, 20+i%9)
			r.path = fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", r.published.Year(), int(r.published.Month()), r.published.Day(), col.id, doc)
			switch {
			case ag.name == "荆门市东宝区马河镇人民政府" && y == 2021:
				// Only the PDF holds the report, table 三 on landscape
				// pages turned by /Rotate 270.
				r.kind = KindAttachment
				name := hexID("downfile", r.path) + ".pdf"
				downfiles[name] = "/attach/0/" + name
				s.pages["/attach/0/"+name] = r.attachmentPage(pdfStyle{landscape: 270})
				link := "/module/download/downfile.jsp?classid=0&filename=" + name
				r.attachments = []string{link}
				r.custom = attachmentOnlyBody(r)
			case ag.name == "荆门市东宝区石桥驿镇人民政府" && y == 2020:
				r.kind, r.format = KindImageTables, "unknown"
				r.custom = imageTablesBody(s, r)
			case i == 0 && y == 2023:
				name := hexID("downfile", r.path) + ".pdf"
				downfiles[name] = "/attach/0/" + name
				s.pages["/attach/0/"+name] = r.attachmentPage(pdfStyle{})
				r.attachments = []string{"/module/download/downfile.jsp?classid=0&filename=" + name}
			}
			s.pages[r.path] = utf8Page(hwDetail(r, col), r.published)
			p.reports = append(p.reports, r)
			col.items = append(col.items, listItem{href: r.path, title: r.title, date: r.published, report: r})
		}
	}
	for i, t := range []string{"荆门市东宝区人民政府信息公开指南", "荆门市东宝区人民政府门户网站2022年度工作报表", "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知"} {
		d := day(2023, 2+i, 10)
		href := fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", d.Year(), int(d.Month()), d.Day(), hwMainCol, 870100+i)
		cols[hwMainCol].items = append(cols[hwMainCol].items, listItem{href: href, title: t, date: d})
		s.pages[href] = utf8Page(hwShell(t, d, `<div id="zoom"><p>本文不是政府信息公开工作年度报告。</p></div>`), d)
	}
	var deptLinks strings.Builder
	for _, c := range cols {
		sortItems(c.items)
		s.pages[c.path()] = utf8Page(hwColumnPage(c), c.items[0].date)
		if c.id != hwMainCol {
			fmt.Fprintf(&deptLinks, `<li><a href="%s" target="_blank">%s</a></li>`, c.path(), html.EscapeString(c.name))
		}
	}
	s.pages[fmt.Sprintf("/col/col%d/index.html", hwDeptCat)] = utf8Page(fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>部门信息公开年报 东宝区人民政府</title></head><body><div class="bt-position">当前位置：<a href="/">首页</a> &gt; 部门信息公开年报</div><ul class="bmml">%s</ul></body></html>`, deptLinks.String()), day(2024, 1, 1))
	s.pages["/"] = utf8Page(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>东宝区人民政府</title></head><body><a href="`+cols[hwMainCol].path()+`">政府信息公开年报</a></body></html>`, day(2024, 1, 1))
	s.handle = func(p *Portal, w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/module/web/jpage/dataproxy.jsp":
			hwDataproxy(w, r, cols)
			return true
		case "/module/download/downfile.jsp":
			if to, ok := downfiles[r.URL.Query().Get("filename")]; ok {
				http.Redirect(w, r, to, http.StatusFound)
			} else {
				writeHTML(w, http.StatusNotFound, "text/html", notFoundPage)
			}
			return true
		}
		return false
	}
}

// hwRecord is one datastore record: a truncated title, the full one in the
// title attribute.
func hwRecord(it listItem) string {
	short := []rune(it.title)
	text := it.title
	if len(short) > 20 {
		text = string(short[:20]) + "..."
	}
	return fmt.Sprintf(`<li><a href="%s" title="%s" target="_blank">%s</a><span class="bt-data-time">%s</span></li>`,
		it.href, html.EscapeString(it.title), html.EscapeString(text), it.date.Format("2006-01-02"))
}

func hwColumnPage(c *hwColumn) string {
	inline := min(len(c.items), 3*hwPerPage)
	webname := url.QueryEscape(url.QueryEscape("荆门市东宝区人民政府"))
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s 东宝区人民政府</title><meta name="SiteName" content="荆门市东宝区人民政府"><meta name="ColumnName" content="%s"><script src="/module/jslib/jquery/jquery.js"></script></head>
<body><div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col%d/index.html">部门信息公开年报</a> &gt; %s</div>
<div class="bt-left"><ul><li><a href="/col/col%d/index.html">政府信息公开年报</a></li><li><a href="/col/col%d/index.html">部门信息公开年报</a></li></ul></div>
<div class="bt-right"><div id="%d"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=%s&path=/&columnid=%d&unitid=%d&webname=%s&permissiontype=0"></a>]]></nextgroup>
<recordset>
`, html.EscapeString(c.name), html.EscapeString(c.name), hwDeptCat, html.EscapeString(c.name), hwMainCol, hwDeptCat, c.unit, hwWebID, c.id, c.unit, webname)
	for _, it := range c.items[:inline] {
		fmt.Fprintf(&b, "<record><![CDATA[\n%s\n]]></record>\n", hwRecord(it))
	}
	fmt.Fprintf(&b, `</recordset>
</datastore></script></div></div>
<script type="text/javascript">$(document).ready(function(){$('#%d').jpage({dataStore:dataStore,perPage:%d,totalRecord:%d,groupSize:3,proxyUrl:'/module/web/jpage/dataproxy.jsp',ajaxParam:{col:1,appid:1,webid:%s,path:'/',columnid:%d,sourceContentType:1,unitid:%d,webname:'荆门市东宝区人民政府',permissiontype:0}});});</script>
</body></html>`, c.unit, hwPerPage, len(c.items), hwWebID, c.id, c.unit)
	return b.String()
}

// hwDataproxy answers the records startrecord…endrecord of a column, but
// only to a request shaped like the browser's.
func hwDataproxy(w http.ResponseWriter, r *http.Request, cols map[int]*hwColumn) {
	bad := func(why string) {
		writeHTML(w, http.StatusBadRequest, "text/html; charset=utf-8",
			`<html><head><title>错误</title></head><body><h3>请求参数错误</h3><!-- `+why+` --></body></html>`)
	}
	if r.Method != http.MethodPost {
		bad("method")
		return
	}
	if err := r.ParseForm(); err != nil {
		bad("form")
		return
	}
	q := r.URL.Query()
	start, err1 := strconv.Atoi(q.Get("startrecord"))
	end, err2 := strconv.Atoi(q.Get("endrecord"))
	if _, err := strconv.Atoi(q.Get("perpage")); err1 != nil || err2 != nil || err != nil || start < 1 || end < start {
		bad("range")
		return
	}
	colID, _ := strconv.Atoi(r.PostForm.Get("columnid"))
	c := cols[colID]
	switch {
	case c == nil:
		bad("columnid")
		return
	case r.PostForm.Get("unitid") != strconv.Itoa(c.unit) || r.PostForm.Get("webid") != hwWebID ||
		r.PostForm.Get("appid") == "" || r.PostForm.Get("path") == "" || r.PostForm.Get("col") == "":
		bad("fields")
		return
	case !strings.Contains(r.Referer(), c.path()) && !strings.Contains(r.Referer(), fmt.Sprintf("/col/col%d/", c.id)):
		bad("referer")
		return
	case r.Header.Get("X-Requested-With") != "XMLHttpRequest":
		bad("xhr")
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>` + "\n")
	for i := start; i <= end && i <= len(c.items); i++ {
		fmt.Fprintf(&b, "<record><![CDATA[\n%s\n]]></record>\n", hwRecord(c.items[i-1]))
	}
	b.WriteString("</recordset></datastore>")
	writeHTML(w, http.StatusOK, "text/xml;charset=UTF-8", b.String())
}

func hwShell(title string, pub interface{ Format(string) string }, content string) string {
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>
<meta name="ArticleTitle" content="%s"><meta name="PubDate" content="%s"><meta name="ContentSource" content="东宝区政府办公室"></head>
<body><div class="bt-position">当前位置：<a href="/">首页</a> &gt; 政府信息公开年报</div>
<table class="xxgk_table"><tr><td>索引号：</td><td>11420802011009347K/2022-00117</td><td>发布机构：</td><td>东宝区政府办公室</td></tr><tr><td>发布日期：</td><td>%s</td><td>文号：</td><td></td></tr></table>
<div class="article"><h1>%s</h1>
%s
</div></body></html>`, html.EscapeString(title), html.EscapeString(title), pub.Format("2006-01-02 15:04"), pub.Format("2006-01-02"), html.EscapeString(title), content)
}

func hwDetail(r *report, c *hwColumn) string {
	var b strings.Builder
	b.WriteString(`<div id="zoom">`)
	b.WriteString(r.body())
	for _, a := range r.attachments {
		fmt.Fprintf(&b, `<p>附件：<a href="%s">%s.pdf</a></p>`, a, html.EscapeString(r.title))
	}
	b.WriteString(`</div>`)
	return hwShell(r.title, r.published, b.String())
}

// imageTablesBody is a report whose tables were pasted as pictures: the
// sections are text, tables 二/三/四 are <img> (format.md §8 item 12).
func imageTablesBody(s *site, r *report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p>本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。</p>\n", r.year, r.year)
	for i, h := range []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"} {
		fmt.Fprintf(&b, "<p><strong>%s</strong></p>\n", h)
		if i >= 1 && i <= 3 {
			img := fmt.Sprintf("/picture/0/%s.jpg", hexID("img", r.path, h))
			s.pages[img] = &page{body: tinyJPEG(), ctype: "image/jpeg", mod: r.published}
			fmt.Fprintf(&b, `<p style="text-align:center"><img src="%s" width="600" border="0"></p>`+"\n", img)
		} else {
			b.WriteString("<p>按照要求认真开展相关工作。</p>\n")
		}
	}
	return b.String()
}

func tinyJPEG() []byte {
	img := image.NewGray(image.Rect(0, 0, 60, 40))
	for x := 0; x < 60; x++ {
		img.SetGray(x, 20, color.Gray{Y: 0})
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil) // encoding an in-memory image cannot fail
	return b.Bytes()
}
