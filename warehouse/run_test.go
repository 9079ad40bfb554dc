package warehouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

func TestRunErrors(t *testing.T) {
	db := newCheckDB(t)
	tests := []struct {
		name, query string
		params      map[string]string
		want        []string // substrings of the error
	}{
		{"unknown query lists the valid ones", "i9_nothing", nil, []string{`"i9_nothing"`, "i1_balance", "trend"}},
		{"unknown parameter lists the valid ones", "trend", map[string]string{"yaer": "2021"}, []string{"yaer", "agency, region, by"}},
		{"bad enumerated value", "compare", map[string]string{"metric": "happiness"}, []string{"unknown metric happiness", "granted_pct"}},
		{"bad by", "trend", map[string]string{"by": "planet"}, []string{"by must be agency or region"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.Run(context.Background(), tc.query, tc.params)
			if err == nil {
				t.Fatalf("Run(%s, %v) succeeded; want an error", tc.query, tc.params)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Run(%s) error = %q; want it to mention %q", tc.query, err, w)
				}
			}
		})
	}
}

// TestRunBindsParameters: a value with a quote is data, not SQL, and ""
// means the filter is off.
func TestRunBindsParameters(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	addCheckReport(t, db, seedReport2021())
	other := seedReport2021()
	other.Agency, other.Region, other.Source = "O'Brien县人民政府", "41'0799", "file:obrien.html"
	addCheckReport(t, db, other)
	tests := []struct {
		region string
		want   []string // agencies listed
	}{
		{"", []string{"O'Brien县人民政府", "新乡市牧野区人民政府"}},
		{"4107", []string{"新乡市牧野区人民政府"}},
		{"41'07", []string{"O'Brien县人民政府"}},
		{"' or 1=1 --", nil},
	}
	for _, tc := range tests {
		t.Run("region="+tc.region, func(t *testing.T) {
			res, err := db.Run(ctx, "reports", map[string]string{"region": tc.region})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, row := range res.Rows {
				got = append(got, row[1].(string))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("reports region=%q lists %q; want %q", tc.region, got, tc.want)
			}
		})
	}
}

// TestQueryValues: decimals come back as exact strings, dates as
// YYYY-MM-DD, NULL as nil.
func TestQueryValues(t *testing.T) {
	db := newCheckDB(t)
	res, err := db.Query(context.Background(), `select
		cast('24252.311082' as decimal(18,6)) as fee,
		cast('94.0121' as decimal(18,4)) as fee4,
		cast('20.0000' as decimal(18,4)) as whole,
		cast('99999999999999.9999' as decimal(18,4)) as big,
		date '2022-03-31' as due,
		cast(null as decimal(18,4)) as blank,
		[cast(1.5 as decimal(4,1))] as list`)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"24252.311082", "94.0121", "20", "99999999999999.9999", "2022-03-31", nil}
	for i, w := range want {
		if got := res.Rows[0][i]; got != w {
			t.Errorf("%s = %#v; want %#v", res.Columns[i], got, w)
		}
	}
	if l, ok := res.Rows[0][6].([]any); !ok || len(l) != 1 || l[0] != "1.5" {
		t.Errorf("list = %#v; want []any{\"1.5\"}", res.Rows[0][6])
	}
}

// TestReadOnlyRunAndCheck: a read-only database runs every query and the
// checks, storing nothing.
func TestReadOnlyRunAndCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ro.duckdb")
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addCheckReport(t, db, seedReport2021().with("t3.result_total.natural", "2"))
	db.Close()

	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	res, err := ro.Check(ctx, warehouse.CheckOptions{Rules: []string{"i1_balance"}})
	if err != nil {
		t.Fatalf("Check on a read-only database: %v", err)
	}
	if len(res.Rows) != 1 {
		t.Errorf("Check found %d failures; want 1", len(res.Rows))
	}
	var stored int
	if err := ro.SQL.QueryRowContext(ctx, `select count(*) from check_results`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("check_results has %d rows after a read-only check; want 0", stored)
	}
}

