package warehouse_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

const (
	shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// TestCorrect: a report loaded without agency and with a wrong year is
// corrected in place (agency linked, facts redone, provenance kept), and
// the correction survives a re-extraction of the same bytes by a newer
// extractor, which a researcher cannot otherwise fix (sql is read-only,
// re-importing is "already loaded").
func TestCorrect(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	anon := sampleReport("saved/anon.html", "", 2020, "3")
	anon.PublishedAt = ""
	other := sampleReport("saved/muye-2021.html", "新乡市牧野区人民政府", 2021, "4")
	if _, err := db.LoadReports(ctx, []warehouse.Load{
		{Report: anon, PageSHA256: shaA, ExtractorVersion: "v1"},
		{Report: other, PageSHA256: shaB, ExtractorVersion: "v1"},
	}); err != nil {
		t.Fatal(err)
	}
	pages, err := db.FindPages(ctx, "saved/anon.html", "")
	if err != nil || len(pages) != 1 || pages[0].SHA256 != shaA {
		t.Fatalf("FindPages(saved/anon.html) = %v, %v", pages, err)
	}
	n, err := db.Correct(ctx, []warehouse.Correction{
		{PageSHA256: shaA, URL: pages[0].URL, Field: warehouse.FieldAgency, Value: "新乡市牧野区人民政府", Note: "落款", Origin: warehouse.OriginCorrect},
		{PageSHA256: shaA, Field: warehouse.FieldYear, Value: "2022", Origin: warehouse.OriginCorrect},
		{PageSHA256: shaA, Field: warehouse.FieldPublished, Value: "2023-01-15", Origin: warehouse.OriginCorrect},
	})
	if err != nil || n != 1 {
		t.Fatalf("Correct = %d, %v; want 1 report changed", n, err)
	}
	check := func(when string) {
		t.Helper()
		res, err := db.Query(ctx, `select r.agency, r.year, r.region_code, strftime(r.published_at, '%Y-%m-%d'),
				r.agency_id = o.agency_id, json_extract_string(r.corrections, '$[0].extracted'), json_extract_string(r.corrections, '$[2].field') || ':' || json_extract_string(r.corrections, '$[2].extracted'),
				f.is_latest
			from reports as r, reports as o, report_facts as f
			where r.page_sha256 = ? and o.page_sha256 = ? and f.report_id = r.id
			order by r.id desc limit 1`, shaA, shaB)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(rowsOf(t, res, res.Columns...), "\n")
		// One agency across both pages, the year's and region's as corrected
		// (牧野区 from the corrected name), the extracted values kept.
		want := "新乡市牧野区人民政府|2022|410711|2023-01-15|true||year:2020|true"
		if got != want {
			t.Errorf("%s: report = %s; want %s", when, got, want)
		}
	}
	check("after correct")
	if n := queryInt(t, db, `select count(*) from latest_reports where agency = '新乡市牧野区人民政府'`); n != 2 {
		t.Errorf("latest reports of 牧野区 = %d; want 2 (2021 and the corrected 2022)", n)
	}

	// extract --all: the same bytes read again by a newer extractor.
	again := sampleReport("saved/anon.html", "", 2020, "3")
	st, err := db.LoadReports(ctx, []warehouse.Load{{Report: again, PageSHA256: shaA, ExtractorVersion: "v2"}})
	if err != nil || st.Reports != 1 {
		t.Fatalf("re-extraction: %+v, %v", st, err)
	}
	if again.Agency != "" || again.Year != 2020 {
		t.Errorf("LoadReports changed the caller's report: %q %d", again.Agency, again.Year)
	}
	check("after re-extraction")

	// A region set by hand wins over the one read from the name.
	if _, err := db.Correct(ctx, []warehouse.Correction{{PageSHA256: shaA, Field: warehouse.FieldRegion, Value: "新乡市", Origin: warehouse.OriginCorrect}}); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, db, `select count(*) from reports where page_sha256 = ? and region_code = '410700' and agency_id is not null`, shaA); n != 2 {
		t.Errorf("reports of the page in 410700 = %d; want both versions", n)
	}

	for _, bad := range []warehouse.Correction{
		{PageSHA256: shaA, Field: warehouse.FieldYear, Value: "二〇二一"},
		{PageSHA256: shaA, Field: warehouse.FieldPublished, Value: "2021/1/5"},
		{PageSHA256: shaA, Field: warehouse.FieldRegion, Value: "鼓楼区"},
		{PageSHA256: shaA, Field: "title", Value: "x"},
		{PageSHA256: "nope", Field: warehouse.FieldAgency, Value: "x"},
	} {
		if _, err := db.Correct(ctx, []warehouse.Correction{bad}); err == nil {
			t.Errorf("Correct(%+v) accepted", bad)
		}
	}
	if _, err := db.FindPages(ctx, "saved/none.html", ""); !errors.Is(err, warehouse.ErrNoSuchPage) {
		t.Errorf("FindPages(unknown) = %v; want ErrNoSuchPage", err)
	}
	if n := queryInt(t, db, `select count(*) from corrections`); n != 4 {
		t.Errorf("%d corrections stored; want 4", n)
	}
}
