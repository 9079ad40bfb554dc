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
