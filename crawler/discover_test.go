package crawler_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawler"
)

func TestIsReportTitle(t *testing.T) {
	cases := []struct {
		title string
		want  bool
	}{
		{"新乡市牧野区民族宗教事务局2020年政府信息公开工作年度报告", true},
		{"2022年上海市政府信息公开工作年度报告", true},
		{"龙亭区2015年度政府信息公开年度报告", true},
		{"舒兰市市场监督管理局2016年政务信息公开年度报告", true},
		{"郑州高新区某局2022年度信息公开年度报告", true},
		{"２０２１年政府信息公开工作年度报告", true},        // full-width digits
		{"二〇二一年政府信息公开工作年度报告", true},        // Chinese numerals
		{"某局2021年政府信息公开工作年度报告（更正版）", true}, // a re-issue is a report
		{"新乡市牧野区人民政府信息公开指南", false},
		{"荆门市东宝区人民政府门户网站2022年度工作报表", false},
		{"关于做好2022年度政府信息公开工作年度报告编制发布工作的通知", false},
		{"政府信息公开年报", false}, // a column, not a report
		{"2021年政府工作报告", false},
		{"2023年部门预算公开", false},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			if got := crawler.IsReportTitle(tc.title); got != tc.want {
				t.Errorf("IsReportTitle(%q) = %v; want %v", tc.title, got, tc.want)
			}
		})
	}
}

func TestReportKey(t *testing.T) {
	a := crawler.ReportKey("某局2021年政府信息公开工作年度报告")
	for _, v := range []string{"某局2021年政府信息公开工作年度报告（更正版）", "某局2021年政府信息公开工作年度报告(修订)", " 某局 2021 年政府信息公开工作年度报告 "} {
		if got := crawler.ReportKey(v); got != a {
			t.Errorf("ReportKey(%q) = %q; want %q", v, got, a)
		}
	}
	if crawler.ReportKey("某局2022年政府信息公开工作年度报告") == a {
		t.Error("different years share a key")
	}
}

