package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// TestMigrateFromSchema1 builds a file with the first schema only, fills
// it, and checks that a normal Open upgrades it in place without losing a
// row, and that the upgraded file loads and versions like a new one.
func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	path, sqldb := oldFile(t, 1)
	for _, q := range []string{
		`insert into portals (name, region_code) values ('牧野区', '410711')`,
		`insert into crawl_runs (kind, started_at, status) values ('crawl', '2023-01-01', 'ok')`,
		`insert into pages (url, kind, fetched_at, sha256) values ('https://a/nb.html', 'report', '2023-01-01 10:00', 'sha-old')`,
		`insert into reports (agency, region_code, year, format, source, page_sha256, extracted_at, warnings)
			values ('新乡市牧野区人民政府', '410711', 2021, '2021', 'https://a/nb.html', 'sha-old', '2023-01-02', '[]')`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
			values (1, 't3', 'new', 'natural', 3, '3'), (1, 't3', 'new', 'total', 3, '3')`,
		`insert into sections (report_id, number, heading, text) values (1, 1, '一、总体情况', '…')`,
		`insert into check_results (checked_at, report_id, rule, severity) values ('2023-01-03', 1, 'i1_balance', 'error')`,
	} {
		if _, err := sqldb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqldb.Close()

	// Read-only, the old file cannot be upgraded: a clear error says how.
	_, err := Open(ctx, path, Options{ReadOnly: true})
	var oe *OutdatedError
	if !errors.As(err, &oe) || oe.Have != 1 || !strings.Contains(oe.Hint(), "nianbao check --db "+path) {
		t.Fatalf("Open(old file, read-only) = %v; want an OutdatedError at version 1 with an upgrade hint", err)
	}

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open(old file): %v", err)
	}
	defer db.Close()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, tc := range []struct {
		name string
		q    string
		want int
	}{
		{"portals", `select count(*) from portals`, 1},
		{"crawl_runs", `select count(*) from crawl_runs`, 1},
		{"pages", `select count(*) from pages`, 1},
		{"reports", `select count(*) from reports`, 1},
		{"cells", `select count(*) from cells`, 2},
		{"sections", `select count(*) from sections`, 1},
		{"check_results", `select count(*) from check_results`, 1},
		{"schema version", `select max(version) from schema_migrations`, len(mustMigrations(t))},
		{"codebook filled", `select count(*) from codebook`, len(extract.Codebook())},
		{"old report got an agency", `select count(*) from reports r join agencies a on a.id = r.agency_id where a.level = 'county'`, 1},
		{"latest_reports", `select count(*) from latest_reports`, 1},
		{"t3_wide", `select count(*) from t3_wide where natural_person = 3 and total = 3`, 1},
		{"check_failures", `select count(*) from check_failures`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(tc.q); got != tc.want {
				t.Errorf("%s = %d; want %d", tc.q, got, tc.want)
			}
		})
	}
	t.Run("new version of an old report", func(t *testing.T) {
		v := "4"
		st, err := db.LoadReports(ctx, []Load{{PageSHA256: "sha-new", RegionCode: "410711", ExtractorVersion: "v2",
			Report: reportFixture("新乡市牧野区人民政府", 2021, &v)}})
		if err != nil {
			t.Fatal(err)
		}
		if got := count(`select count(*) from latest_reports`); got != 1 {
			t.Errorf("latest_reports after a new version = %d rows; want 1", got)
		}
		var latest int64
		db.SQL.QueryRowContext(ctx, `select id from latest_reports`).Scan(&latest)
		if latest != st.ReportIDs[0] {
			t.Errorf("latest report = %d; want the new version %d", latest, st.ReportIDs[0])
		}
		if got := count(`select count(*) from report_revisions where old_sha256 = 'sha-old' and new_sha256 = 'sha-new' and changed_cells = 2`); got != 1 {
			t.Errorf("report_revisions rows old→new with 2 changed cells = %d; want 1", got)
		}
	})
}

// oldFile makes a database file at schema version, as that version of
// nianbao left it, and returns it open through plain database/sql.
func oldFile(t *testing.T, version int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.duckdb", version))
	sqldb, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{Path: path, SQL: sqldb, opts: Options{Now: time.Now}}
	if err := old.migrateTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return path, sqldb
}

// reportFixture has the two cells the old file's report has, with value v.
func reportFixture(agency string, year int, v *string) *extract.Report {
	return &extract.Report{Source: "https://a/nb.html", Agency: agency, Year: year, Format: "2021",
		Cells: []extract.Cell{
			{Table: "t3", Row: "new", Col: "natural", Value: v, Raw: *v},
			{Table: "t3", Row: "new", Col: "total", Value: v, Raw: *v},
		}}
}

func mustMigrations(t *testing.T) []migration {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMigrateRebuildsFacts: a file at schema 6 whose fact tables were
// filled by that version is upgraded to report_figures by rebuilding every
// derived table once: no fact row is kept twice or stale, and trend reads
// the new table.
func TestMigrateRebuildsFacts(t *testing.T) {
	ctx := context.Background()
	path, sqldb := oldFile(t, 6)
	for _, q := range []string{
		`insert into agencies (id, name, norm_name, region_code, level) values (7, '新乡市牧野区人民政府', '新乡市牧野区人民政府', '410711', 'county')`,
		`insert into reports (id, agency_id, agency, region_code, year, format, source, page_sha256, extracted_at, warnings)
			values (1, 7, '新乡市牧野区人民政府', '410711', 2021, '2021', 'https://a/nb.html', 'sha-6', '2024-01-02', '[]')`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
			values (1, 't3', 'new', 'natural', 3, '3'), (1, 't3', 'new', 'total', 3, '3')`,
		// Facts as version 6 left them, with a value the cells no longer
		// hold: a rebuild must replace it, not add to it.
		`insert into t3_rows (report_id, row_code, natural_person, total, cells, blanks, main_cells)
			values (1, 'new', 999, 999, 2, 0, 2)`,
		`insert into report_facts (report_id, agency_id, part_key, part_year, is_latest) values (1, 7, '7', 2021, true)`,
	} {
		if _, err := sqldb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqldb.Close()

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open(schema 6 file): %v", err)
	}
	defer db.Close()
	for _, tc := range []struct{ q, want string }{
		{`select count(*) || '/' || max(natural_person)::int from t3_rows`, "1/3"},
		{`select count(*) || '/' || count(*) filter (where is_latest) from report_facts`, "1/1"},
		{`select count(*) || '/' || max(received)::int from report_figures`, "1/3"},
	} {
		var got string
		if err := db.SQL.QueryRowContext(ctx, tc.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if got != tc.want {
			t.Errorf("%s = %s; want %s", tc.q, got, tc.want)
		}
	}
	res, err := db.Run(ctx, "trend", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][5] != "3" { // agency, agency_id, region_code, year, reports, received
		t.Errorf("trend after the upgrade = %v %v; want one row with received 3", res.Columns, res.Rows)
	}
}

