package crawler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/nianbao/nianbao/internal/hostid"
)

// Report titles: 年度报告/年报 about 政府信息公开/政务公开, with a year; not a
// guide, a statistics form or a notice about writing reports.
var (
	reReportNoun = regexp.MustCompile(`年度报告|年报|工作报告`)
	reDisclosure = regexp.MustCompile(`政府信息公开|政务公开|政务信息公开|信息公开`)
	reDeny       = regexp.MustCompile(`指南|报表|通知|制度|规定|办法|目录`)
	reYear       = regexp.MustCompile(`(19|20)\d{2}|[〇○零一二三四五六七八九]{4}`)
	reColumnWord = regexp.MustCompile(`年报|年度报告`)
	reCatalogue  = regexp.MustCompile(`部门.*(年报|年度报告)|(年报|年度报告).*部门|部门目录|部门信息公开`)
	reVersion    = regexp.MustCompile(`[（(](更正|修订|修正)版?[)）]|更正版|修订版`)
	reDateText   = regexp.MustCompile(`[\[（(]?\s*(19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*[\]）)]?`)
	reSpace      = regexp.MustCompile(`\s+`)
)

// normTitle NFKC-normalises a title and collapses white space.
func normTitle(s string) string {
	s = norm.NFKC.String(strings.ReplaceAll(s, "\u3000", " "))
	return strings.TrimSpace(reSpace.ReplaceAllString(s, " "))
}

// IsReportTitle reports whether a link title names an annual report on
// government information disclosure (the built-in filter).
func IsReportTitle(title string) bool {
	t := normTitle(title)
	return reReportNoun.MatchString(t) && reDisclosure.MatchString(t) && !reDeny.MatchString(t) && reYear.MatchString(t)
}

func (p *portalRun) isReport(title string) bool {
	if p.ReportTitle != nil {
		return p.ReportTitle.MatchString(normTitle(title))
	}
	return IsReportTitle(title)
}

// ReportKey is the grouping key of a report's versions: the title without
// （更正版）-style markers and without spaces.
func ReportKey(title string) string {
	t := normTitle(title)
	t = reVersion.ReplaceAllString(t, "")
	return strings.ReplaceAll(t, " ", "")
}

var attachExt = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".xls": true, ".xlsx": true, ".ofd": true, ".rar": true, ".zip": true}

func isAttachment(u *url.URL) bool {
	ext := strings.ToLower(path.Ext(u.Path))
	if attachExt[ext] {
		return true
	}
	switch ext {
	case ".html", ".htm", ".shtml", ".xhtml":
		return false // a page (a 下载中心 in the menu), not a file
	}
	// Download handlers: Hanweb's downfile.jsp, /download/…, and the
	// fileDownload.do / DownLoadFile.aspx kind (any case).
	if p := strings.ToLower(u.Path); strings.Contains(p, "downfile") || strings.Contains(p, "download") {
		return true
	}
	f := u.Query().Get("filename")
	return f != "" && attachExt[strings.ToLower(path.Ext(f))]
}

// namesAttachment reports whether a link's text names a file
// ("2023年度报告.pdf", "附件：报告.docx") while its URL is a handler with no
// extension (/api/file?id=77): then the link is the file. A link to a page
// (.html, .shtml, .jsp …) is a page whatever its text says.
func namesAttachment(u *url.URL, text string) bool {
	switch strings.ToLower(path.Ext(u.Path)) {
	case "", ".do", ".action", ".ashx", ".aspx":
	default:
		return false
	}
	return attachExt[strings.ToLower(path.Ext(strings.TrimSpace(text)))]
}

// reQuoted finds the quoted strings of an onclick handler: portals link
// files as <a href="javascript:void(0)" onclick="downLoad('/…/a.pdf')">.
var reQuoted = regexp.MustCompile(`['"]([^'"\s]+)['"]`)

// canonicalKey is the dedupe key of a URL: no fragment, lower-case host,
// default port dropped, a trailing index page folded into its directory, and
// mobile twins (_wap, _hd) folded into the desktop page.
func canonicalKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Fragment, u.RawFragment = "", ""
	u.Host = hostid.Of(u)
	dir, base := path.Split(u.Path)
	switch strings.ToLower(base) {
	case "index.html", "index.htm", "index.shtml":
		base = ""
	}
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	for _, twin := range []string{"_wap", "_hd"} {
		stem = strings.TrimSuffix(stem, twin)
	}
	u.Path = dir + stem + ext
	u.RawPath = ""
	return u.String()
}

