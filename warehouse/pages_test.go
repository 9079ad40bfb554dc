package warehouse_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

func TestPortalsAndRuns(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	p := warehouse.Portal{Name: "牧野区", RegionCode: "410711", Family: "sitesources",
		StartURLs: []string{"https://www.xxmyq.gov.cn/list1.html"}, AllowedDomains: []string{"www.xxmyq.gov.cn"}}
	if err := db.UpsertPortals(ctx, []warehouse.Portal{p}); err != nil {
		t.Fatal(err)
	}
	p.RegionCode = "410702"
	if err := db.UpsertPortals(ctx, []warehouse.Portal{p, {Name: "平潭"}}); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, db, `select string_agg(name || ':' || coalesce(region_code, '') || ':' || len(start_urls), ',' order by name) from portals`); got != "平潭::0,牧野区:410702:1" {
		t.Errorf("portals = %s; want 平潭::0,牧野区:410702:1", got)
	}

	id, err := db.BeginRun(ctx, "crawl", []string{"牧野区"})
	if err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, db, `select status from crawl_runs where id = ?`, id); got != "running" {
		t.Errorf("status after BeginRun = %s; want running", got)
	}
	if err := db.FinishRun(ctx, id, warehouse.RunOK, warehouse.RunStats{PagesFetched: 9, ReportsAdded: 2, Errors: 1, Note: "1 timeout"}); err != nil {
		t.Fatal(err)
	}
	got := queryString(t, db, `select concat_ws('|', status, pages_fetched, reports_added, errors, note, finished_at > started_at) from crawl_runs where id = ?`, id)
	if got != "ok|9|2|1|1 timeout|true" {
		t.Errorf("finished run = %s; want ok|9|2|1|1 timeout|true", got)
	}
	if err := db.FinishRun(ctx, id+100, warehouse.RunOK, warehouse.RunStats{}); err == nil {
		t.Error("FinishRun of an unknown run succeeded; want an error")
	}
}