// rowsOf reads the named columns of res as strings ("" for NULL), one
// "a|b|c" line per row.
func rowsOf(t *testing.T, res *warehouse.Result, cols ...string) []string {
	t.Helper()
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, have := range res.Columns {
			if have == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			t.Fatalf("no column %s in %v", c, res.Columns)
		}
	}
	var out []string
	for _, row := range res.Rows {
		vals := make([]string, len(idx))
		for i, j := range idx {
			if row[j] != nil {
				vals[i] = fmt.Sprint(row[j])
			}
		}
		out = append(out, strings.Join(vals, "|"))
	}
	return out
}

// TestReports runs each report query on purpose-made data and checks the
// figures a researcher would read.
func TestReports(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	muye21 := seedReport2021()
	muye22 := seedReport2021().with("t3.new.natural", "4", "t3.new.total", "4",
		"t3.granted.natural", "1", "t3.granted.total", "1",
		"t3.result_total.natural", "4", "t3.result_total.total", "4",
		"t4.all.review.corrected", "1", "t4.all.review.upheld", "1", "t4.all.review.total", "2",
		"t2.fees.amount_wan_yuan", "80.5")
	muye22.Year, muye22.Source = 2022, "https://www.xxmyq.gov.cn/2022.html"
	muye19 := seedReport2019()
	muye19.Year, muye19.Source = 2019, "https://www.xxmyq.gov.cn/2019.html"
	hongqi := seedReport2021().with("t3.new.natural", "10", "t3.new.total", "10")
	hongqi.Agency, hongqi.Region, hongqi.Source = "新乡市红旗区人民政府", "410702", "https://hq.example/2021.html"
	fujian := seedReport2021()
	fujian.Agency, fujian.Region, fujian.Source = "平潭综合实验区管委会", "350128", "https://pt.example/2021.html"
	for _, r := range []checkReport{muye19, muye21, muye22, hongqi, fujian} {
		addCheckReport(t, db, r)
	}
	// A changed page: a second 2022 version with one cell revised.
	rev := muye22.with("t2.fees.amount_wan_yuan", "80.75")
	rev.ExtractedAt = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, rev)
	if _, err := db.SQL.ExecContext(ctx, `insert into portals (name, region_code) values ('新乡市凤泉区人民政府', '410704')`); err != nil {
		t.Fatal(err)
	}

	run := func(name string, params map[string]string, cols ...string) []string {
		t.Helper()
		res, err := db.Run(ctx, name, params)
		if err != nil {
			t.Fatalf("Run(%s, %v): %v", name, params, err)
		}
		return rowsOf(t, res, cols...)
	}

	t.Run("trend per agency", func(t *testing.T) {
		got := run("trend", map[string]string{"agency": "牧野"}, "agency", "year", "received", "processed",
			"granted_pct", "denied_pct", "unable_pct", "reviews", "corrected_pct", "licensing", "fees_wan_yuan")
		want := []string{
			"新乡市牧野区人民政府|2019|3|3|0|33.33|33.33|0||14000|",
			"新乡市牧野区人民政府|2021|3|3|0|33.33|66.67|0||15498|94.0121",
			"新乡市牧野区人民政府|2022|4|4|25|25|50|2|50|15498|80.75",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("trend by region", func(t *testing.T) {
		got := run("trend", map[string]string{"region": "4107", "by": "region"}, "agency", "year", "reports", "received")
		want := []string{"4107|2019|1|3", "4107|2021|2|13", "4107|2022|1|4"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend by region = %q; want %q", got, want)
		}
	})
	t.Run("compare ranks a region's agencies", func(t *testing.T) {
		got := run("compare", map[string]string{"year": "2021", "region": "41", "metric": "received"}, "rank", "agency", "value")
		want := []string{"1|新乡市红旗区人民政府|10", "2|新乡市牧野区人民政府|3"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("compare = %q; want %q", got, want)
		}
		got = run("compare", map[string]string{"metric": "unable_pct"}, "rank", "agency", "year", "value")
		want = []string{"1|新乡市牧野区人民政府|2022|50"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("compare (latest year) = %q; want %q", got, want)
		}
	})
	t.Run("coverage shows gaps and idle portals", func(t *testing.T) {
		got := run("coverage", map[string]string{"region": "4107"}, "portal", "agency", "years", "missing_years")
		want := []string{
			"新乡市凤泉区人民政府|||no report found",
			"|新乡市红旗区人民政府|2021|2019, 2020, 2022",
			"|新乡市牧野区人民政府|2019, 2021, 2022|2020",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("coverage =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("revisions lists the changed page", func(t *testing.T) {
		got := run("revisions", nil, "agency", "year", "revision", "changed_cells")
		want := []string{"新乡市牧野区人民政府|2022|1|1"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("revisions = %q; want %q", got, want)
		}
	})
	t.Run("reports lists latest versions with counts", func(t *testing.T) {
		got := run("reports", map[string]string{"year": "2022"}, "agency", "year", "cells", "blank_cells", "sections")
		want := []string{fmt.Sprintf("新乡市牧野区人民政府|2022|%d|0|6", len(rev.Cells))}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("reports = %q; want %q", got, want)
		}
	})
	t.Run("flagged lists reports with errors after a check", func(t *testing.T) {
		if got := run("flagged", nil, "agency"); len(got) != 0 {
			t.Errorf("flagged before any check = %q; want none", got)
		}
		broken := fujian.with("t3.result_total.natural", "2")
		broken.ExtractedAt = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		addCheckReport(t, db, broken)
		if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
			t.Fatal(err)
		}
		got := run("flagged", nil, "agency", "year", "rules", "failures")
		// 红旗区 printed 一 = 10 against results of 3: I1 in two columns.
		want := []string{
			"平潭综合实验区管委会|2021|i1_balance, i2_results, i3_total_column|3",
			"新乡市红旗区人民政府|2021|i1_balance|2",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("flagged = %q; want %q", got, want)
		}
	})
}

// BenchmarkQueries loads NIANBAO_BENCH_AGENCIES (default 200) synthetic
// agencies × 10 years (about 200 cells each, 1% of reports unbalanced)
// with plain SQL, then times each canned query and a full check. Run with
// -benchtime=1x at scale:
//
//	NIANBAO_BENCH_AGENCIES=30000 go test ./warehouse -run '^$' -bench Queries -benchtime=1x
func BenchmarkQueries(b *testing.B) {
	n := 200
	if s := os.Getenv("NIANBAO_BENCH_AGENCIES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("NIANBAO_BENCH_AGENCIES=%q: %v", s, err)
		}
	}
	ctx := context.Background()
	db := newCheckDB(b)
	start := time.Now()
	for _, stmt := range syntheticReports(n) {
		if _, err := db.SQL.ExecContext(ctx, stmt); err != nil {
			b.Fatalf("generate: %v\n%s", err, stmt)
		}
	}
	var cells int64
	if err := db.SQL.QueryRowContext(ctx, `select count(*) from cells`).Scan(&cells); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d agencies × 10 years, %d cells in %s", n, cells, time.Since(start).Round(time.Millisecond))
	for _, q := range queries.All() {
		b.Run(q.Name, func(b *testing.B) {
			for b.Loop() {
				res, err := db.Run(ctx, q.Name, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(res.Rows)), "rows")
			}
		})
	}
	b.Run("Check(all)", func(b *testing.B) {
		for b.Loop() {
			res, err := db.Check(ctx, warehouse.CheckOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(res.Rows)), "rows")
		}
	})
}