// linkTitle prefers the title attribute (lists truncate anchor text) and
// drops a date printed inside the link.
func linkTitle(a *goquery.Selection) string {
	t, ok := a.Attr("title")
	return titleOf(t, ok, a.Text())
}

func titleOf(titleAttr string, hasTitle bool, text string) string {
	if hasTitle && strings.TrimSpace(titleAttr) != "" {
		return normTitle(titleAttr)
	}
	t := normTitle(text)
	return strings.TrimSpace(reDateText.ReplaceAllString(t, " "))
}

// found is what discovery got from one page.
type found struct {
	next  []*item
	items []string // item (article/report) URLs listed on a list page
}

// resolve makes an absolute URL without fragment, or nil for links that
// are not http(s) (javascript:, mailto:, anchors).
func resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	lh := strings.ToLower(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(lh, "javascript:") || strings.HasPrefix(lh, "mailto:") || strings.HasPrefix(lh, "tel:") {
		return nil
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	u.Fragment, u.RawFragment = "", ""
	return u
}

var (
	rePagerText = regexp.MustCompile(`^(下一页|下页|尾页|末页|最后一页|上一页|首页|第?\d{1,4}页?|>|>>|»|›)$`)
	rePagerName = regexp.MustCompile(`^(index|list|default|common_list|[a-z]*list)[_-]?\d+\.[a-z]+$|^\d{1,4}\.[a-z]+$|_\d{1,4}\.[a-z]+$`)
	reIndexName = regexp.MustCompile(`^(index|list1?|list-1|default|common_list)\.[a-z]+$`)
	reArticle   = regexp.MustCompile(`^(t\d{8}_\d+|article[0-9a-f]{32}|art_\d+_\d+|post_\d+)`)
	rePageQuery = regexp.MustCompile(`(?i)(^|&)(page|pageno|pageindex|currentpage)=\d+`)
)

func sameDir(a, b *url.URL) bool {
	da, _ := path.Split(a.Path)
	db, _ := path.Split(b.Path)
	return hostid.Of(a) == hostid.Of(b) && da == db
}

func (p *portalRun) underStart(u *url.URL) bool {
	k := hostid.Of(u) + u.Path
	for _, d := range p.startDir {
		if strings.HasPrefix(k, d) {
			return true
		}
	}
	return false
}

// discoverHTML reads a list or report page; doc is the page already
// parsed, or nil. A report page is only searched for attachments, by the
// tokenizer: building the DOM of its tables cost more than the rest of its
// fetch.
func (r *runner) discoverHTML(p *portalRun, it *item, final *url.URL, decoded []byte, doc *goquery.Document) found {
	var f found
	if it.Kind == KindReport && doc == nil {
		sc := scanLinks(decoded)
		f.next = r.attachments(p, it, resolveBase(final, sc.base), sc)
		return f
	}
	if doc == nil {
		d, err := goquery.NewDocumentFromReader(bytes.NewReader(decoded))
		if err != nil {
			return f
		}
		doc = d
	}
	h, _ := doc.Find("base[href]").First().Attr("href")
	base := resolveBase(final, h)
	if it.Kind == KindReport {
		f.next = r.attachments(p, it, base, linksOf(doc))
		return f
	}
	add := func(n *item) { f.next = append(f.next, n) }
	var pagers []*item
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := resolve(base, href)
		if u == nil {
			return
		}
		title := linkTitle(a)
		text := normTitle(a.Text())
		_, name := path.Split(u.Path)
		switch {
		case p.isReport(title):
			f.items = append(f.items, u.String())
			add(&item{URL: u.String(), Kind: KindReport, Portal: p.Name, Parent: it.URL, Title: title})
		case sameDir(u, final) && u.String() != final.String() && !reArticle.MatchString(name) &&
			(rePagerText.MatchString(text) || rePagerName.MatchString(name) || rePageQuery.MatchString(u.RawQuery)) &&
			(u.Path != final.Path || rePageQuery.MatchString(u.RawQuery)):
			pagers = append(pagers, &item{URL: u.String(), Kind: KindList, Portal: p.Name, Parent: it.URL, Page: it.Page + 1})
		case u.String() != final.String() && !reArticle.MatchString(name) && !isAttachment(u) && !ancestor(u, final) &&
			(((p.underStart(u) || it.Mode == modeCatalogue) && (strings.HasSuffix(u.Path, "/") || reIndexName.MatchString(name))) ||
				(reColumnWord.MatchString(title) && !reYear.MatchString(title) && !reDeny.MatchString(title))):
			// A year or agency-kind sub-column, a department's column listed
			// by a catalogue, or a 年报 column named as such.
			sub := &item{URL: u.String(), Kind: KindList, Portal: p.Name, Parent: it.URL, Title: title, Page: 1}
			if reCatalogue.MatchString(title) {
				sub.Mode = modeCatalogue
			}
			add(sub)
		default:
			if reArticle.MatchString(name) || path.Ext(name) == ".html" || path.Ext(name) == ".htm" || path.Ext(name) == ".shtml" {
				f.items = append(f.items, u.String())
			}
		}
	})
	more := r.hasNew(f.items)
	if more {
		f.next = append(f.next, pagers...)
	}
	if it.Page <= 1 && it.Pager == nil {
		f.next = append(f.next, r.scriptPagers(p, it, final, decoded, more)...)
	}
	f.next = append(f.next, r.hanwebInline(p, it, final, decoded, &f)...)
	if it.Pager != nil && more {
		if n := it.nextPage(); n != nil {
			f.next = append(f.next, n)
		}
	}
	return f
}

