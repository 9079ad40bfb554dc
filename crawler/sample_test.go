package crawler_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// startSample starts the sample portal and returns it with the crawler's
// view of its portals.
func startSample(t *testing.T, opts sampleportal.Options) (*sampleportal.Portal, []crawler.Portal) {
	t.Helper()
	sp, err := sampleportal.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sp.Close)
	return sp, toPortals(sp.Portals())
}

func toPortals(cs []sampleportal.PortalConfig) []crawler.Portal {
	var ps []crawler.Portal
	for _, c := range cs {
		ps = append(ps, crawler.Portal{Name: c.Name, RegionCode: c.RegionCode, Family: c.Family,
			StartURLs: c.StartURLs, AllowedDomains: c.AllowedDomains, DepartmentCatalogue: c.DepartmentCatalogue})
	}
	return ps
}

func fastOptions(sp *sampleportal.Portal, dir string) crawler.Options {
	return crawler.Options{ArchiveDir: dir, Delay: -1, Timeout: 5 * time.Second, Resolve: sp.Resolve(), Retries: 2}
}

func mustRun(t *testing.T, opts crawler.Options, ps []crawler.Portal) *crawler.Result {
	t.Helper()
	res, err := crawler.Run(context.Background(), opts, ps)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// readPage reads a page's bytes back through the archive, the only door.
func readPage(dir string, p crawler.Page) ([]byte, string, error) {
	a, err := archive.Open(dir, archive.Options{})
	if err != nil {
		return nil, "", err
	}
	obj, err := a.Read(archive.Ref{Path: p.ArchivePath, Offset: p.WARCOffset, RecordID: p.WARCRecordID})
	if err != nil {
		return nil, "", err
	}
	return obj.Body, obj.ContentType, nil
}

func mustOpen(t *testing.T, dir string) *archive.Archive {
	t.Helper()
	a, err := archive.Open(dir, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func byURL(pages []crawler.Page) map[string]crawler.Page {
	m := map[string]crawler.Page{}
	for _, p := range pages {
		m[p.URL] = p
	}
	return m
}

// allowedHosts is every host the portals may contact.
func allowedHosts(ps []crawler.Portal) map[string]bool {
	m := map[string]bool{}
	for _, p := range ps {
		for _, d := range p.AllowedDomains {
			m[d] = true
		}
		for _, s := range p.StartURLs {
			u, _ := url.Parse(s)
			m[u.Hostname()] = true
		}
	}
	return m
}

func TestRun_SamplePortal(t *testing.T) {
	sp, ps := startSample(t, sampleportal.Options{})
	dir := t.TempDir()
	res := mustRun(t, fastOptions(sp, dir), ps)
	got := byURL(res.Pages)

	t.Run("finds every report", func(t *testing.T) {
		if len(sp.Reports()) < 10 {
			t.Fatalf("sample portal publishes only %d reports", len(sp.Reports()))
		}
		for _, r := range sp.Reports() {
			p, ok := got[r.URL]
			if !ok {
				t.Errorf("report %s (%s) not fetched", r.URL, r.Title)
				continue
			}
			if p.Kind != crawler.KindReport || p.Status != 200 || p.Error != "" || p.Portal != r.Portal {
				t.Errorf("report %s: kind %s status %d err %q portal %q", r.URL, p.Kind, p.Status, p.Error, p.Portal)
			}
			for _, a := range r.Attachments {
				ap, ok := got[a]
				if !ok || ap.Kind != crawler.KindAttachment || ap.ParentURL != r.URL || ap.Status != 200 {
					t.Errorf("attachment %s of %s: %+v", a, r.URL, ap)
				}
			}
		}
	})
	t.Run("no non-report item fetched as report", func(t *testing.T) {
		want := map[string]bool{}
		for _, r := range sp.Reports() {
			want[r.URL] = true
		}
		for _, p := range res.Pages {
			if p.Kind == crawler.KindReport && !want[p.URL] && p.DuplicateOf == "" {
				t.Errorf("page %s (%q) fetched as a report but the portal does not list it as one", p.URL, p.Title)
			}
		}
	})
	t.Run("no request outside the allowed hosts", func(t *testing.T) {
		if n := sp.Requests(sampleportal.HostOffDomain); n != 0 {
			t.Errorf("off-domain host got %d requests", n)
		}
		allowed := allowedHosts(ps)
		for _, r := range sp.Log() {
			if !allowed[r.Host] {
				t.Errorf("request to %s%s outside the allowed hosts", r.Host, r.Path)
			}
		}
	})
	t.Run("honest user agent and robots.txt read", func(t *testing.T) {
		robots := map[string]int{}
		for _, r := range sp.Log() {
			if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "nianbao/") || !strings.Contains(ua, "http") {
				t.Errorf("request %s%s with User-Agent %q", r.Host, r.Path, ua)
			}
			if r.Path == "/robots.txt" {
				robots[r.Host]++
			}
		}
		for h := range allowedHosts(ps) {
			if robots[h] != 1 {
				t.Errorf("robots.txt of %s read %d times; want once per run", h, robots[h])
			}
		}
	})
	t.Run("GBK pages decoded", func(t *testing.T) {
		n := 0
		for _, p := range res.Pages {
			if strings.Contains(p.URL, sampleportal.HostTRS) && p.Kind == crawler.KindReport {
				n++
				if p.Charset != "gb18030" || !strings.Contains(p.Title, "浉河区") {
					t.Errorf("TRS page %s: charset %q title %q", p.URL, p.Charset, p.Title)
				}
			}
		}
		if n == 0 {
			t.Fatal("no TRS report fetched")
		}
	})
	t.Run("archive readable record by record", func(t *testing.T) {
		for _, p := range res.Pages {
			if p.WARCRecordID == "" {
				continue
			}
			body, _, err := readPage(dir, p)
			if err != nil {
				t.Fatalf("read %s: %v", p.URL, err)
			}
			if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != p.SHA256 {
				t.Errorf("%s: archived bytes hash differs from the page's SHA256", p.URL)
			}
		}
		files, _ := mustOpen(t, dir).WARCFiles()
		if len(files) != 1 {
			t.Fatalf("want one WARC file per run, got %v", files)
		}
		recs, err := archive.Records(files[0])
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]int{}
		ids := map[string]bool{}
		for _, r := range recs {
			types[r.Type]++
			ids[r.ID] = true
		}
		if types["warcinfo"] != 1 || types["response"] < len(sp.Reports()) || types["request"] != types["response"]+types["revisit"] {
			t.Errorf("record types %v", types)
		}
		for _, p := range res.Pages {
			if p.WARCRecordID != "" && !ids[p.WARCRecordID] {
				t.Errorf("page %s points at record %s not in the file", p.URL, p.WARCRecordID)
			}
		}
	})
	t.Run("hosts ok", func(t *testing.T) {
		for _, h := range res.Hosts {
			if h.State != crawler.StateOK {
				t.Errorf("host %s: %s (%s)", h.Host, h.State, h.Detail)
			}
		}
		hs, err := crawler.LoadHostStates(dir)
		if err != nil || len(hs) != len(res.Hosts) {
			t.Errorf("LoadHostStates = %v, %v; want %d hosts", hs, err, len(res.Hosts))
		}
	})
}

// TestRun_NightTwo checks incremental runs: unchanged → only page 1 of each
// list and conditional re-checks; next night → the changed report is a new
// version, the new one is found, the gone one is an error page, not a fault.
func TestRun_NightTwo(t *testing.T) {
	sp, ps := startSample(t, sampleportal.Options{})
	dir := t.TempDir()
	opts := fastOptions(sp, dir)
	night1 := mustRun(t, opts, ps)
	if err := crawler.Ack(dir, night1.RunID); err != nil {
		t.Fatal(err)
	}
	n1 := len(sp.Log())
	sp.ResetLog()

	night2 := mustRun(t, opts, ps)
	if err := crawler.Ack(dir, night2.RunID); err != nil {
		t.Fatal(err)
	}
	log2 := sp.Log()
	for _, r := range log2 {
		t.Logf("night 2: %s %s%s %d", r.Method, r.Host, r.Path, r.Status)
	}
	t.Logf("requests: night 1 %d, night 2 (unchanged) %d", n1, len(log2))
	if len(log2) >= n1/2 {
		t.Errorf("unchanged night 2 sent %d requests, night 1 %d: want far fewer", len(log2), n1)
	}
	changed := 0
	for _, p := range night2.Pages {
		if p.Status == 200 && !p.NotModified && p.Kind != crawler.KindList {
			changed++
			t.Errorf("unchanged night 2 downloaded %s again", p.URL)
		}
		if p.Error != "" {
			t.Errorf("night 2 page %s: %s", p.URL, p.Error)
		}
	}
	revisits := 0
	for _, p := range night2.Pages {
		if !p.NotModified {
			continue
		}
		revisits++
		body, _, err := readPage(dir, p) // a revisit record, followed to the bytes
		if err != nil || len(body) == 0 {
			t.Errorf("revisit of %s: %d bytes, %v", p.URL, len(body), err)
		} else if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != p.SHA256 {
			t.Errorf("revisit of %s resolves to other bytes", p.URL)
		}
	}
	if revisits == 0 {
		t.Error("no 304 revisits on an unchanged night")
	}
	night2WARC := ""
	for _, p := range night2.Pages {
		if p.ArchivePath != "" {
			night2WARC = p.ArchivePath
		}
	}
	recs, err := archive.Records(night2WARC)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, r := range recs {
		types[r.Type]++
	}
	if types["revisit"] < revisits || types["response"] != 0 && types["response"] > len(log2) {
		t.Errorf("night 2 WARC record types %v; want revisits for the %d unchanged pages", types, revisits)
	}
	f, err := os.Open(night2WARC)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(f) // multistream: the whole file
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	f.Close()
	if err != nil {
		t.Fatalf("%s is not a clean sequence of gzip members: %v", night2WARC, err)
	}
	if n := bytes.Count(raw, []byte("WARC/1.1\r\n")); n != len(recs) {
		t.Errorf("%d WARC/1.1 headers for %d records", n, len(recs))
	}
	for _, r := range log2 {
		if strings.Contains(r.Path, "list2") || strings.Contains(r.Path, "index_2") {
			t.Errorf("night 2 paged on to %s%s although page 1 held only known items", r.Host, r.Path)
		}
	}

	before := map[string]string{}
	for _, r := range sp.Reports() {
		before[r.URL] = r.Title
	}
	prev := byURL(night1.Pages)
	sp.NextNight()
	sp.ResetLog()
	night3 := mustRun(t, opts, ps)
	got := byURL(night3.Pages)
	after := map[string]bool{}
	for _, r := range sp.Reports() {
		after[r.URL] = true
		p, ok := got[r.URL]
		if _, old := before[r.URL]; !old {
			if !ok || p.Status != 200 || p.Kind != crawler.KindReport {
				t.Errorf("new report %s not fetched: %+v", r.URL, p)
			}
			continue
		}
		if ok && p.Status == 200 && !p.NotModified && p.SHA256 == prev[r.URL].SHA256 {
			t.Errorf("report %s downloaded although unchanged", r.URL)
		}
	}
	var changedPages []string
	for _, p := range night3.Pages {
		if p.Kind == crawler.KindReport && p.Status == 200 && !p.NotModified && prev[p.URL].SHA256 != "" && p.SHA256 != prev[p.URL].SHA256 {
			changedPages = append(changedPages, p.URL)
		}
	}
	if len(changedPages) == 0 {
		t.Errorf("no changed report page fetched on the next night")
	}
	for u := range before {
		if !after[u] {
			if p, ok := got[u]; ok && p.Status != 404 && p.Error == "" {
				t.Errorf("gone report %s: %+v", u, p)
			}
		}
	}
	for _, h := range night3.Hosts {
		if h.State != crawler.StateOK {
			t.Errorf("host %s %s after a normal next night (%s)", h.Host, h.State, h.Detail)
		}
	}
	t.Logf("next night: %d requests, changed %v", len(sp.Log()), changedPages)
}

func TestRun_ArchiveOnlyOffline(t *testing.T) {
	sp, ps := startSample(t, sampleportal.Options{Families: []string{"trs"}})
	dir := t.TempDir()
	res := mustRun(t, fastOptions(sp, dir), ps)
	sp.Close() // the network is off from here on
	for _, p := range res.Pages {
		if p.Kind != crawler.KindReport {
			continue
		}
		body, ct, err := readPage(dir, p)
		if err != nil || len(body) == 0 || !strings.Contains(ct, "text/html") {
			t.Errorf("read %s = %d bytes, %q, %v", p.URL, len(body), ct, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "state.json")); err != nil {
		t.Error(err)
	}
	if !slices.ContainsFunc(res.Pages, func(p crawler.Page) bool { return p.Kind == crawler.KindReport }) {
		t.Fatal("no reports")
	}
}
