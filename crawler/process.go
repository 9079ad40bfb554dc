package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/internal/charset"
	"github.com/nianbao/nianbao/internal/hostid"
)

// process fetches one item (with retries), archives it, journals the page and
// queues what it links to.
func (r *runner) process(hc *hostClient, it *item) {
	p := r.portals[it.Portal]
	h := hostOf(it.URL)
	prev := r.st.url(it.URL)
	hdr := r.headers(p, it, prev)

	var f fetched
	for attempt := 0; ; attempt++ {
		f = hc.fetchOnce(p, it, hdr.Clone())
		if f.final == nil && (f.err != nil && r.ctx.Err() != nil || errors.Is(f.err, ErrBudget)) {
			// Nothing was sent: the item stays in the frontier for the resume.
			if errors.Is(f.err, ErrBudget) {
				r.mu.Lock()
				r.stopped[h] = "daily budget spent"
				r.incomplete = true
				r.mu.Unlock()
			}
			return
		}
		retry, wait := retryable(&f, r.opts.Now())
		if !retry || attempt >= r.opts.Retries {
			break
		}
		if wait > MaxRetryAfter {
			break
		}
		back := max(r.opts.Delay, 200*time.Millisecond) << attempt
		back = max(back, wait)
		r.archiveHops(f.hops) // failed attempts are archived too: every response is kept
		r.opts.Logger.Info("retrying", "url", it.URL, "attempt", attempt+1, "wait", back, "err", errString(f.err), "status", status(f.final))
		t := time.NewTimer(back)
		select {
		case <-t.C:
		case <-r.ctx.Done():
			t.Stop()
		}
		if r.ctx.Err() != nil {
			break
		}
	}

	pg := Page{Portal: p.Name, URL: it.URL, ParentURL: it.Parent, Kind: it.Kind, FetchedAt: r.opts.Now(),
		Title: it.Title, Method: it.method()}
	if pg.Method == "GET" {
		pg.Method = ""
	}
	var fd found
	if f.final == nil {
		pg.Error = errString(f.err)
		r.classifyError(p, it, h, &f)
	} else {
		fd = r.handleResponse(p, it, h, prev, &f, &pg)
	}
	if pg.Kind == KindReport {
		pg.ReportKey = ReportKey(pg.Title)
	}

	unchanged := pg.NotModified || pg.revisitOf != nil
	added := false
	for _, n := range fd.next {
		if unchanged && n.Kind != KindList && r.fresh(n.URL, pg.FetchedAt) {
			continue // linked from an unchanged page and checked recently
		}
		if n.Kind == KindAttachment && r.refusedHost(p, n) {
			continue
		}
		added = r.add(n) || added
	}
	// The items a page led to are on disk before the page counts as done,
	// so a kill between the two cannot lose them.
	if added {
		if err := r.rd.SyncQueue(); err != nil {
			r.opts.Logger.Error("frontier sync failed", "err", err)
		}
	}
	if err := r.rd.Journal(it.key(), pg); err != nil {
		r.opts.Logger.Error("journal write failed", "url", it.URL, "err", err)
	}
	r.st.remember(&pg, fd.items)
	r.progress(p, h, &pg)
	// Budgets and validators are also rebuilt from the journal on resume;
	// saving now and then just keeps `nianbao status` current mid-run.
	if r.saved.Add(1)%50 == 0 {
		if err := r.st.save(); err != nil {
			r.opts.Logger.Error("save crawl state", "err", err)
		}
	}
}