// TestRun_Pagination covers the page-count schemes and their numbering bases.
func TestRun_Pagination(t *testing.T) {
	cases := []struct {
		name   string
		first  string // path of page 1
		script string // printed on page 1
		pages  []string
		never  []string
	}{
		{name: "TRS total-first 0-based", first: "/a/index.html", script: `createPageHTML(3, 0, "index", "html");`,
			pages: []string{"/a/index_1.html", "/a/index_2.html"}, never: []string{"/a/index_3.html"}},
		{name: "TRS 6 args", first: "/a/index.shtml", script: `createPageHTML(3, 0, "index", "shtml", "black2", 136);`,
			pages: []string{"/a/index_1.shtml", "/a/index_2.shtml"}, never: []string{"/a/index_3.shtml"}},
		{name: "container-first 1-based", first: "/b/dezlist.shtml", script: `createPageHTML('page_div', 3, 1, 'dezlist', 'shtml', 45);`,
			pages: []string{"/b/dezlist_2.shtml", "/b/dezlist_3.shtml"}, never: []string{"/b/dezlist_1.shtml", "/b/dezlist_4.shtml"}},
		{name: "container-first 0-based", first: "/c/index.html", script: `createPageHTML('page_div', 3, 0, 'index', 'html', 45);`,
			pages: []string{"/c/index_1.html", "/c/index_2.html"}, never: []string{"/c/index_3.html"}},
		{name: "countPage", first: "/d/index.html", script: `var countPage = 3;`,
			pages: []string{"/d/index_1.html", "/d/index_2.html"}, never: []string{"/d/index_3.html"}},
		{name: "next-page link", first: "/e/list-1.html", script: ``, pages: []string{"/e/list-2.html"}},
		{name: "page query", first: "/f/InfoPublic.aspx", script: ``, pages: []string{"/f/InfoPublic.aspx?cid=1&page=2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			all := append([]string{tc.first}, tc.pages...)
			for i, pth := range all {
				body := "<ul>" + reportLink(fmt.Sprintf("./r%d.html", i), fmt.Sprintf("局%d2023年政府信息公开工作年度报告", i)) + "</ul>"
				if i == 0 {
					body += "<script>" + tc.script + "</script>"
				}
				if i+1 < len(all) && tc.script == "" {
					body += `<a href="` + all[i+1] + `">下一页</a>`
				}
				s.html(pth, body)
				s.html(pth[:strings.LastIndex(pth, "/")+1]+fmt.Sprintf("r%d.html", i), reportBody)
			}
			res := mustRun(t, siteOptions(s, t.TempDir(), "a.test"), []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test" + tc.first}}})
			for _, pth := range tc.pages {
				if s.requested(" "+pth) != 1 {
					t.Errorf("page %s requested %d times; want 1", pth, s.requested(" "+pth))
				}
			}
			for _, pth := range tc.never {
				if n := s.requested(" " + pth); n != 0 {
					t.Errorf("page %s beyond the count requested", pth)
				}
			}
			reports := 0
			for _, p := range res.Pages {
				if p.Kind == crawler.KindReport && p.Status == 200 {
					reports++
				}
			}
			if reports != len(all) {
				t.Errorf("%d reports fetched; want %d", reports, len(all))
			}
		})
	}
}

func TestRun_ListItems(t *testing.T) {
	s := newSite(t)
	s.html("/col/", `<ul>
<li><a href="./t1.html" title="信阳市浉河区卫生健康委员会2023年政府信息公开工作年度报告">信阳市浉河区卫生健康委员会2023年...</a><span>2024-01-20</span></li>
<li><a href="./t2.html">信阳市浉河区教育局2023年政府信息公开工作年度报告<span>2024-01-21</span></a></li>
<li><a href="./t2_wap.html">信阳市浉河区教育局2023年政府信息公开工作年度报告</a></li>
<li><a href="./t3.html">信阳市浉河区教育局2023年政府信息公开工作年度报告（更正版）</a></li>
<li><a href="./g.html">信阳市浉河区人民政府信息公开指南</a></li>
</ul>`)
	s.html("/col/t1.html", reportBody+`<a href="/module/download/downfile.jsp?classid=0&filename=abc.pdf">附件：报告.pdf</a><iframe src="/pdfjs/web/viewer.html?file=/files/x.pdf"></iframe>`)
	s.html("/col/t2.html", reportBody)
	s.html("/col/t2_wap.html", reportBody)
	s.html("/col/t3.html", reportBody+"<p>更正</p>")
	s.routes["/module/download/downfile.jsp"] = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/attach/0/"+r.URL.Query().Get("filename"), http.StatusFound)
	}
	s.routes["/attach/0/abc.pdf"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.4 test")
	}
	s.routes["/files/x.pdf"] = s.routes["/attach/0/abc.pdf"]
	dir := t.TempDir()
	res := mustRun(t, siteOptions(s, dir, "a.test"), []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	got := byURL(res.Pages)
	if p := got["http://a.test/col/t1.html"]; p.Title != "信阳市浉河区卫生健康委员会2023年政府信息公开工作年度报告" {
		t.Errorf("title %q; want the full title attribute", p.Title)
	}
	if p := got["http://a.test/col/t2.html"]; p.Title != "信阳市浉河区教育局2023年政府信息公开工作年度报告" {
		t.Errorf("title %q; want the anchor text without its date", p.Title)
	}
	if n := s.requested("t2_wap"); n != 0 {
		t.Errorf("_wap twin fetched %d times", n)
	}
	if s.requested("/g.html") != 0 {
		t.Error("信息公开指南 fetched")
	}
	if a, b := got["http://a.test/col/t2.html"], got["http://a.test/col/t3.html"]; a.ReportKey == "" || a.ReportKey != b.ReportKey {
		t.Errorf("（更正版） keys %q vs %q; want one report", a.ReportKey, b.ReportKey)
	}
	att := got["http://a.test/module/download/downfile.jsp?classid=0&filename=abc.pdf"]
	if att.Kind != crawler.KindAttachment || att.ParentURL != "http://a.test/col/t1.html" || att.Status != 200 ||
		att.FinalURL != "http://a.test/attach/0/abc.pdf" || !strings.HasPrefix(att.ContentType, "application/pdf") {
		t.Errorf("downfile attachment: %+v", att)
	}
	if v := got["http://a.test/files/x.pdf"]; v.Kind != crawler.KindAttachment || v.Status != 200 {
		t.Errorf("viewer.html?file= attachment: %+v", v)
	}
	body, ct, err := readPage(dir, att)
	if err != nil || string(body) != "%PDF-1.4 test" || ct != "application/pdf" {
		t.Errorf("archived attachment = %q, %q, %v", body, ct, err)
	}
}

// TestRun_AttachmentLinkStyles: the ways real report pages link their
// files, each fetched as an attachment of the page, and the links that
// only look like files left alone.
func TestRun_AttachmentLinkStyles(t *testing.T) {
	s := newSite(t)
	s.html("/col/", `<ul><li><a href="./t1.html">信阳市浉河区教育局2023年政府信息公开工作年度报告</a></li></ul>`)
	s.html("/col/t1.html", reportBody+`<div class="fj">
<a href="javascript:void(0)" onclick="downLoad('/files/a1.pdf')">附件1</a>
<a href="#" onclick="window.open(&quot;/files/a2.docx&quot;,'_blank')">附件2</a>
<a href="/api/file?id=77">浉河区教育局2023年度报告.pdf</a>
<a href="/common/fileDownload.do?fileId=88">附件下载</a>
<a href="/files/A3.PDF">附件3</a>
<a href="/xzzx/download.html">下载中心</a>
<a href="/col/t9.html">报告.pdf</a>
<a href="#" onclick="share('weibo')">分享</a>
<a href="http://files.b.test/up/report.pdf">附件4</a>
</div>`)
	file := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		fmt.Fprint(w, "%PDF-1.4 test")
	}
	for _, p := range []string{"/files/a1.pdf", "/files/a2.docx", "/api/file", "/common/fileDownload.do", "/files/A3.PDF"} {
		s.routes[p] = file
	}
	s.html("/xzzx/download.html", "<p>下载中心</p>")
	s.html("/col/t9.html", "<p>x</p>")
	res := mustRun(t, siteOptions(s, t.TempDir(), "a.test"), []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/col/"}}})
	got := byURL(res.Pages)
	for _, u := range []string{"/files/a1.pdf", "/files/a2.docx", "/api/file?id=77", "/common/fileDownload.do?fileId=88", "/files/A3.PDF"} {
		p, ok := got["http://a.test"+u]
		if !ok || p.Kind != crawler.KindAttachment || p.ParentURL != "http://a.test/col/t1.html" || p.Status != 200 {
			t.Errorf("%s: fetched %v as %+v; want an attachment of t1.html", u, ok, p)
		}
	}
	for _, u := range []string{"/xzzx/download.html", "/col/t9.html", "/col/weibo"} {
		if p, ok := got["http://a.test"+u]; ok && p.Kind == crawler.KindAttachment {
			t.Errorf("%s fetched as an attachment", u)
		}
	}
	// A file on a host the portal does not allow is never asked, but
	// kept as the page's attachment with why it was not read.
	off := got["http://files.b.test/up/report.pdf"]
	if off.Kind != crawler.KindAttachment || off.ParentURL != "http://a.test/col/t1.html" || off.Status != 0 ||
		!strings.Contains(off.Error, "files.b.test is not in allowed_domains") {
		t.Errorf("off-host attachment: %+v", off)
	}
}
