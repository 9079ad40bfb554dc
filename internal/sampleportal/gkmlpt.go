package sampleportal

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Guangdong gkmlpt (政府信息公开目录平台) site of 深圳市龙岗区 (portals.md
// §1.4): /gkmlpt/index is a Vue shell carrying window._CONFIG with SID and
// TREE; the list is JSON from /gkmlpt/api/all/<catid>?page=N&sid=SID, 100
// articles a page, page 0 the same as page 1, 404 after the last page;
// attachments appear only in the JSON.

const (
	gkSID     = "755307"
	gkCat     = "721"
	gkPerPage = 100
)

type gkAttachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Mime string `json:"mime"`
	Size int    `json:"size"`
	URL  string `json:"url"`
}

type gkArticle struct {
	ID         int            `json:"id"`
	Title      string         `json:"title"`
	Identifier string         `json:"identifier"`
	Publisher  string         `json:"publisher"`
	Date       int64          `json:"date"`
	CreatedAt  string         `json:"created_at"`
	URL        string         `json:"url"`
	PostURL    string         `json:"post_url"`
	Attachment []gkAttachment `json:"attachment"`
}

func gkPath(id int) string {
	return fmt.Sprintf("/gkmlpt/content/%d/%d/post_%d.html", id/1_000_000, id/1000, id)
}

func (p *Portal) addGkmlpt() {
	const portal, region = "深圳市龙岗区人民政府", "440307"
	agencies := []agency{
		{"深圳市龙岗区人民政府", region, scaleGov}, {"深圳市龙岗区教育局", region, scaleDept},
		{"深圳市龙岗区卫生健康局", region, scaleDept}, {"深圳市龙岗区坪地街道办事处", region, scaleTown},
	}
	s := &site{host: HostGkmlpt, pages: map[string]*page{}}
	p.addSite(s)
	p.portals = append(p.portals, PortalConfig{Name: portal, RegionCode: region, Family: "gkmlpt",
		StartURLs:      []string{"http://" + HostGkmlpt + "/gkmlpt/index#" + gkCat},
		AllowedDomains: []string{HostGkmlpt}})
	var arts []gkArticle
	id := 10_098_700
	last := map[string]values{}
	for y := 2019; y <= 2023; y++ {
		for i, ag := range agencies {
			id += 13
			format := formatFor(y)
			r := newReport(p.opts.Seed, HostGkmlpt, "gkmlpt", portal, ag, y, format, look{zero: zeroStyle((y + i) % 3), fixed2: i == 0, nbspPad: i == 2 && y == 2022, misalignT3: i == 1 && y == 2021}, last[ag.name])
			last[ag.name] = r.vals
			r.published = day(y+1, 1, 25+i)
			r.path = gkPath(id)
			a := gkArticle{ID: id, Title: r.title, Identifier: fmt.Sprintf("11440307%010d/%d-%05d", 7542418+i, y+1, id%100000),
				Publisher: ag.name, Date: r.published.Unix(), CreatedAt: r.published.Format("2006-01-02 15:04:05"),
				URL: "http://" + HostGkmlpt + r.path, PostURL: r.path, Attachment: []gkAttachment{}}
			if i == 1 && y == 2022 {
				a.Title = percentU(r.title) // as escape() leaves it
			}
			ext := ""
			switch {
			case y >= 2022 && i == 0:
				ext = "docx" // the page's tables, and the same report as Word
			case y == 2021 && i == 3:
				ext = "pdf" // the report only as a PDF
				r.kind = KindAttachment
				r.custom = attachmentOnlyBody(r)
			}
			if ext != "" {
				ap := fmt.Sprintf("/attachment/0/%d/%d/%d.%s", id/10000, id/100, id, ext)
				pg := r.attachmentPage(pdfStyle{})
				if ext == "docx" {
					pg = r.docxPage()
				}
				s.pages[ap] = pg
				a.Attachment = append(a.Attachment, gkAttachment{Name: r.title + "." + ext, Type: ext,
					Mime: pg.ctype, Size: len(pg.body), URL: "http://" + HostGkmlpt + ap})
				r.attachments = []string{ap}
			}
			s.pages[r.path] = utf8Page(gkDetail(a, r.body()), r.published)
			p.reports = append(p.reports, r)
			arts = append(arts, a)
		}
	}
	// The category mixes every kind of disclosed document: enough to need a
	// second API page.
	kinds := []string{"关于印发龙岗区%d年度部门预算的通知", "龙岗区%d年第三季度重点项目进展情况", "龙岗区%d年政府信息公开工作要点", "关于%d年度区级财政决算的公告"}
	for k := 0; k < 130; k++ {
		id += 5
		y := 2019 + k%5
		d := day(y, 1+k%12, 1+k%27)
		title := fmt.Sprintf(kinds[k%len(kinds)], y)
		path := gkPath(id)
		a := gkArticle{ID: id, Title: title, Identifier: fmt.Sprintf("114403070075424180/%d-%05d", y, id%100000), Publisher: "深圳市龙岗区人民政府办公室",
			Date: d.Unix(), CreatedAt: d.Format("2006-01-02 15:04:05"), URL: "http://" + HostGkmlpt + path, PostURL: path, Attachment: []gkAttachment{}}
		s.pages[path] = utf8Page(gkDetail(a, "<p>"+html.EscapeString(title)+"。</p>"), d)
		arts = append(arts, a)
	}
	sortArticles(arts)
	s.pages["/gkmlpt/index"] = utf8Page(gkShell(), day(2024, 1, 1))
	s.pages["/"] = utf8Page(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>深圳市龙岗区人民政府</title></head><body><a href="/gkmlpt/index">政府信息公开</a></body></html>`, day(2024, 1, 1))
	s.handle = func(p *Portal, w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/gkmlpt/api/all/") {
			return false
		}
		gkAPI(w, r, arts)
		return true
	}
}

func sortArticles(a []gkArticle) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && (a[j].Date > a[j-1].Date || (a[j].Date == a[j-1].Date && a[j].ID > a[j-1].ID)); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// gkAPI serves one page of the category list.
func gkAPI(w http.ResponseWriter, r *http.Request, arts []gkArticle) {
	cat := strings.TrimPrefix(r.URL.Path, "/gkmlpt/api/all/")
	q := r.URL.Query()
	if cat != gkCat || q.Get("sid") != gkSID {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "msg": "栏目不存在"})
		return
	}
	page, err := strconv.Atoi(q.Get("page"))
	if q.Get("page") == "" {
		page, err = 1, nil
	}
	if err != nil || page < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 400, "msg": "参数错误"})
		return
	}
	page = max(page, 1) // page 0 is page 1
	from := (page - 1) * gkPerPage
	if from >= len(arts) {
		writeHTML(w, http.StatusNotFound, "text/html", notFoundPage)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"classify": map[string]any{"id": 721, "name": "政府信息公开年报", "post_count": len(arts)},
		"articles": arts[from:min(from+gkPerPage, len(arts))],
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v) // maps and plain structs always marshal
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func gkShell() string {
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开目录_深圳市龙岗区人民政府</title>
<script>window._CONFIG = {SID: '%s', TREE: [{"id":720,"name":"政府信息公开","children":[{"id":%s,"name":"政府信息公开年报"},{"id":722,"name":"政府信息公开指南"}]}], CATEGORY_API: '/gkmlpt/api/all/'};</script>
<link rel="stylesheet" href="/gkmlpt/static/css/app.css"></head>
<body><noscript>请开启浏览器的JavaScript功能</noscript><div id="app"></div><script src="/gkmlpt/static/js/app.js"></script></body></html>`, gkSID, gkCat)
}