// refusedHost journals, unfetched, an attachment a report page links on a
// host the portal does not allow (files are often served from another
// host): the crawler never asks it, and the page's report says which file
// it could not read and how to allow it, instead of silently lacking it.
func (r *runner) refusedHost(p *portalRun, it *item) bool {
	u, err := url.Parse(it.URL)
	if err != nil || p.allows(u) || u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	r.mu.Lock()
	seen := r.seen[it.key()]
	r.seen[it.key()] = true
	r.mu.Unlock()
	if seen {
		return true
	}
	pg := Page{Portal: p.Name, URL: it.URL, ParentURL: it.Parent, Kind: it.Kind, FetchedAt: r.opts.Now(), Title: it.Title,
		Error: fmt.Sprintf("not fetched: host %s is not in allowed_domains of portal %s (add it there to read this file)", hostid.Of(u), p.Name)}
	if err := r.rd.Journal(it.key(), pg); err != nil {
		r.opts.Logger.Error("journal write failed", "url", it.URL, "err", err)
	}
	r.opts.Logger.Warn("attachment on a host not allowed: not fetched", "portal", p.Name, "url", it.URL, "page", it.Parent)
	return true
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func status(x *archive.Response) int {
	if x == nil {
		return 0
	}
	return x.Status
}

func (r *runner) headers(p *portalRun, it *item, prev *urlState) http.Header {
	hdr := http.Header{}
	ua := r.opts.UserAgent
	if p.UserAgent != "" {
		ua = p.UserAgent
	}
	hdr.Set("User-Agent", ua)
	hdr.Set("Accept-Language", "zh-CN,zh;q=0.9")
	hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if it.Referer != "" {
		hdr.Set("Referer", it.Referer)
	}
	if it.Mode != "" {
		hdr.Set("X-Requested-With", "XMLHttpRequest")
	}
	if it.Mode == modeScriptJSON || it.Mode == modeGkmlpt {
		hdr.Set("Accept", "application/json, text/javascript, */*; q=0.01")
	}
	if it.method() == "POST" {
		hdr.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	}
	if prev != nil && it.method() == "GET" && prev.RecordID != "" {
		if prev.ETag != "" {
			hdr.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			hdr.Set("If-Modified-Since", prev.LastModified)
		}
	}
	return hdr
}

// archiveHops writes the exchanges of a fetch to the WARC file.
func (r *runner) archiveHops(hops []*archive.Response) {
	for _, x := range hops {
		if _, err := r.st.a.Put(archive.Entry{Response: x}); err != nil {
			r.opts.Logger.Error("warc write failed", "url", x.URL, "err", err)
		}
	}
}

// classifyError records a request that got no HTTP answer.
func (r *runner) classifyError(p *portalRun, it *item, h string, f *fetched) {
	err := f.err
	switch {
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		if rb := f.robots(); rb != nil {
			r.archiveHops([]*archive.Response{rb})
			if c := challenge(rb.Status, rb.Body); c != "" {
				r.stopHost(h, StateBlocked, "robots.txt: "+c)
				return
			}
			if rb.Status >= 500 {
				r.stopHost(h, StateUnreachable, fmt.Sprintf("robots.txt answered HTTP %d", rb.Status))
				return
			}
		}
		if it.Start {
			r.stopHost(h, StateRobotsDisallowed, "robots.txt disallows "+it.URL)
		}
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrForbiddenHost), errors.Is(err, ErrBadScheme):
		// a page-level refusal; the host is fine
	case errors.Is(err, ErrNonPublic):
		r.stopHost(h, StateUnreachable, err.Error())
	case isTLSError(err):
		r.stopHost(h, StateUnreachable, "TLS: "+err.Error())
	default:
		var ue *url.Error
		if errors.As(err, &ue) && strings.Contains(ue.Err.Error(), "redirect") {
			return
		}
		r.stopHost(h, StateUnreachable, err.Error())
	}
}

