package sampleportal_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/internal/charset"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

const hwCol = "http://" + sampleportal.HostHanweb + "/col/col17801/index.html"

func TestHanweb_ColumnPage(t *testing.T) {
	_, c := start(t, sampleportal.Options{})
	f := get(t, c, hwCol)
	page := string(f.body)
	recs := recordHrefRe.FindAllStringSubmatch(page, -1)
	tot := totalRecordRe.FindStringSubmatch(page)
	if len(recs) != 30 || tot == nil {
		t.Fatalf("inline records %d, totalRecord %v; want 30 (three pages of 10) and a total", len(recs), tot)
	}
	if n, _ := strconv.Atoi(tot[1]); n <= 30 {
		t.Errorf("totalRecord %d; want more than the inline batch so dataproxy.jsp is needed", n)
	}
	if !regexp.MustCompile(`/art/\d{4}/\d{1,2}/\d{1,2}/art_17801_\d+\.html`).MatchString(recs[0][1]) {
		t.Errorf("record link %s; want /art/YYYY/M/D/art_<col>_<doc>.html", recs[0][1])
	}
	if !regexp.MustCompile(`title="[^"]+年度报告"[^>]*>[^<]+\.\.\.</a>`).MatchString(page) {
		t.Errorf("no truncated record title with the full title attribute")
	}
	if !strings.Contains(page, "webname=%25E8%258D%2586") {
		t.Errorf("nextgroup webname is not URL-encoded twice")
	}
}

func TestHanweb_Dataproxy(t *testing.T) {
	_, c := start(t, sampleportal.Options{})
	const proxy = "http://" + sampleportal.HostHanweb + "/module/web/jpage/dataproxy.jsp?startrecord=31&endrecord=60&perpage=10"
	good := url.Values{"col": {"1"}, "appid": {"1"}, "webid": {"3"}, "path": {"/"}, "columnid": {"17801"},
		"sourceContentType": {"1"}, "unitid": {"52345"}, "webname": {"荆门市东宝区人民政府"}, "permissiontype": {"0"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		hdr    []string
		status int
	}{
		{"browser-shaped", good, []string{"Referer", hwCol, "X-Requested-With", "XMLHttpRequest"}, 200},
		{"no referer", good, []string{"X-Requested-With", "XMLHttpRequest"}, 400},
		{"other column referer", good, []string{"Referer", "http://" + sampleportal.HostHanweb + "/col/col1/index.html", "X-Requested-With", "XMLHttpRequest"}, 400},
		{"no xhr header", good, []string{"Referer", hwCol}, 400},
		{"wrong unitid", with("unitid", "1"), []string{"Referer", hwCol, "X-Requested-With", "XMLHttpRequest"}, 400},
		{"unknown column", with("columnid", "99"), []string{"Referer", hwCol, "X-Requested-With", "XMLHttpRequest"}, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := post(t, c, proxy, tc.form, tc.hdr...)
			if f.status != tc.status {
				t.Fatalf("POST status %d; want %d (%.200s)", f.status, tc.status, f.body)
			}
			n := len(recordHrefRe.FindAll(f.body, -1))
			if tc.status == 200 && (n == 0 || !strings.Contains(string(f.body), "<datastore>")) {
				t.Errorf("answer has %d records; want the records after the inline batch", n)
			}
			if tc.status != 200 && (n != 0 || !strings.Contains(string(f.body), "错误")) {
				t.Errorf("error answer has %d records: %.200s", n, f.body)
			}
		})
	}
	if f := get(t, c, proxy); f.status != http.StatusBadRequest {
		t.Errorf("GET dataproxy.jsp = %d; want 400", f.status)
	}
}

func TestHanweb_DownfileRedirect(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	var att []string
	for _, r := range p.Reports() {
		if r.Portal == "荆门市东宝区人民政府" {
			att = append(att, r.Attachments...)
		}
	}
	if len(att) < 2 {
		t.Fatalf("%d Hanweb attachments; want ≥ 2 (one of them a report only in its PDF)", len(att))
	}
	for _, a := range att {
		f := get(t, c, a)
		loc := f.header.Get("Location")
		if f.status != http.StatusFound || !strings.HasPrefix(loc, "/attach/0/") {
			t.Fatalf("GET %s = %d Location %q; want 302 to /attach/0/…", a, f.status, loc)
		}
		g := get(t, c, "http://"+sampleportal.HostHanweb+loc)
		if g.status != 200 || g.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(g.body, []byte("%PDF-")) {
			t.Errorf("GET %s = %d %s; want a PDF", loc, g.status, g.header.Get("Content-Type"))
		}
	}
}

