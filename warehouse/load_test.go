package warehouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

func TestLoadReports(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	rep := sampleReport("https://gov.example/nb2021.html", "新乡市牧野区人民政府", 2021, "7")
	st, err := db.LoadReports(ctx, []warehouse.Load{{
		Report: rep, PageSHA256: "aaa", RegionCode: "410711", Portal: "牧野区", ExtractorVersion: "v1",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 1 || st.Cells != 5 || st.Skipped != 0 || len(st.ReportIDs) != 1 || st.ReportIDs[0] == 0 {
		t.Fatalf("LoadReports stats = %+v; want 1 report, 5 cells, 0 skipped, one id", st)
	}
	id := st.ReportIDs[0]

	t.Run("cells keep exact decimals and blanks", func(t *testing.T) {
		for _, tc := range []struct{ table, row, col, want string }{
			{"t3", "new", "natural", "12.000000"},
			{"t3", "granted", "natural", "7.000000"},
			{"t3", "carried_in", "legal", "<null>"},
			{"t2", "fees", "amount_wan_yuan", "1234.567800"},
			{"t4", "all", "review.total", "-0.500000"},
		} {
			got := queryString(t, db, `select cast(value as varchar) from cells
				where report_id = ? and table_code = ? and row_code = ? and col_code = ?`, id, tc.table, tc.row, tc.col)
			if got != tc.want {
				t.Errorf("cell %s/%s/%s = %s; want %s", tc.table, tc.row, tc.col, got, tc.want)
			}
		}
		if got := queryString(t, db, `select typeof(value) from cells limit 1`); got != "DECIMAL(18,6)" {
			t.Errorf("typeof(cells.value) = %s; want DECIMAL(18,6)", got)
		}
		if got := queryString(t, db, `select raw || '|' || src_table || '|' || src_row || '|' || src_col || '|' || coalesce(unit, '')
			from cells where report_id = ? and row_code = 'new'`, id); got != "12|2|3|2|件" {
			t.Errorf("raw|src_table|src_row|src_col|unit = %s; want 12|2|3|2|件", got)
		}
	})
	t.Run("report row", func(t *testing.T) {
		got := queryString(t, db, `select concat_ws('|', agency, region_code, year, format, source, page_sha256,
			published_at, extractor_version, portal, json_extract_string(warnings, '$[0].code'),
			json_extract_string(table_formats, '$.t3'))
			from reports where id = ?`, id)
		want := "新乡市牧野区人民政府|410711|2021|2021|https://gov.example/nb2021.html|aaa|2022-01-20|v1|牧野区|blank_cell|2021"
		if got != want {
			t.Errorf("report row = %s; want %s", got, want)
		}
		if got := queryString(t, db, `select heading || ':' || text from sections where report_id = ?`, id); !strings.HasPrefix(got, "一、总体情况:2021年") {
			t.Errorf("section = %s; want 一、总体情况:2021年…", got)
		}
	})
	t.Run("agency dimension", func(t *testing.T) {
		got := queryString(t, db, `select a.name || '|' || a.region_code || '|' || a.level
			from reports r join agencies a on a.id = r.agency_id where r.id = ?`, id)
		if got != "新乡市牧野区人民政府|410711|county" {
			t.Errorf("agency = %s; want 新乡市牧野区人民政府|410711|county", got)
		}
	})
}

func TestLoadReportsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	load := []warehouse.Load{
		{Report: sampleReport("u1", "甲县人民政府", 2021, "7"), PageSHA256: "s1", RegionCode: "410101", ExtractorVersion: "v1"},
		{Report: sampleReport("u2", "甲县财政局", 2021, "3"), PageSHA256: "s2", RegionCode: "410101", ExtractorVersion: "v1"},
		// The same bytes twice in one batch load once.
		{Report: sampleReport("u1", "甲县人民政府", 2021, "7"), PageSHA256: "s1", RegionCode: "410101", ExtractorVersion: "v1"},
	}
	first, err := db.LoadReports(ctx, load)
	if err != nil {
		t.Fatal(err)
	}
	if first.Reports != 2 || first.Skipped != 1 || first.ReportIDs[2] != first.ReportIDs[0] {
		t.Fatalf("first load = %+v; want 2 reports, 1 skipped, third id = first id", first)
	}
	counts := func() string {
		return queryString(t, db, `select (select count(*) from reports) || '/' || (select count(*) from cells) || '/' ||
			(select count(*) from sections) || '/' || (select count(*) from agencies)`)
	}
	before := counts()
	second, err := db.LoadReports(ctx, load)
	if err != nil {
		t.Fatal(err)
	}
	if second.Reports != 0 || second.Cells != 0 || second.Skipped != 3 {
		t.Errorf("second load = %+v; want 0 reports, 0 cells, 3 skipped", second)
	}
	if after := counts(); after != before {
		t.Errorf("reports/cells/sections/agencies after second load = %s; want %s", after, before)
	}
	if before != "2/10/2/2" {
		t.Errorf("reports/cells/sections/agencies = %s; want 2/10/2/2", before)
	}
	// The department hangs under its county government.
	if got := queryString(t, db, `select p.name from agencies a join agencies p on p.id = a.parent_id where a.name = '甲县财政局'`); got != "甲县人民政府" {
		t.Errorf("parent of 甲县财政局 = %s; want 甲县人民政府", got)
	}
}

func TestLoadReportsVersions(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	load := func(sha, version, granted string) int64 {
		t.Helper()
		st, err := db.LoadReports(ctx, []warehouse.Load{{Report: sampleReport("u", "乙市人民政府", 2022, granted),
			PageSHA256: sha, RegionCode: "410700", ExtractorVersion: version}})
		if err != nil {
			t.Fatal(err)
		}
		return st.ReportIDs[0]
	}
	v1 := load("old", "v1", "7")
	t.Run("changed bytes add a version, old kept", func(t *testing.T) {
		v2 := load("new", "v1", "8")
		if v2 == v1 {
			t.Fatalf("changed page got the old report id %d", v1)
		}
		if got := queryInt(t, db, `select id from latest_reports where agency = '乙市人民政府' and year = 2022`); got != v2 {
			t.Errorf("latest_reports id = %d; want %d (the new bytes)", got, v2)
		}
		if got := queryString(t, db, `select cast(value as varchar) from cells where report_id = ? and row_code = 'granted'`, v1); got != "7.000000" {
			t.Errorf("old version's granted = %s; want 7.000000", got)
		}
		if got := queryInt(t, db, `select count(distinct agency_id) from reports`); got != 1 {
			t.Errorf("agencies over versions = %d; want 1", got)
		}
	})
	t.Run("re-extraction adds versions, newest bytes stay latest", func(t *testing.T) {
		latest := queryInt(t, db, `select id from latest_reports`)
		old2 := load("old", "v2", "7")
		new2 := load("new", "v2", "8")
		if old2 == v1 || new2 == latest {
			t.Fatalf("re-extraction reused ids: %d %d", old2, new2)
		}
		if got := queryInt(t, db, `select count(*) from reports`); got != 4 {
			t.Errorf("reports = %d; want 4 (2 pages × 2 extractor versions)", got)
		}
		if got := queryInt(t, db, `select id from latest_reports`); got != new2 {
			t.Errorf("latest_reports id = %d; want %d (new bytes, v2)", got, new2)
		}
		// Re-extracting the old bytes again must not make them latest.
		load("old", "v3", "7")
		if got := queryString(t, db, `select page_sha256 from latest_reports`); got != "new" {
			t.Errorf("latest page_sha256 = %s; want new", got)
		}
	})
}

func TestLoadReportsAtomic(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	// A cell code outside the codebook's ENUM: nothing the extractor
	// makes, so it stands for any fault that fails a load.
	bad := sampleReport("bad", "丙县人民政府", 2021, "1")
	bad.Cells[1].Row = "no_such_row"
	_, err := db.LoadReports(ctx, []warehouse.Load{
		{Report: sampleReport("good", "丁县人民政府", 2021, "7"), PageSHA256: "g", ExtractorVersion: "v1"},
		{Report: bad, PageSHA256: "b", ExtractorVersion: "v1"},
	})
	if err == nil {
		t.Fatal("LoadReports with an unknown row code succeeded; want an error")
	}
	if !strings.Contains(err.Error(), "bad") || !strings.Contains(err.Error(), "t3/no_such_row/natural") {
		t.Errorf("error %q does not name the report and cell", err)
	}
	got := queryString(t, db, `select (select count(*) from reports) || '/' || (select count(*) from cells) || '/' ||
		(select count(*) from sections) || '/' || (select count(*) from agencies)`)
	if got != "0/0/0/0" {
		t.Errorf("rows after failed batch (reports/cells/sections/agencies) = %s; want 0/0/0/0", got)
	}
	// The database is still usable after the rollback.
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: sampleReport("good", "丁县人民政府", 2021, "7"), PageSHA256: "g", ExtractorVersion: "v1"}}); err != nil {
		t.Fatalf("load after rollback: %v", err)
	}
}

func TestLoadReportsConcurrent(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, err := db.LoadReports(ctx, []warehouse.Load{{Report: sampleReport("u", "甲县人民政府", 2021, "7"), PageSHA256: "same", ExtractorVersion: "v1"}})
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := queryInt(t, db, `select count(*) from reports`); got != 1 {
		t.Errorf("reports after 4 concurrent loads of the same bytes = %d; want 1", got)
	}
}
