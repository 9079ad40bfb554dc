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

	"github.com/nianbao/nianbao/internal/synth"
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
		{"bad enumerated value", "compare", map[string]string{"metric": "happiness"}, []string{`metric="happiness" is not accepted`, "granted_pct"}},
		{"bad by", "trend", map[string]string{"by": "planet"}, []string{`by="planet" is not accepted`, "agency, region, regions, province, city, county"}},
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
		want := []string{"新乡市|2019|1|3", "新乡市|2021|2|13", "新乡市|2022|1|4"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend by region = %q; want %q", got, want)
		}
	})
	// The regions table rolls counties up: 牧野区 and 红旗区 are in 新乡市,
	// 平潭县 in 福州市; named, not coded.
	t.Run("trend by city and province", func(t *testing.T) {
		got := run("trend", map[string]string{"by": "city"}, "agency", "region_code", "year", "reports", "received")
		want := []string{"新乡市|410700|2019|1|3", "新乡市|410700|2021|2|13", "新乡市|410700|2022|1|4", "福州市|350100|2021|1|3"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend by city =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		got = run("trend", map[string]string{"by": "province", "region": "35"}, "agency", "region_code", "year", "reports", "received")
		want = []string{"福建省|350000|2021|1|3"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend by province in 35 = %q; want %q", got, want)
		}
		got = run("trend", map[string]string{"by": "county", "region": "4107"}, "agency", "year", "received")
		want = []string{"牧野区|2019|3", "牧野区|2021|3", "牧野区|2022|4", "红旗区|2021|10"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("trend by county in 4107 = %q; want %q", got, want)
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

// BenchmarkQueries loads NIANBAO_BENCH_AGENCIES (default 100) synthetic
// agencies × 10 years (internal/synth) and times each canned query and a
// full check; bench/scale.sh does the same at national scale.
//
//	NIANBAO_BENCH_AGENCIES=2000 go test ./warehouse -run '^$' -bench Queries -benchtime=1x
func BenchmarkQueries(b *testing.B) {
	n := 100
	if s := os.Getenv("NIANBAO_BENCH_AGENCIES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("NIANBAO_BENCH_AGENCIES=%q: %v", s, err)
		}
	}
	ctx := context.Background()
	db := newCheckDB(b)
	var loads []warehouse.Load
	for g := range synth.Reports(synth.Options{Agencies: n}) {
		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256,
			RegionCode: g.RegionCode, Portal: g.Portal, ExtractorVersion: "synth"})
	}
	st, err := db.LoadReports(ctx, loads)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d reports, %d cells", st.Reports, st.Cells)
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

// TestTrendPerAgencyID: two agencies printing the same name are two rows of
// trend (one per agency id), and summed only when asked by region.
func TestTrendPerAgencyID(t *testing.T) {
	db := newCheckDB(t)
	a := seedReport2021().with("t3.new.natural", "3", "t3.new.total", "3")
	a.Agency, a.Region, a.AgencyID, a.Source = "教育局", "410711", 101, "https://a.example/2021.html"
	b := seedReport2021().with("t3.new.natural", "5", "t3.new.total", "5", "t2.fees.amount_wan_yuan", "0.25")
	b.Agency, b.Region, b.AgencyID, b.Source = "教育局", "410702", 102, "https://b.example/2021.html"
	addCheckReport(t, db, a)
	addCheckReport(t, db, b)

	res, err := db.Run(context.Background(), "trend", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, res, "agency", "agency_id", "region_code", "year", "reports", "received")
	want := []string{"教育局|101|410711|2021|1|3", "教育局|102|410702|2021|1|5"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trend =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	res, err = db.Run(context.Background(), "trend", map[string]string{"by": "region"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsOf(t, res, "agency", "agency_id", "year", "reports", "received", "fees_wan_yuan")
	// 94.0121 (the seed's fees) + 0.25, exactly.
	want = []string{"all||2021|2|8|94.2621"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trend by region = %q; want %q", got, want)
	}

	// by=regions: one row per exact region code and year.
	res, err = db.Run(context.Background(), "trend", map[string]string{"by": "regions"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsOf(t, res, "agency", "region_code", "year", "reports", "received", "fees_wan_yuan")
	want = []string{"410702|410702|2021|1|5|0.25", "410711|410711|2021|1|3|94.0121"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trend by regions = %q; want %q", got, want)
	}
}

// TestCoverageUnknownAgencies: reports whose agency could not be read are
// not lumped into one NULL row: each is its own row, named by its page.
func TestCoverageUnknownAgencies(t *testing.T) {
	db := newCheckDB(t)
	for _, src := range []string{"https://a.example/2021.html", "https://b.example/2021.html"} {
		r := seedReport2021()
		r.Agency, r.Source = "", src
		addCheckReport(t, db, r)
	}
	addCheckReport(t, db, seedReport2021())
	res, err := db.Run(context.Background(), "coverage", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, res, "agency", "years")
	want := []string{
		"(agency unknown) https://a.example/2021.html|2021",
		"(agency unknown) https://b.example/2021.html|2021",
		"新乡市牧野区人民政府|2021",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverage =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