func gkDetail(a gkArticle, body string) string {
	title := a.Title
	if strings.Contains(title, "%u") {
		title = unPercentU(title)
	}
	detail, _ := json.Marshal(map[string]any{"id": a.ID, "title": title, "identifier": a.Identifier, "publisher": a.Publisher, "date": a.Date})
	pub := time.Unix(a.Date, 0).In(time.FixedZone("CST", 8*3600))
	return fmt.Sprintf(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>
<meta name="ArticleTitle" content="%s"><meta name="PubDate" content="%s"><meta name="ContentSource" content="%s">
<script>window._CONFIG = {SID: '%s', DETAIL: %s};</script></head>
<body><div class="gkml-detail"><table class="gkml-meta">
<tr><td>索引号：</td><td>%s</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>%s</td><td>成文日期：</td><td>%s</td></tr>
<tr><td>名称：</td><td colspan="3">%s</td></tr>
<tr><td>文号：</td><td></td><td>发布日期：</td><td>%s</td></tr>
</table>
<h1 class="article-title">%s</h1>
<div class="article-content">%s</div></div></body></html>`,
		html.EscapeString(title), html.EscapeString(title), pub.Format("2006-01-02 15:04"), html.EscapeString(a.Publisher),
		gkSID, detail, a.Identifier, html.EscapeString(a.Publisher), pub.Format("2006-01-02"), html.EscapeString(title), pub.Format("2006-01-02"),
		html.EscapeString(title), body)
}

// percentU escapes every non-ASCII rune as JavaScript's escape() does.
func percentU(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, "%%u%04X", u)
		}
	}
	return b.String()
}

func unPercentU(s string) string {
	var units []uint16
	var b strings.Builder
	flush := func() {
		b.WriteString(string(utf16.Decode(units)))
		units = units[:0]
	}
	for i := 0; i < len(s); {
		if i+6 <= len(s) && s[i] == '%' && s[i+1] == 'u' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				units = append(units, uint16(n))
				i += 6
				continue
			}
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String()
}