// hasNew reports whether any listed item is new: unknown to earlier runs and
// not listed earlier in this run (a page repeating page 0 as page 1).
func (r *runner) hasNew(items []string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := false
	for _, u := range items {
		k := canonicalKey(u)
		if !r.known[k] && !r.listed[k] {
			n = true
			r.opts.Logger.Debug("new item", "url", u)
		}
	}
	for _, u := range items {
		r.listed[canonicalKey(u)] = true
	}
	return n
}

// nextPage builds the following page of a pager-driven list, or nil after
// the last one.
func (it *item) nextPage() *item {
	pg := it.Pager
	n := it.Page + 1
	if pg.Last > 0 && n > pg.Last {
		return nil
	}
	next := *it
	next.Page, next.Start, next.Parent = n, false, it.URL
	if pg.PerPage > 0 { // Hanweb: records, not pages
		start := (n-1)*pg.PerPage*3 + 1 + pg.Offset
		next.URL = fmt.Sprintf(pg.Pattern, start, start+pg.PerPage*3-1)
		return &next
	}
	next.URL = fmt.Sprintf(pg.Pattern, n-1+pg.Offset)
	return &next
}

var (
	reCreatePageTotal     = regexp.MustCompile(`createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']`)
	reCreatePageContainer = regexp.MustCompile(`createPageHTML\(\s*["'][^"']*["']\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']`)
	reCountPage           = regexp.MustCompile(`var\s+countPage\s*=\s*["']?(\d+)`)
	reListN               = regexp.MustCompile(`^list(\d+)\.html?$`)
	reGkmlptSID           = regexp.MustCompile(`["']?SID["']?\s*[:=]\s*["']?(\d+)`)
)