// TestMigrateWidensDecimals: a file at schema 9 with cells, derived facts
// and check results is upgraded to DECIMAL(18,6) in place: every value
// kept exactly, and a six-decimal 万元 amount loads into it afterwards.
func TestMigrateWidensDecimals(t *testing.T) {
	ctx := context.Background()
	path, sqldb := oldFile(t, 9)
	for _, q := range []string{
		`insert into reports (id, agency, region_code, year, format, source, page_sha256, extracted_at, warnings)
			values (1, '平潭综合实验区管委会', '350128', 2020, '2019', 'https://a/nb.html', 'sha-7', '2024-01-02', '[]')`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
			values (1, 't2', 'fees', 'amount_wan_yuan', 94.0121, '94.0121'), (1, 't3', 'new', 'total', -12345678901234.5678, 'x')`,
		`insert into check_results (checked_at, report_id, rule, expected, actual) values ('2024-01-03', 1, 'i1_balance', 1.5, 99999999999999.9999)`,
	} {
		if _, err := sqldb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The facts of this version are made from the cells when the upgrade
	// is done (migration 020 empties every derived table): the file needs
	// none, and this nianbao could not make them at schema 9.
	sqldb.Close()

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open(schema 9 file): %v", err)
	}
	defer db.Close()
	for _, tc := range []struct{ q, want string }{
		{`select any_value(typeof(value)) || ' ' || string_agg(value::varchar, ' ') from cells where value is not null`,
			"DECIMAL(18,6) 94.012100"},
		// Fourteen integer digits no longer fit: NULL, raw kept, a warning.
		{`select raw || ' ' || (value is null) from cells where row_code = 'new'`, "x true"},
		{`select (warnings->0->>'code') || ' ' || (warnings->0->>'col') from reports`, "value_out_of_range total"},
		{`select typeof(amount_wan_yuan) || ' ' || amount_wan_yuan from t2_rows`, "DECIMAL(18,6) 94.012100"},
		{`select typeof(fees_wan_yuan) || ' ' || fees_wan_yuan from report_figures`, "DECIMAL(18,6) 94.012100"},
		{`select typeof(sub_sum) from t3_cols`, "DECIMAL(38,6)"},
		{`select typeof(actual) || ' ' || expected || ' ' || coalesce(actual::varchar, 'NULL') from check_results`, "DECIMAL(18,6) 1.500000 NULL"},
	} {
		var got string
		if err := db.SQL.QueryRowContext(ctx, tc.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if got != tc.want {
			t.Errorf("%s = %s; want %s", tc.q, got, tc.want)
		}
	}
}

// TestMigrateRelevelsAgencies: a file at schema 18 whose loader read a
// township's short name (…镇) as a department is upgraded to one rule: the
// agency is a township again, and the deadline gives it 3月31日.
func TestMigrateRelevelsAgencies(t *testing.T) {
	ctx := context.Background()
	path, sqldb := oldFile(t, 18)
	for _, q := range []string{
		`insert into agencies (id, name, norm_name, region_code, level) values
			(7, '牧野区王村镇', '牧野区王村镇', '410711', 'department'),
			(8, '牧野区财政局', '牧野区财政局', '410711', 'department')`,
		`insert into reports (id, agency_id, agency, region_code, year, format, source, page_sha256, extracted_at, published_at, warnings) values
			(1, 7, '牧野区王村镇', '410711', 2021, '2021', 'https://a/1.html', 'sha-1', '2024-01-02', '2022-03-01', '[]'),
			(2, 8, '牧野区财政局', '410711', 2021, '2021', 'https://a/2.html', 'sha-2', '2024-01-02', '2022-03-01', '[]')`,
	} {
		if _, err := sqldb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqldb.Close()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var levels string
	if err := db.SQL.QueryRowContext(ctx, `select string_agg(name || ':' || level, ',' order by id) from agencies`).Scan(&levels); err != nil {
		t.Fatal(err)
	}
	if want := "牧野区王村镇:township,牧野区财政局:department"; levels != want {
		t.Errorf("levels after the upgrade = %s; want %s", levels, want)
	}
	res, err := db.Run(ctx, "deadline", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][1] != "牧野区财政局" {
		t.Errorf("deadline after the upgrade = %v; want the department alone (29 days late)", res.Rows)
	}
}