// handleResponse archives the final answer, classifies it and discovers links.
func (r *runner) handleResponse(p *portalRun, it *item, h string, prev *urlState, f *fetched, pg *Page) found {
	x := f.final
	r.archiveHops(f.hops[:len(f.hops)-1])
	pg.FinalURL = x.URL
	pg.Status = x.Status
	pg.ContentType = x.Header.Get("Content-Type")
	pg.ETag = x.Header.Get("ETag")
	pg.LastModified = x.Header.Get("Last-Modified")
	body := f.body
	var rev *archive.Revisit
	switch {
	case x.Status == http.StatusNotModified && prev != nil:
		pg.NotModified = true
		rev = &archive.Revisit{Of: prev.ref(), URL: it.URL, Date: prev.Date, NotModified: true}
		old, err := r.st.a.Read(prev.ref())
		if err != nil {
			pg.Error = "304 but archived copy unreadable: " + err.Error()
		} else {
			body = old.Body
			pg.ContentType = old.ContentType
		}
		pg.SHA256 = prev.SHA256
		if pg.ETag == "" {
			pg.ETag = prev.ETag
		}
		if pg.LastModified == "" {
			pg.LastModified = prev.LastModified
		}
	default:
		pg.SHA256 = archive.SHA256(body)
		if prev != nil && prev.SHA256 == pg.SHA256 && prev.RecordID != "" && x.Status == 200 {
			rev = &archive.Revisit{Of: prev.ref(), URL: it.URL, Date: prev.Date}
		}
	}
	pg.Size = int64(len(body))
	ref, err := r.st.a.Put(archive.Entry{Response: x, Revisit: rev})
	if err != nil {
		pg.Error = err.Error()
	} else {
		pg.ArchivePath, pg.WARCRecordID, pg.WARCOffset = ref.Path, ref.RecordID, ref.Offset
		pg.revisitOf = rev
	}

	final, _ := url.Parse(x.URL)
	text := isText(pg.ContentType, body)
	var decoded []byte
	var doc *goquery.Document // parsed once, here or by discovery, and shared
	if text {
		decoded, pg.Charset = charset.Decode(body, pg.ContentType)
		if pg.Title == "" || it.Kind == KindList {
			if d, err := goquery.NewDocumentFromReader(bytes.NewReader(decoded)); err == nil {
				doc = d
				if t := normTitle(doc.Find("title").First().Text()); t != "" {
					pg.Title = t
				}
			}
		}
	}

	// Faults: recognised, recorded per host, never read as "no reports".
	switch {
	case x.Status >= 300 && x.Status < 400 && x.Status != http.StatusNotModified:
		loc := x.Header.Get("Location")
		if lu := resolve(final, loc); lu != nil && !p.allows(lu) {
			pg.Error = fmt.Sprintf("redirect to %s outside allowed domains", lu)
			if it.Start || it.Kind == KindList {
				r.stopHost(h, StateMoved, fmt.Sprintf("HTTP %d to %s", x.Status, lu))
			}
			return found{}
		}
		pg.Error = fmt.Sprintf("HTTP %d not followed (Location %q)", x.Status, loc)
		if f.err != nil {
			pg.Error += ": " + f.err.Error()
		}
		return found{}
	case homeRedirect(f.hops):
		pg.Error = "soft 404: redirected to the home page"
		if it.Start || it.Kind == KindList && it.Page <= 1 {
			r.stopHost(h, StateMoved, "soft 404: "+it.URL+" redirects to the home page")
		}
		return found{}
	}
	if ra := retryAfter(x.Header.Get("Retry-After"), pg.FetchedAt); ra > 0 && (x.Status == 429 || x.Status == 503) {
		// Still rate-limited after the retries, or asked to wait longer than
		// a run waits: the host rests at least as long as it asked.
		pg.Error = fmt.Sprintf("HTTP %d, Retry-After %s", x.Status, ra)
		r.stopHost(h, StateBlocked, pg.Error)
		r.st.withHost(h, func(hr *hostRecord) {
			hr.AskedUntil = pg.FetchedAt.Add(ra)
			hr.RetryAfter = later(hr.RetryAfter, hr.AskedUntil)
		})
		return found{}
	}
	if text {
		if c := challenge(x.Status, decoded); c != "" {
			pg.Error = "blocked: " + c
			r.stopHost(h, StateBlocked, c)
			return found{}
		}
	}
	switch {
	case x.Status >= 500:
		pg.Error = fmt.Sprintf("HTTP %d", x.Status)
		r.stopHost(h, StateUnreachable, fmt.Sprintf("HTTP %d after %d tries", x.Status, r.opts.Retries+1))
		return found{}
	case (x.Status == 404 || x.Status == 410) && it.Kind == KindList && it.Page > 1:
		return found{} // past the last page of a list: the end, not an error (gkmlpt 404s after page 1)
	case x.Status == 404 || x.Status == 410:
		pg.Error = fmt.Sprintf("HTTP %d", x.Status)
		if it.Start {
			r.stopHost(h, StateMoved, fmt.Sprintf("start page %s answers HTTP %d", it.URL, x.Status))
		}
		return found{}
	case x.Status >= 400:
		pg.Error = fmt.Sprintf("HTTP %d", x.Status)
		return found{}
	}
	if text {
		if s := soft404(x.Status, decoded); s != "" {
			pg.Error = s
			if it.Start {
				r.stopHost(h, StateMoved, s+" at "+it.URL)
			}
			return found{}
		}
	}
	if pg.Error == "" && pg.SHA256 != "" && it.Kind == KindReport {
		r.mu.Lock()
		if first, ok := r.shas[pg.SHA256]; ok && first != it.URL {
			pg.DuplicateOf = first
		} else if !ok {
			r.shas[pg.SHA256] = it.URL
		}
		r.mu.Unlock()
	}
	r.hostOK(h)
	if !text || pg.Error != "" || it.Kind == KindAttachment {
		return found{}
	}
	var fd found
	switch it.Mode {
	case modeScriptJSON, modeGkmlpt:
		fd = r.discoverJSON(p, it, final, decoded)
	case modeHanweb:
		fd.next = append(fd.next, r.hanwebInline(p, it, final, decoded, &fd)...)
	default:
		fd = r.discoverHTML(p, it, final, decoded, doc)
	}
	if it.Start && it.Kind == KindList && len(fd.items) == 0 && !pg.NotModified &&
		!slices.ContainsFunc(fd.next, func(n *item) bool { return n.Mode != modeScriptJSON }) {
		// A column page with nothing in it is an SPA shell or a moved column,
		// not "no reports".
		pg.Error = "list page without items (SPA shell or moved column)"
		r.stopHost(h, StateMoved, pg.Error+" at "+it.URL)
	}
	if fd.items != nil && prev == nil {
		r.st.withHost(h, func(hr *hostRecord) { hr.LastNewPage = pg.FetchedAt })
	}
	return fd
}