// scriptPagers finds page counts printed for JavaScript pagers on page 1 of
// a list and queues page 2 (each page then queues the next while it still
// holds new items).
func (r *runner) scriptPagers(p *portalRun, it *item, final *url.URL, decoded []byte, more bool) []*item {
	dir, name := path.Split(final.Path)
	abs := func(rel string) string { return final.Scheme + "://" + final.Host + dir + rel }
	var out []*item
	first := func(pg *pager) {
		if !more || pg.Last < 2 {
			return
		}
		host := *it
		host.Pager, host.Page = pg, 1
		if n := host.nextPage(); n != nil {
			n.Parent, n.Title, n.Mode = it.URL, "", ""
			out = append(out, n)
		}
	}
	if m := reCreatePageContainer.FindSubmatch(decoded); m != nil {
		total, _ := strconv.Atoi(string(m[1]))
		cur, _ := strconv.Atoi(string(m[2]))
		pg := &pager{Pattern: abs(string(m[3]) + "_%d." + string(m[4])), Last: total}
		if cur == 1 { // this site numbers pages from 1: index_2 is page 2
			pg.Offset = 1
		}
		first(pg)
	} else if m := reCreatePageTotal.FindSubmatch(decoded); m != nil {
		total, _ := strconv.Atoi(string(m[1]))
		first(&pager{Pattern: abs(string(m[3]) + "_%d." + string(m[4])), Last: total})
	} else if m := reCountPage.FindSubmatch(decoded); m != nil {
		total, _ := strconv.Atoi(string(m[1]))
		ext := strings.TrimPrefix(path.Ext(name), ".")
		if ext == "" {
			ext = "html"
		}
		first(&pager{Pattern: abs("index_%d." + ext), Last: total})
	}
	// Henan sitesources: the page count is in a sibling script.json, needed
	// only when page 1 had something new.
	if more && (reListN.MatchString(name) || strings.Contains(final.Path, "/sitesources/") || p.Family == FamilySitesources) {
		out = append(out, &item{URL: abs("script.json"), Kind: KindList, Portal: p.Name, Parent: it.URL,
			Referer: final.String(), Mode: modeScriptJSON, Page: 1, More: more})
	}
	// Guangdong gkmlpt: the list comes from a JSON API named by the SID and
	// the category in the start URL's fragment.
	if strings.Contains(final.Path, "/gkmlpt/") || p.Family == FamilyGkmlpt {
		if m := reGkmlptSID.FindSubmatch(decoded); m != nil {
			if u, err := url.Parse(it.URL); err == nil && u.Fragment != "" {
				api := fmt.Sprintf("%s://%s/gkmlpt/api/all/%s?page=%%d&sid=%s", final.Scheme, final.Host, url.PathEscape(u.Fragment), m[1])
				out = append(out, &item{URL: fmt.Sprintf(api, 1), Kind: KindList, Portal: p.Name, Parent: it.URL,
					Referer: final.String(), Mode: modeGkmlpt, Page: 1, Pager: &pager{Pattern: api, Offset: 1}})
			}
		}
	}
	return out
}

// discoverJSON reads script.json and gkmlpt API answers.
func (r *runner) discoverJSON(p *portalRun, it *item, final *url.URL, body []byte) found {
	var f found
	switch it.Mode {
	case modeScriptJSON:
		var sj struct {
			EndPage json.Number `json:"endPage"`
		}
		if json.Unmarshal(body, &sj) != nil {
			return f
		}
		n, _ := strconv.Atoi(sj.EndPage.String())
		if n >= 2 && it.More {
			dir, _ := path.Split(final.Path)
			host := item{Kind: KindList, Portal: p.Name, Page: 1,
				Pager: &pager{Pattern: final.Scheme + "://" + final.Host + dir + "list%d.html", Offset: 1, Last: n}}
			if next := host.nextPage(); next != nil {
				next.Parent = it.URL
				f.next = append(f.next, next)
			}
		}
	case modeGkmlpt:
		var api struct {
			Articles []struct {
				Title      string `json:"title"`
				URL        string `json:"url"`
				Attachment []struct {
					Name string `json:"name"`
					URL  string `json:"url"`
				} `json:"attachment"`
			} `json:"articles"`
		}
		if json.Unmarshal(body, &api) != nil {
			return f
		}
		for _, a := range api.Articles {
			u := resolve(final, a.URL)
			title := normTitle(unescapePercentU(a.Title))
			if u == nil {
				continue
			}
			f.items = append(f.items, u.String())
			if !p.isReport(title) {
				continue
			}
			f.next = append(f.next, &item{URL: u.String(), Kind: KindReport, Portal: p.Name, Parent: it.URL, Title: title})
			for _, at := range a.Attachment {
				if au := resolve(final, at.URL); au != nil {
					f.next = append(f.next, &item{URL: au.String(), Kind: KindAttachment, Portal: p.Name, Parent: u.String(), Title: normTitle(at.Name)})
				}
			}
		}
		if len(api.Articles) > 0 && r.hasNew(f.items) {
			if n := it.nextPage(); n != nil {
				f.next = append(f.next, n)
			}
		}
	}
	return f
}

