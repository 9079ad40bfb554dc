package warehouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

// TestBackfillAgencies: reports written without an agency (plain SQL, or a
// file from before the agencies table) get one at the next open: printed
// variants of one name share it, named as first printed; the same name in
// two regions is two agencies; an existing agency is reused; a department
// hangs under its region's government, a county's government under its
// city's.
func TestBackfillAgencies(t *testing.T) {
	ctx := context.Background()
	db, path := openWarehouse(t)
	for _, q := range []string{
		`insert into agencies (id, name, norm_name, region_code, level) values (50, '教育局', '教育局', '410711', 'department')`,
		`insert into reports (id, agency, region_code, year, format, source, page_sha256, extracted_at, warnings) values
			(1, '新乡市牧野区人民政府', '410711', 2019, '2019', 'https://a/1', 's1', '2024-01-01', '[]'),
			(2, '新乡市 牧野区人民政府', '410711', 2020, '2019', 'https://a/2', 's2', '2024-01-01', '[]'),
			(3, '教育局', '410711', 2021, '2021', 'https://a/3', 's3', '2024-01-01', '[]'),
			(4, '教育局', '410702', 2021, '2021', 'https://a/4', 's4', '2024-01-01', '[]'),
			(5, '新乡市人民政府', '410700', 2021, '2021', 'https://a/5', 's5', '2024-01-01', '[]')`,
	} {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Query(ctx, `select r.id, a.id = 50, a.name, a.region_code, a.level, coalesce(p.name, '')
		from reports as r join agencies as a on a.id = r.agency_id
		left join agencies as p on p.id = a.parent_id order by r.id`)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, res, res.Columns...)
	want := []string{
		"1|false|新乡市牧野区人民政府|410711|county|新乡市人民政府",
		"2|false|新乡市牧野区人民政府|410711|county|新乡市人民政府",
		"3|true|教育局|410711|department|新乡市牧野区人民政府",
		"4|false|教育局|410702|department|",
		"5|false|新乡市人民政府|410700|city|",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports → agencies:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := queryInt(t, db, `select count(*) from agencies`); n != 4 {
		t.Errorf("%d agencies; want 4 (one existing, three new)", n)
	}
	if n := queryInt(t, db, `select count(*) from reports where agency_id = (select agency_id from reports where id = 1)`); n != 2 {
		t.Errorf("%d reports share the 牧野区 agency; want 2", n)
	}
}

// TestAgencyAcrossRenames: a 环境保护局's 2018 report and the 生态环境局's
// 2020 report of one region are one agency and one trend line, named as it
// last printed itself; a body merged into another (旅游局) keeps its own
// id and names its successor; the same name elsewhere is another agency.
func TestAgencyAcrossRenames(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	load := func(agency string, year int, region, sha string) {
		t.Helper()
		r := sampleReport("https://gov.example/"+sha, agency, year, "3")
		if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: r, PageSHA256: sha, RegionCode: region, ExtractorVersion: "v1"}}); err != nil {
			t.Fatal(err)
		}
	}
	load("福州市环境保护局", 2018, "350100", "s1")
	load("福州市生态环境局", 2020, "350100", "s2")
	load("福州市文化广电新闻出版局", 2018, "350100", "s3")
	load("福州市旅游局", 2018, "350100", "s4")
	load("福州市文化和旅游局", 2020, "350100", "s5")
	load("厦门市环境保护局", 2018, "350200", "s6")
	res, err := db.Run(ctx, "trend", map[string]string{"agency": "环境"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, res, "agency", "year")
	want := []string{"厦门市环境保护局|2018", "福州市生态环境局|2018", "福州市生态环境局|2020"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trend of 环境 bodies =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	res, err = db.Query(ctx, `select a.name, coalesce(a.merged_into, ''), string_agg(n.name, ',' order by n.first_year, n.name)
		from agencies as a join agency_names as n on n.agency_id = a.id
		where a.region_code = '350100' group by a.id, a.name, a.merged_into order by a.id`)
	if err != nil {
		t.Fatal(err)
	}
	got = rowsOf(t, res, res.Columns...)
	want = []string{
		"福州市环境保护局||福州市环境保护局,福州市生态环境局",
		"福州市文化广电新闻出版局||福州市文化广电新闻出版局,福州市文化和旅游局",
		"福州市旅游局|福州市文化和旅游局|福州市旅游局",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("agencies =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCanonAgenciesOfOlderFile: agencies made before the rename rules (one
// per printed name) are merged at the next open into the oldest.
func TestCanonAgenciesOfOlderFile(t *testing.T) {
	ctx := context.Background()
	db, path := openWarehouse(t)
	for _, q := range []string{
		`insert into agencies (id, name, norm_name, region_code, level) values
			(70, '福州市环境保护局', '福州市环境保护局', '350100', 'department'),
			(71, '福州市生态环境局', '福州市生态环境局', '350100', 'department')`,
		`insert into reports (id, agency, agency_id, region_code, year, format, source, page_sha256, extracted_at, warnings) values
			(1, '福州市环境保护局', 70, '350100', 2018, '2019', 'https://a/1', 's1', '2024-01-01', '[]'),
			(2, '福州市生态环境局', 71, '350100', 2020, '2021', 'https://a/2', 's2', '2024-01-01', '[]')`,
	} {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := queryInt(t, db, `select count(*) from agencies`); n != 1 {
		t.Errorf("%d agencies; want 1", n)
	}
	if n := queryInt(t, db, `select count(*) from reports where agency_id = 70`); n != 2 {
		t.Errorf("%d reports on agency 70; want both", n)
	}
}