func TestGkmlpt_API(t *testing.T) {
	_, c := start(t, sampleportal.Options{})
	shell := get(t, c, "http://"+sampleportal.HostGkmlpt+"/gkmlpt/index")
	m := sidRe.FindSubmatch(shell.body)
	if m == nil || !strings.Contains(string(shell.body), `<div id="app"></div>`) {
		t.Fatalf("shell lacks window._CONFIG SID or the app div")
	}
	api := func(page string, sid string) fetched {
		return get(t, c, "http://"+sampleportal.HostGkmlpt+"/gkmlpt/api/all/721?page="+page+"&sid="+sid)
	}
	type article struct {
		Title      string
		URL        string
		Attachment []struct{ URL, Type string }
	}
	decode := func(f fetched) []article {
		var v struct {
			Classify struct {
				PostCount int `json:"post_count"`
			}
			Articles []article
		}
		if f.status != 200 || json.Unmarshal(f.body, &v) != nil {
			t.Fatalf("API answer %d %.200s", f.status, f.body)
		}
		return v.Articles
	}
	p0, p1, p2 := api("0", string(m[1])), api("1", string(m[1])), api("2", string(m[1]))
	if !bytes.Equal(p0.body, p1.body) {
		t.Errorf("page 0 differs from page 1; want the same items")
	}
	a1, a2 := decode(p1), decode(p2)
	if len(a1) != 100 || len(a2) == 0 || len(a2) >= 100 {
		t.Errorf("page sizes %d, %d; want 100 then the rest", len(a1), len(a2))
	}
	if f := api("3", string(m[1])); f.status != http.StatusNotFound {
		t.Errorf("page after the last = %d; want 404", f.status)
	}
	if f := api("1", "1"); f.status != http.StatusNotFound {
		t.Errorf("wrong sid = %d; want 404", f.status)
	}
	var escaped, attachments int
	for _, a := range append(a1, a2...) {
		if strings.Contains(a.Title, "%u") {
			escaped++
		}
		for _, at := range a.Attachment {
			attachments++
			detail := get(t, c, a.URL)
			if strings.Contains(string(detail.body), at.URL) || strings.Contains(string(detail.body), "/attachment/") {
				t.Errorf("detail page %s links its attachment; want it only in the JSON", a.URL)
			}
			f := get(t, c, at.URL)
			switch at.Type {
			case "docx":
				if _, err := zip.NewReader(bytes.NewReader(f.body), int64(len(f.body))); f.status != 200 || err != nil {
					t.Errorf("attachment %s: %d, not a docx: %v", at.URL, f.status, err)
				}
			case "pdf":
				if f.status != 200 || !bytes.HasPrefix(f.body, []byte("%PDF-")) {
					t.Errorf("attachment %s: %d, not a PDF", at.URL, f.status)
				}
			default:
				t.Errorf("attachment %s of type %q; want docx or pdf", at.URL, at.Type)
			}
		}
	}
	if escaped != 1 || attachments < 2 {
		t.Errorf("%%u-escaped titles %d, attachments %d; want 1 and ≥ 2", escaped, attachments)
	}
}

func TestTRS_Extras(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	byKind := map[string]int{}
	var reissue *sampleportal.ExpectedReport
	reports := p.Reports()
	for i, r := range reports {
		byKind[r.Kind]++
		if r.VersionOf != "" {
			reissue = &reports[i]
		}
	}
	if byKind[sampleportal.KindPre2019] != 1 || byKind[sampleportal.KindAttachment] != 3 || byKind[sampleportal.KindImageTables] != 1 {
		t.Errorf("report kinds %v; want one pre2019, three attachment (one per family), one image_tables", byKind)
	}
	if reissue == nil || !strings.HasSuffix(reissue.Title, "（更正版）") {
		t.Fatalf("no （更正版） re-issue among the reports")
	}
	for _, r := range reports {
		if r.URL == reissue.VersionOf && (r.Agency != reissue.Agency || r.Year != reissue.Year || len(r.Cells) != len(reissue.Cells)) {
			t.Errorf("re-issue %s does not match the report it re-issues %s", reissue.URL, r.URL)
		}
	}
	// _wap twins: linked from the page, same title.
	var twins int
	for _, r := range reports {
		if r.Portal != "信阳市浉河区人民政府" || r.Year < 2021 || r.VersionOf != "" || strings.Contains(r.URL, "/xzjd/") {
			continue
		}
		wap := strings.TrimSuffix(r.URL, ".html") + "_wap.html"
		f := get(t, c, wap)
		text, _ := charset.Decode(f.body, f.header.Get("Content-Type"))
		if f.status != 200 || !strings.Contains(string(text), r.Title) {
			t.Errorf("twin %s = %d; want the report's mobile page", wap, f.status)
		}
		twins++
	}
	if twins == 0 {
		t.Errorf("no _wap twins")
	}
	// The 乡镇街道 sub-column numbers pages from 1: index_2.shtml is page 2.
	base := "http://" + sampleportal.HostTRS + "/zwgk/zfxxgk/zfxxgknb/xzjd/"
	first := get(t, c, base+"index.shtml")
	if !strings.Contains(string(first.body), "createPageHTML('page_div', 3, 1, 'index', 'shtml', 20)") {
		t.Errorf("sub-column page 1 lacks the container-first 1-based pager: %.300s", first.body)
	}
	for name, want := range map[string]int{"index_2.shtml": 200, "index_3.shtml": 200, "index_1.shtml": 404, "index_4.shtml": 404} {
		if f := get(t, c, base+name); f.status != want {
			t.Errorf("GET %s = %d; want %d", name, f.status, want)
		}
	}
	main := get(t, c, trsIndex)
	if !strings.Contains(string(main.body), `href="./xzjd/index.shtml"`) {
		t.Errorf("main column does not link the 乡镇街道 sub-column")
	}
}