func isText(ct string, body []byte) bool {
	ct = strings.ToLower(ct)
	switch {
	case strings.Contains(ct, "html"), strings.Contains(ct, "xml"), strings.Contains(ct, "json"),
		strings.Contains(ct, "text/"), strings.Contains(ct, "javascript"):
		return true
	case ct == "" || strings.Contains(ct, "octet-stream"):
		head := body[:min(len(body), 512)]
		return !bytes.HasPrefix(head, []byte("%PDF")) && !bytes.HasPrefix(head, []byte("PK")) && !bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")) &&
			http.DetectContentType(head) != "application/octet-stream"
	}
	return false
}

// progress reports a page to Options.Progress and the log.
func (r *runner) progress(p *portalRun, h string, pg *Page) {
	p.mu.Lock()
	p.counts.Pages++
	if pg.Kind == KindReport && pg.Error == "" {
		p.counts.Reports++
	}
	if pg.Error != "" {
		p.counts.Errors++
	}
	ev := p.counts
	p.mu.Unlock()
	ev.Portal, ev.Host, ev.URL, ev.Kind, ev.Status, ev.Err = p.Name, h, pg.URL, pg.Kind, pg.Status, pg.Error
	r.opts.Logger.Debug("page", "portal", p.Name, "url", pg.URL, "kind", pg.Kind, "status", pg.Status, "err", pg.Error)
	if r.opts.Progress != nil {
		r.progressMu.Lock() // callers get one call at a time
		r.opts.Progress(ev)
		r.progressMu.Unlock()
	}
}

// fresh reports whether u was fetched or re-checked within RecheckAge.
func (r *runner) fresh(u string, now time.Time) bool {
	us := r.st.url(u)
	return us != nil && now.Sub(us.Checked) < RecheckAge
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
