package warehouse_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

// TestLoadEachIsolatesBadLoads: of nine pages, two cannot be loaded (a cell
// code outside the codebook — nothing the extractor makes, standing for any
// fault of one page). The seven others load, the two keep their errors with
// the extractor version, the nightly list skips them until a new version,
// and retrying adds no rows.
func TestLoadEachIsolatesBadLoads(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	run, err := db.BeginRun(ctx, "crawl", nil)
	if err != nil {
		t.Fatal(err)
	}
	var pages []warehouse.Page
	for i := range 9 {
		pages = append(pages, warehouse.Page{RunID: run, URL: fmt.Sprintf("https://gov.example/%d.html", i), Kind: "report",
			SHA256: fmt.Sprintf("sha%d", i), Status: 200, FetchedAt: time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC),
			WARCRecordID: fmt.Sprintf("<urn:%d>", i), ArchivePath: "a.warc.gz"})
	}
	ids, err := db.RecordPages(ctx, pages)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[int]bool{2: true, 7: true}
	loads := make([]warehouse.Load, len(ids))
	for i, id := range ids {
		rep := sampleReport(pages[i].URL, fmt.Sprintf("第%d县人民政府", i), 2021, "7")
		if bad[i] {
			rep.Cells[0].Row = "no_such_row"
		}
		loads[i] = warehouse.Load{PageID: id, Report: rep, PageSHA256: pages[i].SHA256, ExtractorVersion: "v1"}
	}
	st, failures, err := db.LoadEach(ctx, loads)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 7 || len(failures) != 2 {
		t.Fatalf("LoadEach = %d reports, %d failures; want 7 and 2", st.Reports, len(failures))
	}
	for _, f := range failures {
		if !bad[f.Index] || f.PageID != ids[f.Index] || !strings.Contains(f.Error(), pages[f.Index].URL) {
			t.Errorf("failure %+v (%v); want one of the bad pages, naming its URL", f, f)
		}
	}
	for i, id := range st.ReportIDs {
		if (id == 0) != bad[i] {
			t.Errorf("ReportIDs[%d] = %d; want an id exactly for the good loads", i, id)
		}
	}
	if got := queryInt(t, db, `select count(*) from reports`); got != 7 {
		t.Errorf("reports = %d; want 7", got)
	}
	got := queryString(t, db, `select string_agg(url || ' ' || extract_version || ' ' || (extract_error like '%no_such_row%'), ', ' order by id)
		from pages where extract_error is not null`)
	if want := pages[2].URL + " v1 true, " + pages[7].URL + " v1 true"; got != want {
		t.Errorf("failed pages = %s; want %s", got, want)
	}
	pending := func(version string) []int64 {
		ps, err := db.PagesToExtract(ctx, false, version)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, p := range ps {
			out = append(out, p.PageID)
		}
		return out
	}
	if got := pending("v1"); len(got) != 0 {
		t.Errorf("pages to extract with v1 = %v; want none (the failed ones wait for a new version)", got)
	}
	if got := pending("v2"); !slices.Equal(got, []int64{ids[2], ids[7]}) {
		t.Errorf("pages to extract with v2 = %v; want the two failed pages %v", got, []int64{ids[2], ids[7]})
	}
	// A new version that reads them: loaded, errors cleared, no new rows.
	before := queryInt(t, db, `select count(*) from pages`)
	var retry []warehouse.Load
	for _, i := range []int{2, 7} {
		retry = append(retry, warehouse.Load{PageID: ids[i], Report: sampleReport(pages[i].URL, "第九县人民政府", 2021, "7"),
			PageSHA256: pages[i].SHA256, ExtractorVersion: "v2"})
	}
	st, failures, err = db.LoadEach(ctx, retry)
	if err != nil || len(failures) != 0 || st.Reports != 2 {
		t.Fatalf("retry = %+v, %v, %v; want 2 reports", st, failures, err)
	}
	if got := queryInt(t, db, `select count(*) from pages where extract_error is not null`); got != 0 {
		t.Errorf("pages with errors after the retry = %d; want 0", got)
	}
	if got := queryInt(t, db, `select count(*) from pages`); got != before {
		t.Errorf("pages after the retry = %d; want %d (no orphan rows)", got, before)
	}
}

// TestLoadEachAllFailing: when every load fails on its own the fault is the
// database's, not the pages': an error, and no page is marked failed.
func TestLoadEachAllFailing(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	ids, err := db.RecordPages(ctx, []warehouse.Page{
		{URL: "a", Kind: "report", SHA256: "a", Status: 200, WARCRecordID: "<a>", ArchivePath: "w"},
		{URL: "b", Kind: "report", SHA256: "b", Status: 200, WARCRecordID: "<b>", ArchivePath: "w"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `drop table sections`); err != nil {
		t.Fatal(err)
	}
	var loads []warehouse.Load
	for i, id := range ids {
		loads = append(loads, warehouse.Load{PageID: id, Report: sampleReport(fmt.Sprint(i), "甲县人民政府", 2021, "7"), PageSHA256: fmt.Sprint(i), ExtractorVersion: "v1"})
	}
	if _, _, err := db.LoadEach(ctx, loads); err == nil {
		t.Fatal("LoadEach with no sections table succeeded; want an error")
	}
	if got := queryInt(t, db, `select count(*) from pages where extract_error is not null`); got != 0 {
		t.Errorf("pages marked failed = %d; want 0", got)
	}
}