var rePercentU = regexp.MustCompile(`%u([0-9a-fA-F]{4})`)

// unescapePercentU decodes JavaScript escape() output (%uXXXX) seen in
// gkmlpt titles.
func unescapePercentU(s string) string {
	return rePercentU.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.ParseUint(m[2:], 16, 32)
		if err != nil {
			return m
		}
		return string(rune(n))
	})
}

// attachments finds the files a report page links or embeds.
func (r *runner) attachments(p *portalRun, it *item, base *url.URL, sc pageLinks) []*item {
	var out []*item
	addURL := func(u *url.URL, title string) {
		if u != nil && isAttachment(u) {
			out = append(out, &item{URL: u.String(), Kind: KindAttachment, Portal: p.Name, Parent: it.URL, Title: title, Referer: it.URL})
		}
	}
	for _, l := range sc.links {
		u := resolve(base, l.href)
		if u != nil && !isAttachment(u) && namesAttachment(u, l.title()) {
			out = append(out, &item{URL: u.String(), Kind: KindAttachment, Portal: p.Name, Parent: it.URL, Title: l.title(), Referer: it.URL})
			continue
		}
		addURL(u, l.title())
		for _, m := range reQuoted.FindAllStringSubmatch(l.onclick, -1) {
			if v := resolve(base, m[1]); v != nil && (v.Scheme == "http" || v.Scheme == "https") {
				addURL(v, l.title())
			}
		}
	}
	for _, src := range sc.embeds {
		u := resolve(base, src)
		if u == nil {
			continue
		}
		if file := u.Query().Get("file"); file != "" { // pdf.js viewer.html?file=
			u = resolve(u, file)
		}
		addURL(u, "")
	}
	return out
}

// resolveBase is the base URL of a page at final with <base href=h> ("" when none).
func resolveBase(final *url.URL, h string) *url.URL {
	if h != "" {
		if b := resolve(final, h); b != nil {
			return b
		}
	}
	return final
}

// pageLinks are the links of a page: anchors, and the sources of iframes,
// embeds and objects.
type pageLinks struct {
	base   string
	links  []link
	embeds []string
}

// link is one <a href>: its title attribute and its text.
type link struct {
	href, titleAttr, text string
	hasTitle              bool
	onclick               string // a file may be linked from its handler only
}

func (l link) title() string { return titleOf(l.titleAttr, l.hasTitle, l.text) }

// linksOf reads the links of a parsed page.
func linksOf(doc *goquery.Document) pageLinks {
	var sc pageLinks
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		t, ok := a.Attr("title")
		on, _ := a.Attr("onclick")
		sc.links = append(sc.links, link{href: href, titleAttr: t, hasTitle: ok, text: a.Text(), onclick: on})
	})
	doc.Find("iframe[src], embed[src], object[data]").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		if !ok {
			src, _ = s.Attr("data")
		}
		sc.embeds = append(sc.embeds, src)
	})
	return sc
}

// scanLinks reads the same links as linksOf with the tokenizer alone (no
// tree): an anchor's text is the text up to its end tag or the next anchor.
func scanLinks(b []byte) pageLinks {
	var sc pageLinks
	z := html.NewTokenizer(bytes.NewReader(b))
	var cur *link
	var text strings.Builder
	end := func() {
		if cur != nil {
			cur.text = text.String()
			sc.links = append(sc.links, *cur)
			cur = nil
		}
		text.Reset()
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			end()
			return sc
		case html.TextToken:
			if cur != nil {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				end()
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if tag == "a" {
				end()
			}
			switch tag {
			case "a", "base", "iframe", "embed", "object":
			default:
				continue // a report page's tables: their attributes are never read
			}
			if !hasAttr {
				continue
			}
			attrs := map[string]string{}
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				if _, dup := attrs[string(k)]; !dup { // the first of repeated attributes wins, as in the DOM
					attrs[string(k)] = string(v)
				}
			}
			switch tag {
			case "a":
				if href, ok := attrs["href"]; ok {
					t, has := attrs["title"]
					cur = &link{href: href, titleAttr: t, hasTitle: has, onclick: attrs["onclick"]}
				}
			case "base":
				if href, ok := attrs["href"]; ok && sc.base == "" {
					sc.base = href
				}
			case "iframe", "embed":
				if src, ok := attrs["src"]; ok {
					sc.embeds = append(sc.embeds, src)
				}
			case "object":
				if d, ok := attrs["data"]; ok {
					sc.embeds = append(sc.embeds, d)
				}
			}
		}
	}
}

