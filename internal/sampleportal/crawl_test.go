package sampleportal_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/internal/charset"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

var (
	hrefRe       = regexp.MustCompile(`(?i)href\s*=\s*["']([^"'#]+)["']`)
	createPageRe = regexp.MustCompile(`createPageHTML\((\d+),\s*(\d+),\s*"([^"]+)",\s*"([^"]+)"\)`)
	scriptJSONRe = regexp.MustCompile(`url\s*:\s*"(script\.json)"`)
	// createPageHTML('page_div', N, cur, 'index', 'shtml', R): cur = 1 on the
	// first page means index_2 is page 2.
	createPageContRe = regexp.MustCompile(`createPageHTML\('[^']*',\s*(\d+),\s*(\d+),\s*'([^']+)',\s*'([^']+)'`)
)

// miniCrawl follows links, createPageHTML pagers and script.json page counts
// from the portals' start URLs within their allowed domains: the minimum a
// crawler must do to find every report. It returns the status of each URL it
// fetched and the off-domain links it saw (and did not follow).
func miniCrawl(t *testing.T, p *sampleportal.Portal, c *http.Client) (map[string]int, []string) {
	t.Helper()
	allowed := map[string]bool{}
	var queue []string
	for _, pc := range p.Portals() {
		for _, d := range pc.AllowedDomains {
			allowed[d] = true
		}
		queue = append(queue, pc.StartURLs...)
	}
	seen := map[string]int{}
	var offDomain []string
	enqueue := func(base *url.URL, ref string) {
		u, err := base.Parse(strings.TrimSpace(ref))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		if !allowed[u.Hostname()] {
			offDomain = append(offDomain, u.String())
			return
		}
		if _, ok := seen[u.String()]; !ok && !slices.Contains(queue, u.String()) {
			queue = append(queue, u.String())
		}
	}
	for len(queue) > 0 && len(seen) < 2000 {
		raw := queue[0]
		queue = queue[1:]
		if _, ok := seen[raw]; ok {
			continue
		}
		f := get(t, c, raw)
		seen[raw] = f.status
		base, _ := url.Parse(raw)
		if loc := f.header.Get("Location"); f.status/100 == 3 && loc != "" {
			enqueue(base, loc)
			continue
		}
		if f.status != http.StatusOK {
			continue
		}
		ct := f.header.Get("Content-Type")
		if strings.Contains(ct, "json") {
			var sj struct{ EndPage int }
			if json.Unmarshal(f.body, &sj) == nil {
				for i := 1; i <= sj.EndPage; i++ {
					enqueue(base, "list"+strconv.Itoa(i)+".html")
				}
			}
			continue
		}
		if !strings.Contains(ct, "html") {
			continue
		}
		text, _ := charset.Decode(f.body, ct)
		for _, m := range hrefRe.FindAllStringSubmatch(string(text), -1) {
			enqueue(base, html.UnescapeString(m[1]))
		}
		for _, m := range createPageRe.FindAllStringSubmatch(string(text), -1) {
			n, _ := strconv.Atoi(m[1])
			for i := 0; i < n; i++ {
				name := m[3] + "." + m[4]
				if i > 0 {
					name = m[3] + "_" + strconv.Itoa(i) + "." + m[4]
				}
				enqueue(base, name)
			}
		}
		for _, m := range createPageContRe.FindAllStringSubmatch(string(text), -1) {
			n, _ := strconv.Atoi(m[1])
			cur, _ := strconv.Atoi(m[2])
			for i := 1; i <= n; i++ {
				name := m[3] + "." + m[4]
				if i > 1 {
					name = m[3] + "_" + strconv.Itoa(i-1+min(cur, 1)) + "." + m[4]
				}
				enqueue(base, name)
			}
		}
		for _, a := range gkmlptArticles(t, c, base, text) {
			enqueue(base, a)
		}
		for _, rec := range hanwebRecords(t, c, base, text) {
			enqueue(base, rec)
		}
		if scriptJSONRe.Match(text) {
			enqueue(base, "script.json")
		}
	}
	return seen, offDomain
}

var (
	nextGroupRe   = regexp.MustCompile(`<nextgroup><!\[CDATA\[<a href="([^"]+)"`)
	totalRecordRe = regexp.MustCompile(`totalRecord:(\d+)`)
	perPageRe     = regexp.MustCompile(`perPage:(\d+)`)
	recordHrefRe  = regexp.MustCompile(`<record><!\[CDATA\[\s*<li><a href="([^"]+)"`)
)