func TestSitesources_Lists(t *testing.T) {
	_, c := start(t, sampleportal.Options{})
	base := "http://" + sampleportal.HostSitesources + "/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/"
	var sj struct{ EndPage int }
	f := get(t, c, base+"script.json", "X-Requested-With", "XMLHttpRequest")
	if err := json.Unmarshal(f.body, &sj); err != nil || sj.EndPage < 2 {
		t.Fatalf("script.json %s: endPage %d, %v; want ≥ 2", f.body, sj.EndPage, err)
	}
	for i := 1; i <= sj.EndPage; i++ {
		if g := get(t, c, base+"list"+strconv.Itoa(i)+".html"); g.status != 200 {
			t.Errorf("list%d.html = %d; want 200", i, g.status)
		}
	}
	if g := get(t, c, base+"list"+strconv.Itoa(sj.EndPage+1)+".html"); g.status != 404 {
		t.Errorf("list past endPage = %d; want 404", g.status)
	}
	year := get(t, c, base+"2021n/list1.html")
	if year.status != 200 || strings.Contains(string(year.body), "下一页") ||
		!strings.Contains(string(year.body), "qzbmzfxxgkgzndbg/list1.html") {
		t.Errorf("year column: %d; want 200, a JS-only pager and links to the 区直部门 column", year.status)
	}
	detail := regexp.MustCompile(`href="(\./2021n/qzbmzfxxgkgzndbg/article[0-9a-f]{32}\.html)"`).FindSubmatch(get(t, c, base+"list2.html").body)
	if detail == nil {
		detail = regexp.MustCompile(`href="(\./2021n/qzbmzfxxgkgzndbg/article[0-9a-f]{32}\.html)"`).FindSubmatch(get(t, c, base+"list1.html").body)
	}
	if detail == nil {
		t.Fatal("no 2021 区直部门 article on list pages 1–2")
	}
	d := string(get(t, c, base+string(detail[1][2:])).body)
	for _, want := range []string{"发布时间: ", "信息来源: 牧野区人民政府", "阅读次数: ", `class="hap_xq_content"`} {
		if !strings.Contains(d, want) {
			t.Errorf("department report page lacks %q", want)
		}
	}
}

func TestLegacy_QueryPaging(t *testing.T) {
	p, c := start(t, sampleportal.Options{Families: []string{"legacy"}})
	pc := p.Portals()
	if len(pc) != 1 || pc[0].Family != "legacy" {
		t.Fatalf("Portals() = %+v; want the legacy portal", pc)
	}
	first := get(t, c, pc[0].StartURLs[0])
	if first.header.Get("Content-Type") != "text/html" {
		t.Errorf("Content-Type %q; want text/html without charset", first.header.Get("Content-Type"))
	}
	text, cs := charset.Decode(first.body, first.header.Get("Content-Type"))
	m := regexp.MustCompile(`共(\d+)页`).FindSubmatch(text)
	if cs != "gbk" && cs != "gb18030" || m == nil || !strings.Contains(string(text), `page=2">下一页</a>`) ||
		!regexp.MustCompile(`class="xin2you" width="100">\[\d{4}-\d{2}-\d{2}\]`).Match(text) {
		t.Fatalf("list page 1 (charset %s): want 共N页, a 下一页 link to page=2 and bracketed dates", cs)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	last := get(t, c, strings.Replace(pc[0].StartURLs[0], "page=1", "page="+strconv.Itoa(pages), 1))
	lt, _ := charset.Decode(last.body, last.header.Get("Content-Type"))
	if last.status != 200 || strings.Contains(string(lt), "下一页") {
		t.Errorf("last page %d: %d, has 下一页 %v; want 200 without", pages, last.status, strings.Contains(string(lt), "下一页"))
	}
	past := get(t, c, strings.Replace(pc[0].StartURLs[0], "page=1", "page="+strconv.Itoa(pages+1), 1))
	pt, _ := charset.Decode(past.body, past.header.Get("Content-Type"))
	if past.status != 200 || !strings.Contains(string(pt), "暂无信息") {
		t.Errorf("page past the end: %d; want 200 with an empty 暂无信息 shell", past.status)
	}
	r := p.Reports()[0]
	f := get(t, c, r.URL)
	etag := f.header.Get("ETag")
	if g := get(t, c, r.URL, "If-None-Match", etag); etag == "" || g.status != http.StatusNotModified {
		t.Errorf("detail %s: ETag %q, conditional GET %d; want 304", r.URL, etag, g.status)
	}
}