// syntheticReports makes n agencies × 2014–2023 in SQL: table 三 balanced
// from hashed counts (2019 format before 2021, then 2021), table 四 and
// table 二 plausible, one report in a hundred off by one in （七）总计.
func syntheticReports(n int) []string {
	return []string{
		fmt.Sprintf(`insert into reports (agency, region_code, year, format, source,
			page_sha256, published_at, extracted_at, table_formats)
		select
			'机构' || a || case when a %% 5 = 0 then '人民政府' else '局' end,
			cast(410000 + a %% 9000 as varchar),
			y,
			case when y >= 2021 then '2021' else '2019' end,
			'https://example.org/' || a || '/' || y || '.html',
			md5(a || '-' || y),
			make_date(y + 1, 1 + cast(hash(a, y) %% 4 as integer), 15),
			timestamp '2026-01-01',
			case when y >= 2021 then '{"t2":"2021","t3":"2021","t4":"2021"}'
				else '{"t2":"2019","t3":"2019","t4":"2019"}' end
		from range(%d) as t(a), range(2014, 2024) as u(y)`, n),
		`create temp table base as
		select r.id, r.year, c.col, c.ord,
			cast(hash(r.id, c.ord, 1) % 20 as integer) as granted,
			cast(hash(r.id, c.ord, 2) % 5 as integer) as partial,
			cast(hash(r.id, c.ord, 3) % 5 as integer) as no_info,
			cast(hash(r.id, c.ord, 4) % 3 as integer) as carried_out
		from reports as r,
			(values ('natural', 1), ('commercial', 2), ('research', 3),
				('social', 4), ('legal', 5), ('other', 6)) as c(col, ord)`,
		`create temp table t3_rows as
		select * from (values
			('new'), ('carried_in'), ('granted'), ('partial'),
			('denied.state_secret'), ('denied.law_prohibited'), ('denied.three_safety'),
			('denied.third_party'), ('denied.internal'), ('denied.process'),
			('denied.enforcement'), ('denied.query'), ('unable.no_info'),
			('unable.need_creation'), ('unable.unclear'), ('rejected.complaint'),
			('rejected.duplicate'), ('rejected.publication'), ('rejected.excessive'),
			('rejected.confirm'), ('other'), ('other.no_correction'), ('other.no_fee'),
			('other.other'), ('result_total'), ('carried_out')) as t(row_code)`,
		`create temp table t3_cells as
		select b.id as report_id, t.row_code, b.col,
			case t.row_code
				when 'new' then b.granted + b.partial + b.no_info + b.carried_out
				when 'granted' then b.granted
				when 'partial' then b.partial
				when 'unable.no_info' then b.no_info
				when 'result_total' then b.granted + b.partial + b.no_info
					+ case when b.ord = 1 and b.id % 100 = 0 then 1 else 0 end
				when 'carried_out' then b.carried_out
				else 0
			end as value
		from base as b, t3_rows as t
		where (b.year >= 2021 and t.row_code != 'other')
			or (b.year < 2021 and t.row_code not like 'other.%')`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
		select report_id, 't3', row_code, col, value, cast(value as varchar) from t3_cells
		union all
		select report_id, 't3', row_code, 'total', sum(value), cast(sum(value) as varchar)
		from t3_cells group by report_id, row_code`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
		select r.id, 't4', 'all', g || '.' || k,
			case when k = 'upheld' or k = 'total' then cast(hash(r.id, g) % 3 as integer) else 0 end, ''
		from reports as r,
			(values ('review'), ('suit_direct'), ('suit_after_review')) as gs(g),
			(values ('upheld'), ('corrected'), ('other'), ('pending'), ('total')) as ks(k)`,
		`insert into cells (report_id, table_code, row_code, col_code, value, raw)
		select r.id, 't2', x.row_code, x.col_code,
			cast(hash(r.id, x.row_code, x.col_code) % 1000 as integer), ''
		from reports as r,
			(values ('rules', 'made'), ('rules', 'repealed'), ('rules', 'in_force'),
				('normative', 'made'), ('normative', 'repealed'), ('normative', 'in_force'),
				('licensing', 'decisions'), ('penalty', 'decisions'),
				('coercion', 'decisions'), ('fees', 'amount_wan_yuan')) as x(row_code, col_code)`,
		`insert into sections (report_id, number, heading, text)
		select r.id, s, 'section ' || s,
			case when s = 1 then '本年共收到政府信息公开申请' || cast(hash(r.id) % 200 as integer) || '件。'
				else '正文。' end
		from reports as r, range(1, 7) as t(s)`,
		`drop table base`, `drop table t3_rows`, `drop table t3_cells`,
	}
}