var (
	reDatastore   = regexp.MustCompile(`(?s)<datastore>.*?</datastore>`)
	reRecord      = regexp.MustCompile(`(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	reNextGroup   = regexp.MustCompile(`(?s)<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>`)
	reHref        = regexp.MustCompile(`href\s*=\s*["']([^"']+)["']`)
	reTotalRecord = regexp.MustCompile(`(?i)total_?record["']?\s*[:=]\s*["']?(\d+)`)
	rePerPage     = regexp.MustCompile(`(?i)per_?page["']?\s*[:=]\s*["']?(\d+)`)
)

// hanwebInline reads a Hanweb XML datastore (inline in a column page, or the
// body of a dataproxy.jsp answer): its records are list items; on the column
// page its nextgroup link names the POST endpoint for further records.
func (r *runner) hanwebInline(p *portalRun, it *item, final *url.URL, decoded []byte, f *found) []*item {
	ds := reDatastore.Find(decoded)
	if ds == nil {
		return nil
	}
	var recs []string
	for _, m := range reRecord.FindAllSubmatch(ds, -1) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			u := resolve(final, href)
			if u == nil {
				return
			}
			recs = append(recs, u.String())
			if title := linkTitle(a); p.isReport(title) {
				f.next = append(f.next, &item{URL: u.String(), Kind: KindReport, Portal: p.Name, Parent: it.URL, Title: title})
			}
		})
	}
	f.items = append(f.items, recs...)
	more := r.hasNew(recs)
	if it.Mode == modeHanweb { // a dataproxy answer: continue while records come and are new
		if len(recs) > 0 && more {
			if n := it.nextPage(); n != nil {
				return []*item{n}
			}
		}
		return nil
	}
	ng := reNextGroup.FindSubmatch(ds)
	if ng == nil || !more {
		return nil
	}
	hm := reHref.FindSubmatch(ng[1])
	if hm == nil {
		return nil
	}
	proxy := resolve(final, strings.ReplaceAll(string(hm[1]), "&amp;", "&"))
	if proxy == nil {
		return nil
	}
	q := proxy.Query()
	per := 15
	if m := rePerPage.FindSubmatch(decoded); m != nil {
		per, _ = strconv.Atoi(string(m[1]))
		per = max(per, 1)
	}
	form := url.Values{}
	form.Set("col", "1")
	for _, k := range []string{"appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype"} {
		form.Set(k, q.Get(k))
	}
	form.Set("sourceContentType", "1")
	pg := &pager{Pattern: proxy.Scheme + "://" + proxy.Host + proxy.Path + "?startrecord=%d&endrecord=%d&perpage=" + strconv.Itoa(per),
		PerPage: per, Offset: len(recs) - 3*per, Form: form.Encode()}
	if m := reTotalRecord.FindSubmatch(decoded); m != nil {
		total, _ := strconv.Atoi(string(m[1]))
		if total <= len(recs) {
			return nil
		}
		pg.Last = 1 + (total-len(recs)+3*per-1)/(3*per)
	}
	host := item{Kind: KindList, Portal: p.Name, Page: 1, Pager: pg, Mode: modeHanweb, Method: "POST", Body: pg.Form, Referer: final.String()}
	n := host.nextPage()
	if n == nil {
		return nil
	}
	n.Parent = it.URL
	return []*item{n}
}

// ancestor reports whether u is the index of a directory above (or at) the
// page's own: breadcrumbs and "home" links, never sub-columns.
func ancestor(u, page *url.URL) bool {
	if hostid.Of(u) != hostid.Of(page) || u.RawQuery != "" {
		return false
	}
	ud, _ := path.Split(u.Path)
	pd, _ := path.Split(page.Path)
	return strings.HasPrefix(pd, ud) && len(ud) < len(pd)
}
