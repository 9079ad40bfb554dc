package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/synth"
)

// factMismatches counts, per fact table, the rows that differ from the same
// figures computed from cells and reports by the views of migration 003 and
// plain aggregates; every count must be 0.
var factMismatches = []struct{ name, sql string }{
	{"report_facts.is_latest vs latest_reports", `select count(*)
		from (select report_id from report_facts where is_latest) as f
		full join latest_reports as l on l.id = f.report_id
		where f.report_id is null or l.id is null`},
	{"report_facts rows vs reports", `select count(*)
		from reports as r full join report_facts as f on f.report_id = r.id
		where r.id is null or f.report_id is null`},
	{"report_facts counts vs cells", `select count(*)
		from report_facts as f
		left join (
			select report_id,
				count(*) filter (where table_code = 't2') as t2, count(*) filter (where table_code = 't2' and value is null) as b2,
				count(*) filter (where table_code = 't3') as t3, count(*) filter (where table_code = 't3' and value is null) as b3,
				count(*) filter (where table_code = 't4') as t4, count(*) filter (where table_code = 't4' and value is null) as b4
			from cells group by report_id
		) as c on c.report_id = f.report_id
		where f.t2_cells <> coalesce(c.t2, 0) or f.t2_blanks <> coalesce(c.b2, 0)
			or f.t3_cells <> coalesce(c.t3, 0) or f.t3_blanks <> coalesce(c.b3, 0)
			or f.t4_cells <> coalesce(c.t4, 0) or f.t4_blanks <> coalesce(c.b4, 0)`},
	{"report_facts sections vs sections", `select count(*)
		from report_facts as f
		left join (
			select report_id, count(*) as n, list(distinct number order by number) as numbers
			from sections group by report_id
		) as s on s.report_id = f.report_id
		where f.sections <> coalesce(s.n, 0) or f.section_numbers is distinct from s.numbers`},
	{"report_facts blank names vs cells", `select count(*)
		from report_facts as f
		left join (
			select report_id,
				string_agg(row_code || '/' || col_code, ', ' order by row_code, col_code) filter (where table_code = 't3') as t3,
				count(*) filter (where table_code = 't3') as n3
			from cells where value is null group by report_id
		) as b on b.report_id = f.report_id
		where f.t3_blank_names is distinct from case when b.n3 between 1 and 20 then b.t3 end`},
	{"t3_rows vs t3_wide", `select count(*)
		from t3_wide as w full join t3_rows as t on t.report_id = w.report_id and t.row_code = w.row_code
		where t.report_id is null or w.report_id is null
			or t.natural_person is distinct from w.natural_person
			or t.commercial_enterprise is distinct from w.commercial_enterprise
			or t.research_institution is distinct from w.research_institution
			or t.social_welfare_org is distinct from w.social_welfare_org
			or t.legal_service_org is distinct from w.legal_service_org
			or t.other_org is distinct from w.other_org
			or t.total is distinct from w.total
			or t.legal_subtotal is distinct from w.legal_subtotal`},
	{"t4_facts vs t4_wide", `select count(*)
		from t4_wide as w full join t4_facts as t on t.report_id = w.report_id
		where t.report_id is null or w.report_id is null
			or t.review_corrected is distinct from w.review_corrected
			or t.review_total is distinct from w.review_total
			or t.suit_direct_total is distinct from w.suit_direct_total
			or t.suit_after_review_pending is distinct from w.suit_after_review_pending`},
	{"t2_rows vs t2_wide", `select count(*)
		from t2_wide as w full join t2_rows as t on t.report_id = w.report_id and t.row_code = w.row_code
		where t.report_id is null or w.report_id is null
			or t.made is distinct from w.made or t.in_force is distinct from w.in_force
			or t.decisions is distinct from w.decisions or t.amount_wan_yuan is distinct from w.amount_wan_yuan`},
	{"t3_cols vs cells", `select count(*)
		from (
			select report_id, col_code,
				max(value) filter (where row_code = 'new') as new,
				max(value) filter (where row_code = 'carried_out') as carried_out,
				sum(value) filter (where row_code::varchar like 'denied.%') as denied,
				sum(value) filter (where row_code::varchar in ('other.no_correction', 'other.no_fee', 'other.other')) as sub_sum,
				count(value) filter (where row_code::varchar not in ('new', 'carried_in', 'result_total', 'carried_out', 'other')
					and row_code::varchar not like 'other.%') as common_printed,
				count(*) filter (where row_code::varchar not in ('new', 'carried_in', 'carried_out')) as result_cells
			from cells where table_code = 't3' group by all
		) as c
		full join t3_cols as t on t.report_id = c.report_id and t.col_code = c.col_code
		where t.report_id is null or c.report_id is null
			or t.new is distinct from c.new or t.carried_out is distinct from c.carried_out
			or t.denied is distinct from c.denied or t.sub_sum is distinct from c.sub_sum
			or t.common_printed <> c.common_printed or t.result_cells <> c.result_cells`},
	{"report_figures vs cells", `select count(*)
		from (
			select r.id as report_id,
				max(c.value) filter (where c.table_code = 't3' and c.row_code = 'new' and c.col_code = 'total') as received,
				sum(c.value) filter (where c.table_code = 't3' and c.row_code::varchar like 'unable.%' and c.col_code = 'total') as unable,
				max(c.value) filter (where c.table_code = 't4' and c.col_code = 'review.total') as reviews,
				sum(c.value) filter (where c.table_code = 't4' and c.col_code in ('suit_direct.total', 'suit_after_review.total')) as suits,
				sum(c.value) filter (where c.table_code = 't4' and c.col_code::varchar like '%.corrected') as corrected,
				max(c.value) filter (where c.table_code = 't2' and c.row_code = 'penalty' and c.col_code = 'decisions') as penalty,
				max(c.value) filter (where c.table_code = 't2' and c.row_code = 'fees' and c.col_code = 'amount_wan_yuan') as fees
			from reports as r left join cells as c on c.report_id = r.id group by r.id
		) as c
		full join report_figures as f on f.report_id = c.report_id
		where f.report_id is null or c.report_id is null
			or f.received is distinct from c.received or f.unable is distinct from c.unable
			or f.reviews is distinct from c.reviews or f.suits is distinct from c.suits
			or f.corrected is distinct from c.corrected or f.penalty is distinct from c.penalty
			or f.fees_wan_yuan is distinct from c.fees`},
}

