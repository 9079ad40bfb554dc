package sampleportal

import (
	"fmt"
	"html"
	"path"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const trsCol = "/zwgk/zfxxgk/zfxxgknb/"

// gbkPage encodes a page to GBK and declares gb2312 only in <meta>, with a
// bare "text/html" header, as TRS sites do (portals.md §3.1).
func gbkPage(body string, mod time.Time) (*page, error) {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("encode page to GBK: %w", err)
	}
	return &page{body: b, ctype: "text/html", mod: mod}, nil
}

// addTRS builds the TRS WCM site of 信阳市浉河区 (portals.md §1.2): GBK pages
// with "浉" (not in GB2312) in every title; the main column with
// total-first 0-based createPageHTML pagination (index.html, index_1.html),
// a 乡镇街道 sub-column with the container-first 1-based variant
// (index.shtml, index_2.shtml); tYYYYMMDD_<id> details in upload-month
// folders, TRS_Editor (old) and TRS_UEDITOR trs_word (new) bodies, _wap
// twins, a （更正版） re-issue, P0….pdf attachments (one beside the page's
// own tables, one holding a town's whole report) and a pre-2019 report.
func (p *Portal) addTRS() error {
	const portal, region = "信阳市浉河区人民政府", "411502"
	mainAg := []agency{
		{"信阳市浉河区人民政府", region, scaleGov},
		{"信阳市浉河区教育体育局", region, scaleDept},
		{"信阳市浉河区卫生健康委员会", region, scaleDept},
	}
	towns := []agency{
		{"信阳市浉河区董家河镇人民政府", region, scaleTown},
		{"信阳市浉河区谭家河乡人民政府", region, scaleTown},
		{"信阳市浉河区柳林乡人民政府", region, scaleTown},
		{"信阳市浉河区浉河港镇人民政府", region, scaleTown},
	}
	s := &site{host: HostTRS, pages: map[string]*page{}}
	p.addSite(s)
	p.portals = append(p.portals, PortalConfig{Name: portal, RegionCode: region, Family: "trs",
		StartURLs:      []string{"http://" + HostTRS + trsCol + "index.html"},
		AllowedDomains: []string{HostTRS}})
	const townCol = trsCol + "xzjd/"
	var mainItems, townItems []listItem
	doc := 34990
	last := map[string]values{}
	add := func(r *report, items *[]listItem) error {
		pg, err := gbkPage(trsDetail(r), r.published)
		if err != nil {
			return fmt.Errorf("%s: %w", r.path, err)
		}
		s.pages[r.path] = pg
		p.reports = append(p.reports, r)
		*items = append(*items, listItem{href: r.path, title: r.title, date: r.published, report: r})
		return nil
	}
	for y := 2019; y <= 2023; y++ {
		for i, ag := range append(slices.Clone(mainAg), towns...) {
			doc += 7
			town := i >= len(mainAg)
			format := formatFor(y)
			if ag.name == towns[0].name && y == 2022 {
				format = "2019" // a 2022 town report still on the 2019 tables
			}
			lk := look{word: true, splitDigits: y%2 == 1, zero: zeroStyle((i + 2*y) % 3), fixed2: i == 0, yuanUnit: i == 0, noteAbove: i == 1 && y == 2023}
			var breaks []string
			switch {
			case i == 0 && y == 2022:
				breaks = []string{"i4_review_suit"}
			case i == 2 && y == 2020:
				breaks = []string{"i3_total_column"}
			}
			r := newReport(p.opts.Seed, HostTRS, "trs", portal, ag, y, format, lk, last[ag.name], breaks...)
			last[ag.name] = r.vals
			r.published = day(y+1, 1, 10+i*2)
			upload := r.published
			if i == 0 && y == 2019 {
				upload = day(2020, 7, 21) // re-uploaded: folder date ≠ displayed date
			}
			col, ext := trsCol, "html"
			if town {
				col, ext = townCol, "shtml"
			}
			dir := col + upload.Format("200601") + "/"
			r.path = fmt.Sprintf("%st%s_%d.%s", dir, upload.Format("20060102"), doc, ext)
			pdf := fmt.Sprintf("%sP0%s%d.pdf", dir, upload.Format("20060102"), 563211234567+doc)
			switch {
			case i == 0 && y == 2023:
				// The page prints the tables and links the same report as PDF.
				r.attachments = []string{pdf}
				s.pages[pdf] = r.attachmentPage(pdfStyle{})
			case ag.name == towns[2].name && y == 2021:
				// Only the PDF holds the report; its table 三 is on
				// landscape pages turned by /Rotate 90.
				r.kind = KindAttachment
				r.attachments = []string{pdf}
				r.custom = attachmentOnlyBody(r)
				s.pages[pdf] = r.attachmentPage(pdfStyle{landscape: 90})
			}
			if p.night >= 1 && i == 1 && y == 2019 {
				// Tonight this page went away; the list still links it.
				mainItems = append(mainItems, listItem{href: r.path, title: r.title, date: r.published})
				continue
			}
			items := &mainItems
			if town {
				items = &townItems
			}
			if err := add(r, items); err != nil {
				return err
			}
			if !town && y >= 2021 {
				// The mobile twin of every recent page.
				wap := strings.TrimSuffix(r.path, ".html") + "_wap.html"
				pg, err := gbkPage(trsWap(r), r.published)
				if err != nil {
					return err
				}
				s.pages[wap] = pg
			}
			if i == 1 && y == 2021 {
				// Re-issued with a corrected text under a new URL; same numbers.
				doc += 3
				c := *r
				c.title = r.title + "（更正版）"
				c.published = day(2022, 2, 21)
				c.path = fmt.Sprintf("%s202202/t20220221_%d.html", trsCol, doc)
				c.versionOf = r.path
				c.attachments = nil
				if err := add(&c, &mainItems); err != nil {
					return err
				}
			}
		}
	}
	pre := newReport(p.opts.Seed, HostTRS, "trs", portal, mainAg[0], 2017, "pre2019", look{word: true}, nil)
	pre.kind, pre.custom = KindPre2019, pre2019Body(mainAg[0].name, 2017)
	pre.published = day(2018, 3, 28)
	pre.path = trsCol + "201803/t20180328_30211.html"
	if err := add(pre, &mainItems); err != nil {
		return err
	}
	for _, extra := range []listItem{
		{href: trsCol + "202301/t20230112_35201.html", title: "信阳市浉河区人民政府网站2022年度工作报表", date: day(2023, 1, 12)},
		{href: trsCol + "202104/t20210406_35012.html", title: "信阳市浉河区政府信息公开指南", date: day(2021, 4, 6)},
	} {
		mainItems = append(mainItems, extra)
		pg, err := gbkPage(trsShell(extra.title, extra.date, `<div class="TRS_Editor"><p>本栏目同时发布政府网站年度工作报表和信息公开指南。</p></div>`), extra.date)
		if err != nil {
			return err
		}
		s.pages[extra.href] = pg
	}
	nav := `<div class="subnav"><a href="./xzjd/index.shtml">乡镇街道</a></div>`
	if err := trsList(s, trsCol, "政府信息公开年报", nav, mainItems, 8, func(pages, cur int) (string, string) {
		name := "index.html"
		if cur > 0 {
			name = fmt.Sprintf("index_%d.html", cur)
		}
		return name, fmt.Sprintf(`<div class="page"><script type="text/javascript">createPageHTML(%d, %d, "index", "html");</script></div>`, pages, cur)
	}); err != nil {
		return err
	}
	if err := trsList(s, townCol, "乡镇街道政府信息公开年报", "", townItems, 8, func(pages, cur int) (string, string) {
		name := "index.shtml"
		if cur > 0 {
			name = fmt.Sprintf("index_%d.shtml", cur+1)
		}
		return name, fmt.Sprintf(`<div id="page_div"></div><script type="text/javascript">createPageHTML('page_div', %d, %d, 'index', 'shtml', %d);</script>`, pages, cur+1, len(townItems))
	}); err != nil {
		return err
	}
	home, err := gbkPage(trsListShell("首页", `<a href="`+trsCol+`">政府信息公开年报</a>`), day(2024, 1, 1))
	if err != nil {
		return err
	}
	s.pages["/"] = home
	s.pages["/index.html"] = home
	s.pages["/robots.txt"] = &page{body: []byte("User-agent: *\nDisallow: /search/\n"), ctype: "text/plain", mod: day(2020, 1, 1)}
	return nil
}