func TestPagesToExtract(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	run, err := db.BeginRun(ctx, "crawl", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	page := func(url, kind, sha, fetchErr string, day int) warehouse.Page {
		return warehouse.Page{RunID: run, Portal: "p", URL: url, Kind: kind, SHA256: sha, Error: fetchErr,
			FetchedAt: at.AddDate(0, 0, day), Status: 200, ContentType: "text/html", ArchivePath: "archive/" + sha}
	}
	ids, err := db.RecordPages(ctx, []warehouse.Page{
		page("list", "list", "l1", "", 0),
		page("a", "report", "sa", "", 0),
		page("a", "report", "sa", "", 1), // refetch, same bytes: one pending page, the latest fetch
		page("b", "report", "sb", "", 0),
		page("c", "report", "", "timeout", 0),
		page("d", "report", "sd", "", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 6 || !slices.IsSorted(ids) || ids[0] == 0 {
		t.Fatalf("RecordPages ids = %v; want 6 increasing ids", ids)
	}
	if err := db.SetPageFailure(ctx, ids[5], "v1", "", "no tables found"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadReports(ctx, []warehouse.Load{{PageID: ids[3], PageSHA256: "sb", ExtractorVersion: "v1",
		Report: sampleReport("b", "甲县人民政府", 2021, "1")}}); err != nil {
		t.Fatal(err)
	}
	pending := func(all bool, version string) []int64 {
		t.Helper()
		ps, err := db.PagesToExtract(ctx, all, version)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, p := range ps {
			got = append(got, p.PageID)
		}
		return got
	}
	for _, tc := range []struct {
		name    string
		all     bool
		version string
		want    []int64
	}{
		{"new pages only", false, "v1", []int64{ids[2]}},
		// A page that failed with v1 is tried again by a new version.
		{"new pages only, other version", false, "v2", []int64{ids[2], ids[5]}},
		{"all, same version", true, "v1", []int64{ids[2], ids[5]}},
		{"all, new version", true, "v2", []int64{ids[2], ids[3], ids[5]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pending(tc.all, tc.version); !slices.Equal(got, tc.want) {
				t.Errorf("PagesToExtract(%v, %s) = %v; want %v", tc.all, tc.version, got, tc.want)
			}
		})
	}
	t.Run("failed page kept with its error", func(t *testing.T) {
		got := queryString(t, db, `select url || '|' || extract_error from pages where id = ?`, ids[5])
		if got != "d|no tables found" {
			t.Errorf("failed page = %s; want d|no tables found", got)
		}
		if err := db.SetExtractError(ctx, 99999, "x"); err == nil {
			t.Error("SetExtractError on an unknown page succeeded; want an error")
		}
	})
	t.Run("a later successful extraction clears the error", func(t *testing.T) {
		if _, err := db.LoadReports(ctx, []warehouse.Load{{PageID: ids[5], PageSHA256: "sd", ExtractorVersion: "v2",
			Report: sampleReport("d", "乙县人民政府", 2021, "1")}}); err != nil {
			t.Fatal(err)
		}
		if got := queryString(t, db, `select extract_error from pages where id = ?`, ids[5]); got != "<null>" {
			t.Errorf("extract_error after a successful load = %s; want NULL", got)
		}
	})
	t.Run("report keeps its page and capture time", func(t *testing.T) {
		got := queryString(t, db, `select page_id || '|' || strftime(captured_at, '%Y-%m-%d') from reports where source = 'b'`)
		if want := itoa(ids[3]) + "|2024-02-01"; got != want {
			t.Errorf("report page_id|captured_at = %s; want %s", got, want)
		}
	})
	t.Run("pending page carries the archive reference", func(t *testing.T) {
		ps, err := db.PagesToExtract(ctx, false, "v1")
		if err != nil || len(ps) != 1 {
			t.Fatalf("PagesToExtract = %v, %v", ps, err)
		}
		p := ps[0]
		if p.URL != "a" || p.SHA256 != "sa" || p.ArchivePath != "archive/sa" || p.ContentType != "text/html" || p.Portal != "p" {
			t.Errorf("pending page = %+v", p)
		}
	})
}

// TestRecordPagesRedelivered: the crawler re-delivers a journal whose run
// died between the database commit and its acknowledgement; the same WARC
// records, and the same failed fetches (no record), must not become second
// rows. Another fetch of the same URL is a row of its own.
func TestRecordPagesRedelivered(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	at := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
	pages := []warehouse.Page{
		{URL: "http://a.gov.cn/list1.html", Kind: "list", FetchedAt: at, Status: 200, SHA256: "aa", ArchivePath: "/x/run1.warc.gz", WARCRecordID: "<urn:uuid:1>", WARCOffset: 0},
		{URL: "http://a.gov.cn/t1.html", Kind: "report", FetchedAt: at, Status: 304, SHA256: "bb", ArchivePath: "/x/run1.warc.gz", WARCRecordID: "<urn:uuid:2>", WARCOffset: 900,
			NotModified: true, ReportKey: "牧野区2021年政府信息公开工作年度报告", DuplicateOf: "http://a.gov.cn/t1_wap.html"},
		{URL: "http://a.gov.cn/t2.html", Kind: "report", FetchedAt: at.Add(1500 * time.Nanosecond), Status: 503, Error: "503 Service Unavailable"},
	}
	first, err := db.RecordPages(ctx, pages)
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.RecordPages(ctx, pages)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, again) {
		t.Errorf("ids on re-delivery = %v; want the first ids %v", again, first)
	}
	if got := queryString(t, db, `select count(*) from pages`); got != "3" {
		t.Errorf("pages after re-delivery = %s; want 3", got)
	}
	retry := pages[2]
	retry.FetchedAt = at.Add(time.Hour)
	if _, err := db.RecordPages(ctx, []warehouse.Page{retry}); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, db, `select count(*) from pages where url = 'http://a.gov.cn/t2.html'`); got != "2" {
		t.Errorf("rows of a page fetched twice = %s; want 2", got)
	}
	got := queryString(t, db, `select concat_ws('|', not_modified, report_key, duplicate_of) from pages where url = 'http://a.gov.cn/t1.html'`)
	if want := "true|牧野区2021年政府信息公开工作年度报告|http://a.gov.cn/t1_wap.html"; got != want {
		t.Errorf("crawler fields = %s; want %s", got, want)
	}
}

// TestPagesToExtractAttachments: a report page comes with the attachments
// it links (the latest successful fetch of each, else its failure, with
// why); its report is keyed by the page's bytes and the attachments'
// sha256s, so a new or changed attachment lists the page again, an
// unchanged page and attachments are listed once, and a failure with some
// attachments is not retried until they change.
func TestPagesToExtractAttachments(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	at := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	var run int64
	night := func() {
		t.Helper()
		var err error
		if run, err = db.BeginRun(ctx, "crawl", nil); err != nil {
			t.Fatal(err)
		}
	}
	page := func(url, kind, parent, sha, fetchErr string, minute int) warehouse.Page {
		return warehouse.Page{RunID: run, Portal: "p", URL: url, ParentURL: parent, Kind: kind, SHA256: sha, Error: fetchErr,
			FetchedAt: at.Add(time.Duration(minute) * time.Minute), Status: 200, ArchivePath: "archive/" + sha}
	}
	record := func(ps ...warehouse.Page) []int64 {
		t.Helper()
		ids, err := db.RecordPages(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	type got struct {
		url, set string
		atts     []string
	}
	pending := func() []got {
		t.Helper()
		ps, err := db.PagesToExtract(ctx, false, "v1")
		if err != nil {
			t.Fatal(err)
		}
		var out []got
		for _, p := range ps {
			g := got{url: p.URL, set: p.AttachmentSet}
			for _, a := range p.Attachments {
				g.atts = append(g.atts, a.URL+"="+a.SHA256+a.Error)
			}
			out = append(out, g)
		}
		return out
	}
	load := func(p warehouse.PendingPage) {
		t.Helper()
		if _, err := db.LoadReports(ctx, []warehouse.Load{{PageID: p.PageID, PageSHA256: p.SHA256, AttachmentSet: p.AttachmentSet,
			ExtractorVersion: "v1", Report: sampleReport(p.URL, "甲县人民政府", 2023, "1")}}); err != nil {
			t.Fatal(err)
		}
	}
	loadAll := func() {
		t.Helper()
		ps, err := db.PagesToExtract(ctx, false, "v1")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			load(p)
		}
	}
	// Night 1: page a links x.pdf and y.docx (y failed once, then came);
	// page b links nothing; an attachment of another page is not a's;
	// page g's attachment came before it (a gkmlpt list names both).
	night()
	record(
		page("g.pdf", "attachment", "g", "sg", "", 0),
		page("g", "report", "", "pg", "", 1),
		page("a", "report", "", "pa", "", 0),
		page("x.pdf", "attachment", "a", "sx", "", 1),
		page("y.docx", "attachment", "a", "", "timeout", 2),
		page("y.docx", "attachment", "a", "sy", "", 3),
		page("b", "report", "", "pb", "", 4),
		page("off.pdf", "attachment", "b", "", "not fetched: host files.b.test is not in allowed_domains of portal p", 5),
		page("z.pdf", "attachment", "c", "sz", "", 5),
	)
	want := []got{{"g", "sg", []string{"g.pdf=sg"}}, {"a", "sx,sy", []string{"x.pdf=sx", "y.docx=sy"}},
		{"b", "!off.pdf", []string{"off.pdf=not fetched: host files.b.test is not in allowed_domains of portal p"}}}
	if g := pending(); !reflect.DeepEqual(g, want) {
		t.Fatalf("night 1 pending = %v; want %v", g, want)
	}
	loadAll()
	if g := pending(); len(g) != 0 {
		t.Errorf("after loading, pending = %v; want none", g)
	}
	if got := queryString(t, db, `select attachment_set from reports where source = 'a'`); got != "sx,sy" {
		t.Errorf("reports.attachment_set = %s; want sx,sy", got)
	}
	// Night 2: both pages refetched unchanged, x.pdf unchanged, y.docx
	// failing: nothing to extract (the earlier y.docx still counts).
	night()
	record(page("a", "report", "", "pa", "", 60), page("x.pdf", "attachment", "a", "sx", "", 61),
		page("y.docx", "attachment", "a", "", "503", 62), page("b", "report", "", "pb", "", 63))
	if g := pending(); len(g) != 0 {
		t.Errorf("unchanged night: pending = %v; want none", g)
	}
	// Night 3: x.pdf replaced: page a again, with the new file.
	night()
	record(page("a", "report", "", "pa", "", 120), page("x.pdf", "attachment", "a", "sx2", "", 121))
	want = []got{{"a", "sx2,sy", []string{"x.pdf=sx2", "y.docx=sy"}}}
	if g := pending(); !reflect.DeepEqual(g, want) {
		t.Fatalf("attachment replaced: pending = %v; want %v", g, want)
	}
	// It fails with these attachments: not retried until they change.
	ps, err := db.PagesToExtract(ctx, false, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetPageFailure(ctx, ps[0].PageID, "v1", ps[0].AttachmentSet, "boom"); err != nil {
		t.Fatal(err)
	}
	if g := pending(); len(g) != 0 {
		t.Errorf("after a failure: pending = %v; want none", g)
	}
	// Night 3b: b links a file that was never fetched before (a 404): its
	// report is made again, naming it; failing again next night changes
	// nothing.
	night()
	record(page("b", "report", "", "pb", "", 150), page("late.pdf", "attachment", "b", "", "404 Not Found", 151))
	want = []got{{"b", "!late.pdf,!off.pdf", []string{"late.pdf=404 Not Found", "off.pdf=not fetched: host files.b.test is not in allowed_domains of portal p"}}}
	if g := pending(); !reflect.DeepEqual(g, want) {
		t.Fatalf("a file that failed: pending = %v; want %v", g, want)
	}
	loadAll()
	night()
	record(page("b", "report", "", "pb", "", 160), page("late.pdf", "attachment", "b", "", "404 Not Found", 161))
	if g := pending(); len(g) != 0 {
		t.Errorf("the same file failing again: pending = %v; want none", g)
	}
	// Night 4: page a changes and links only w.pdf, fetched a whole day
	// later in the same run; x.pdf and y.docx were linked by its earlier
	// bytes and are no longer its attachments.
	night()
	record(page("a", "report", "", "pa2", "", 180), page("w.pdf", "attachment", "a", "sw", "", 180+24*60))
	want = []got{{"a", "sw", []string{"w.pdf=sw"}}}
	if g := pending(); !reflect.DeepEqual(g, want) {
		t.Fatalf("page changed: pending = %v; want %v", g, want)
	}
	loadAll()
	if got := queryString(t, db, `select count(*) from reports where source = 'a'`); got != "2" {
		t.Errorf("report versions of a = %s; want 2", got)
	}
}