func assertFactsMatch(t *testing.T, db *DB) {
	t.Helper()
	for _, m := range factMismatches {
		var n int
		if err := db.SQL.QueryRowContext(context.Background(), m.sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows differ", m.name, n)
		}
	}
}

func countOf(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func synthLoads(agencies int) []Load {
	var loads []Load
	for g := range synth.Reports(synth.Options{Agencies: agencies}) {
		loads = append(loads, Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	return loads
}

// TestFactsFollowLoads: after batched loads, new versions, re-extractions,
// a reload, plain-SQL reports and an agency change, every fact table equals
// what cells and the views say.
func TestFactsFollowLoads(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "f.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loads := synthLoads(12)
	for i := 0; i < len(loads); i += 50 {
		if _, err := db.LoadReports(ctx, loads[i:min(i+50, len(loads))]); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("batched loads", func(t *testing.T) { assertFactsMatch(t, db) })

	if _, err := db.LoadReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	t.Run("reload adds nothing", func(t *testing.T) {
		if n, want := countOf(t, db, `select count(*) from report_facts`), len(loads); n != want {
			t.Errorf("report_facts has %d rows; want %d", n, want)
		}
		assertFactsMatch(t, db)
	})

	// New bytes for three reports (a revision), and a re-extraction of old
	// bytes with a new extractor: the revision becomes latest, the
	// re-extraction never does.
	var later []Load
	for _, ld := range loads[:3] {
		r := *ld.Report
		r.Cells = append([]extract.Cell(nil), r.Cells...)
		v := "12345"
		r.Cells[0].Value, r.Cells[0].Raw = &v, v
		later = append(later, Load{Report: &r, PageSHA256: ld.PageSHA256 + "-rev", RegionCode: ld.RegionCode, Portal: ld.Portal, ExtractorVersion: "synth"})
	}
	if _, err := db.LoadReports(ctx, later); err != nil {
		t.Fatal(err)
	}
	reext := loads[3:5]
	for i := range reext {
		reext[i].ExtractorVersion = "synth-2"
	}
	if _, err := db.LoadReports(ctx, reext); err != nil {
		t.Fatal(err)
	}
	t.Run("versions", func(t *testing.T) {
		assertFactsMatch(t, db)
		if n := countOf(t, db, `select count(*) from report_facts as f join reports as r on r.id = f.report_id
			where f.is_latest and r.page_sha256 like '%-rev'`); n != 3 {
			t.Errorf("%d revisions are latest; want 3", n)
		}
	})

	// A report written with plain SQL gets its facts at the next Run.
	if _, err := db.SQL.ExecContext(ctx, `insert into reports (id, agency, year, source, page_sha256, extracted_at)
		values (100000, '手写机关', 2022, 'x.html', 'sha-hand', '2026-01-01')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `insert into cells (report_id, table_code, row_code, col_code, value)
		values (100000, 't3', 'new', 'natural', 2), (100000, 't3', 'new', 'total', 3), (100000, 't4', 'all', 'review.total', null)`); err != nil {
		t.Fatal(err)
	}
	res, err := db.Run(ctx, "i3_total_column", map[string]string{"year": "2022"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("plain SQL report", func(t *testing.T) {
		assertFactsMatch(t, db)
		found := false
		for _, r := range res.Rows {
			found = found || r[0] == int64(100000)
		}
		if !found {
			t.Errorf("i3_total_column did not flag the plain-SQL report (2 ≠ 3): %v", res.Rows)
		}
	})

	// Agencies merged by hand: the latest version per agency changes.
	if _, err := db.SQL.ExecContext(ctx, `update reports set agency_id = (select min(agency_id) from reports)
		where agency_id = (select max(agency_id) from reports)`); err != nil {
		t.Fatal(err)
	}
	if err := db.RefreshFacts(ctx); err != nil {
		t.Fatal(err)
	}
	t.Run("agency change", func(t *testing.T) { assertFactsMatch(t, db) })
}

// TestFactsBackfillOnUpgrade: a file made by schema 5 (no fact tables)
// gets them, filled from its cells, at its first read-write open.
func TestFactsBackfillOnUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.duckdb")
	sqldb, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{Path: path, SQL: sqldb, opts: Options{Now: time.Now}}
	if err := old.migrateTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if err := old.syncCodebook(ctx); err != nil {
		t.Fatal(err)
	}
	// Load as schema 5 did: reports and cells without facts.
	for _, q := range []string{
		`insert into reports (id, agency, region_code, year, format, source, page_sha256, extracted_at)
			values (1, '甲局', '410711', 2021, '2021', 'a.html', 'sha-a', '2022-01-01'),
			       (2, '甲局', '410711', 2021, '2021', 'a2.html', 'sha-a2', '2022-02-01'),
			       (3, '乙局', '410711', 2021, '2021', 'b.html', 'sha-b', '2022-01-01')`,
		`insert into cells (report_id, table_code, row_code, col_code, value) values
			(1, 't3', 'new', 'natural', 3), (1, 't3', 'new', 'total', 3),
			(2, 't3', 'new', 'natural', 4), (2, 't3', 'new', 'total', 5),
			(3, 't3', 'new', 'natural', null), (3, 't2', 'rules', 'made', 1)`,
	} {
		if _, err := sqldb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sqldb.Close()

	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open(schema 5 file): %v", err)
	}
	defer db.Close()
	assertFactsMatch(t, db)
	for _, tc := range []struct {
		name, q string
		want    int
	}{
		{"t3 rows", `select count(*) from t3_rows`, 3},
		{"latest", `select count(*) from report_facts where is_latest and report_id in (2, 3)`, 2},
		{"blank", `select t3_blanks from report_facts where report_id = 3`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if n := countOf(t, db, tc.q); n != tc.want {
				t.Errorf("%s = %d; want %d", tc.q, n, tc.want)
			}
		})
	}
	// And the checks read them: report 2 prints 4 ≠ 5.
	res, err := db.Check(ctx, CheckOptions{Rules: []string{"i3_total_column"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(2) {
		t.Errorf("i3_total_column after upgrade = %v; want one row for report 2", res.Rows)
	}
}

// TestRefreshFactsLogsProgress: rebuilding the derived tables of many
// reports (a whole file after an upgrade) says so, chunk by chunk.
func TestRefreshFactsLogsProgress(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "many.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := factChunk + 1
	if _, err := db.SQL.ExecContext(ctx, `insert into reports (agency, year, format, source, page_sha256, extracted_at, warnings)
		select 'agency ' || i, 2021, '2021', 'https://x.example/' || i, 'sha-' || i, '2024-01-01', '[]' from range(?) as t(i)`, n); err != nil {
		t.Fatal(err)
	}
	db.SQL.Close() // not db.Close, which makes the facts: the next open must rebuild them

	var buf strings.Builder
	db, err = Open(ctx, path, Options{Log: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, want := range []string{"rebuilding derived tables", fmt.Sprintf("reports=%d", n), fmt.Sprintf("done=%d of=%d", factChunk, n), fmt.Sprintf("done=%d of=%d", n, n)} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
	var facts int
	db.SQL.QueryRowContext(ctx, `select count(*) from report_facts`).Scan(&facts)
	if facts != n {
		t.Errorf("report_facts has %d rows; want %d", facts, n)
	}
}