// trsList writes a column's list pages; pager names page cur (0-based) and
// prints its pager script.
func trsList(s *site, col, name, nav string, items []listItem, per int, pager func(pages, cur int) (string, string)) error {
	sortItems(items)
	pages := max(1, (len(items)+per-1)/per)
	for pg := 0; pg < pages; pg++ {
		var b strings.Builder
		b.WriteString(nav)
		b.WriteString(`<ul class="list">` + "\n")
		for _, it := range items[pg*per : min((pg+1)*per, len(items))] {
			// Anchor text is title + date span (portals.md §2.3).
			fmt.Fprintf(&b, `<li><a href="./%s" target="_blank">%s<span>%s</span></a></li>`+"\n",
				strings.TrimPrefix(it.href, col), html.EscapeString(it.title), it.date.Format("2006-01-02"))
		}
		b.WriteString("</ul>\n")
		file, script := pager(pages, pg)
		b.WriteString(script)
		page, err := gbkPage(trsListShell(name, b.String()), items[0].date)
		if err != nil {
			return fmt.Errorf("%s%s: %w", col, file, err)
		}
		s.pages[col+file] = page
	}
	return nil
}

// trsWap is the mobile twin of a report page: same text, other chrome.
func trsWap(r *report) string {
	return trsHead + fmt.Sprintf(`<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>%s</title>
<meta name="ArticleTitle" content="%s">
<meta name="PubDate" content="%s">
</head>
<body class="wap"><h2>%s</h2><div class="wap_info">%s</div><div class="wap_content">%s</div></body></html>`,
		html.EscapeString(r.title), html.EscapeString(r.title), r.published.Format("2006-01-02 15:04"),
		html.EscapeString(r.title), r.published.Format("2006-01-02"), r.body())
}