// hanwebRecords returns the record links of a Hanweb column page: the
// inline datastore, then the rest through dataproxy.jsp POSTs shaped like
// the browser's.
func hanwebRecords(t *testing.T, c *http.Client, base *url.URL, page []byte) []string {
	t.Helper()
	var links []string
	for _, m := range recordHrefRe.FindAllSubmatch(page, -1) {
		links = append(links, string(m[1]))
	}
	ng, tot, per := nextGroupRe.FindSubmatch(page), totalRecordRe.FindSubmatch(page), perPageRe.FindSubmatch(page)
	if ng == nil || tot == nil || per == nil {
		return links
	}
	total, _ := strconv.Atoi(string(tot[1]))
	perPage, _ := strconv.Atoi(string(per[1]))
	proxy, err := base.Parse(strings.ReplaceAll(string(ng[1]), "&amp;", "&"))
	if err != nil {
		t.Fatalf("nextgroup link %q: %v", ng[1], err)
	}
	form := url.Values{"col": {"1"}, "sourceContentType": {"1"}}
	for _, k := range []string{"appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype"} {
		form.Set(k, proxy.Query().Get(k))
	}
	for start := len(links) + 1; start <= total; start += 3 * perPage {
		u := fmt.Sprintf("%s://%s%s?startrecord=%d&endrecord=%d&perpage=%d", proxy.Scheme, proxy.Host, proxy.Path, start, start+3*perPage-1, perPage)
		f := post(t, c, u, form, "Referer", base.String(), "X-Requested-With", "XMLHttpRequest")
		if f.status != http.StatusOK {
			t.Fatalf("POST %s: %d %s", u, f.status, f.body)
		}
		for _, m := range recordHrefRe.FindAllSubmatch(f.body, -1) {
			links = append(links, string(m[1]))
		}
	}
	return links
}

var sidRe = regexp.MustCompile(`_CONFIG\s*=\s*\{SID:\s*'(\d+)'`)

// gkmlptArticles pages through a gkmlpt category's JSON API (named by the
// shell's SID and the URL fragment) until a 404, returning article and
// attachment URLs.
func gkmlptArticles(t *testing.T, c *http.Client, base *url.URL, page []byte) []string {
	t.Helper()
	m := sidRe.FindSubmatch(page)
	if m == nil || base.Fragment == "" || !strings.HasSuffix(base.Path, "/gkmlpt/index") {
		return nil
	}
	var out []string
	for n := 1; n < 50; n++ {
		u := fmt.Sprintf("%s://%s/gkmlpt/api/all/%s?page=%d&sid=%s", base.Scheme, base.Host, base.Fragment, n, m[1])
		f := get(t, c, u)
		if f.status == http.StatusNotFound {
			return out
		}
		var api struct {
			Articles []struct {
				URL        string
				Attachment []struct{ URL string }
			}
		}
		if f.status != http.StatusOK || json.Unmarshal(f.body, &api) != nil {
			t.Fatalf("GET %s: %d %.200s", u, f.status, f.body)
		}
		for _, a := range api.Articles {
			out = append(out, a.URL)
			for _, at := range a.Attachment {
				out = append(out, at.URL)
			}
		}
	}
	t.Fatalf("gkmlpt API at %s never ended", base)
	return nil
}

func post(t *testing.T, c *http.Client, u string, form url.Values, hdr ...string) fetched {
	t.Helper()
	return do(t, c, http.MethodPost, u, strings.NewReader(form.Encode()), hdr...)
}

func TestReports_ReachableByFollowingLists(t *testing.T) {
	p, c := start(t, sampleportal.Options{Families: sampleportal.AllFamilies()})
	seen, off := miniCrawl(t, p, c)
	reports := p.Reports()
	if len(reports) == 0 {
		t.Fatal("Reports() is empty")
	}
	for _, r := range reports {
		if got, ok := seen[r.URL]; !ok || got != http.StatusOK {
			t.Errorf("report %s (%s %d): status %d, reached %v; want 200 via the lists", r.URL, r.Agency, r.Year, got, ok)
		}
		for _, a := range r.Attachments {
			if got := seen[a]; got != http.StatusOK && got != http.StatusFound {
				t.Errorf("attachment %s of %s: status %d; want 200 or a download redirect", a, r.URL, got)
			}
		}
	}
	if len(off) == 0 {
		t.Errorf("no off-domain link in any list; want at least one")
	}
	for _, u := range off {
		if !strings.Contains(u, sampleportal.HostOffDomain) {
			t.Errorf("off-domain link %s: want it on %s", u, sampleportal.HostOffDomain)
		}
	}
	if n := p.Requests(sampleportal.HostOffDomain); n != 0 {
		t.Errorf("Requests(%s) = %d; want 0", sampleportal.HostOffDomain, n)
	}
	// Non-report items sit in the same lists.
	var nonReports int
	for u, st := range seen {
		if st == http.StatusOK && !slices.ContainsFunc(reports, func(r sampleportal.ExpectedReport) bool { return r.URL == u }) &&
			(strings.Contains(u, "/article") || strings.Contains(u, "/t20")) {
			nonReports++
		}
	}
	if nonReports < 2 {
		t.Errorf("found %d non-report articles in the lists; want ≥ 2", nonReports)
	}
}