const trsHead = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
`

func trsListShell(col, content string) string {
	return trsHead + fmt.Sprintf(`<title>%s_信阳市浉河区人民政府</title>
<meta name="SiteName" content="信阳市浉河区人民政府">
<meta name="ColumnName" content="%s">
<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
 if(_nPageCount == null || _nPageCount<=1){ return; }
 var nCurrIndex = _nCurrIndex || 0;
 if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");
 else document.write("<a href=\""+_sPageName+"."+_sPageExt+"\">首页</a>&nbsp;");
 if(nCurrIndex+1 < _nPageCount) document.write("<a href=\""+_sPageName+"_"+(nCurrIndex+1)+"."+_sPageExt+"\">下一页</a>&nbsp;");
 document.write("共"+_nPageCount+"页");
}
</script>
</head>
<body>
<div class="header"><a href="/">信阳市浉河区人民政府</a></div>
<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <span>%s</span></div>
<div class="main">
%s
</div>
</body></html>`, html.EscapeString(col), html.EscapeString(col), html.EscapeString(col), content)
}

func trsShell(title string, pub time.Time, content string) string {
	return trsHead + fmt.Sprintf(`<title>%s_政府信息公开年报_信阳市浉河区人民政府</title>
<meta name="SiteName" content="信阳市浉河区人民政府">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="%s">
<meta name="PubDate" content="%s">
<meta name="ContentSource" content="信阳市浉河区人民政府办公室">
</head>
<body>
<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="%s">政府信息公开年报</a></div>
<div class="article">
<h1 class="title"><!--<$[标题名称]>begin-->%s<!--<$[标题名称]>end--></h1>
<div class="info">发布时间：%s　来源：信阳市浉河区人民政府办公室　<a href="javascript:window.print()">【打印】</a></div>
%s
</div>
</body></html>`, html.EscapeString(title), html.EscapeString(title), pub.Format("2006-01-02 15:04"), trsCol,
		html.EscapeString(title), pub.Format("2006-01-02"), content)
}

func trsDetail(r *report) string {
	var b strings.Builder
	if r.year <= 2020 {
		b.WriteString(`<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{margin-top:0;margin-bottom:0;line-height:1.5;font-family:仿宋;font-size:16pt;}.TRS_Editor TD,.TRS_Editor TH{font-size:12pt;}</style>`)
	} else {
		b.WriteString(`<div class="view TRS_UEDITOR trs_paper_default trs_word">`)
	}
	b.WriteString(r.body())
	if r.versionOf != "" {
		b.WriteString(`<p>（更正说明：本报告更正了第一部分的文字表述，数据未作调整。）</p>`)
	}
	for _, a := range r.attachments {
		fmt.Fprintf(&b, `<p>附件：<a href="./%s" oldsrc="%s">%s.pdf</a></p>`, a[strings.LastIndex(a, "/")+1:], a[strings.LastIndex(a, "/")+1:], html.EscapeString(r.title))
	}
	b.WriteString("</div>")
	if r.year >= 2021 && strings.HasSuffix(r.path, ".html") && r.versionOf == "" && !strings.Contains(r.path, "/xzjd/") {
		b.WriteString(`<div class="wap_link"><a href="./` + path.Base(strings.TrimSuffix(r.path, ".html")) + `_wap.html">手机版</a></div>`)
	}
	return trsShell(r.title, r.published, b.String())
}
