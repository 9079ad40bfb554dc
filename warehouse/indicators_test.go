package warehouse_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

// indicatorFixture is four bodies of 新乡 in 2021 (three county
// governments, peers under city 4107, and a department) and county A's
// 2020 report under its old name; every expected value below is worked
// out by hand from these cells (总计 column).
func indicatorFixture(t *testing.T) *warehouse.DB {
	t.Helper()
	ctx := context.Background()
	db := newCheckDB(t)
	for _, a := range []struct {
		id                  int64
		name, region, level string
	}{
		{1, "牧野区人民政府", "410711", "county"},
		{2, "新乡县人民政府", "410721", "county"},
		{3, "获嘉县人民政府", "410724", "county"},
		{4, "牧野区财政局", "410711", "department"},
		{5, "牧野区教育局", "410711", "department"},
	} {
		if _, err := db.SQL.ExecContext(ctx, `insert into agencies (id, name, norm_name, region_code, level) values (?, ?, ?, ?, ?)`,
			a.id, a.name, a.name, a.region, a.level); err != nil {
			t.Fatal(err)
		}
	}
	base := func(id int64, agency, region string, year int) checkReport {
		r := seedReport2021()
		r.Agency, r.Region, r.Year, r.AgencyID, r.Source = agency, region, year, id, fmt.Sprintf("%s-%d.html", agency, year)
		r = r.with("t3.new.natural", "0", "t3.denied.process.natural", "0", "t3.unable.no_info.natural", "0",
			"t3.result_total.natural", "0", "t3.denied.process.total", "0", "t3.unable.no_info.total", "0",
			"t3.new.total", "0", "t3.result_total.total", "0", "t2.licensing.decisions", "-")
		return r
	}
	// A: 100 new; 40 granted, 20 partial, 10 denied (process), 10 unable
	// (no info), 15 rejected (duplicate), 5 other: 100 processed.
	addCheckReport(t, db, base(1, "牧野区人民政府", "410711", 2021).with(
		"t3.new.total", "100", "t3.granted.total", "40", "t3.partial.total", "20",
		"t3.denied.process.total", "10", "t3.unable.no_info.total", "10",
		"t3.rejected.duplicate.total", "15", "t3.other.other.total", "5", "t3.result_total.total", "100",
		"t4.all.review.upheld", "2", "t4.all.review.corrected", "1", "t4.all.review.other", "1",
		"t4.all.review.pending", "3", "t4.all.review.total", "7",
		"t2.licensing.decisions", "500"))
	// The same body a year earlier, under its old name: 10 new requests.
	addCheckReport(t, db, base(1, "新乡市牧野区人民政府", "410711", 2020).with(
		"t3.new.total", "10", "t3.granted.total", "10", "t3.result_total.total", "10",
		"t2.licensing.decisions", "450"))
	// B: 31 processed, 10 granted.
	addCheckReport(t, db, base(2, "新乡县人民政府", "410721", 2021).with(
		"t3.new.total", "31", "t3.granted.total", "10", "t3.result_total.total", "31",
		"t2.licensing.decisions", "300"))
	// C: 29 processed (< 30: no rank), 1 granted; no licensing decisions.
	addCheckReport(t, db, base(3, "获嘉县人民政府", "410724", 2021).with(
		"t3.new.total", "29", "t3.granted.total", "1", "t3.result_total.total", "29",
		"t2.licensing.decisions", "0"))
	// D: nothing processed: a division by zero.
	addCheckReport(t, db, base(4, "牧野区财政局", "410711", 2021))
	// E: prints 9 granted of 6 processed.
	addCheckReport(t, db, base(5, "牧野区教育局", "410711", 2021).with(
		"t3.new.total", "6", "t3.granted.total", "9", "t3.result_total.total", "6"))
	if _, err := db.SQL.ExecContext(ctx, `insert into covariates values ('410711', 2021, 'population', 250000, 'test', now()), ('410700', 2021, 'population', 6250000, 'test', now())`); err != nil {
		t.Fatal(err)
	}
	return db
}

// rowsBy keys a Result's rows by the named columns joined with "|", each
// value the named value columns joined with "|".
func rowsBy(t *testing.T, res *warehouse.Result, key []string, vals []string) map[string]string {
	t.Helper()
	idx := func(name string) int {
		i := slices.Index(res.Columns, name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, res.Columns)
		}
		return i
	}
	out := map[string]string{}
	for _, row := range res.Rows {
		var k, v []string
		for _, c := range key {
			k = append(k, fmt.Sprint(row[idx(c)]))
		}
		for _, c := range vals {
			v = append(v, fmt.Sprint(row[idx(c)]))
		}
		out[strings.Join(k, "|")] = strings.Join(v, "|")
	}
	return out
}

func TestExactRatio(t *testing.T) {
	db := newCheckDB(t)
	for _, c := range []struct{ n, d, k, want string }{
		{"2", "3", "100", "66.67"},
		{"1", "800", "100", "0.13"}, // 0.125: half away from zero
		{"-1", "800", "100", "-0.13"},
		{"40", "100", "100", "40"},
		{"5", "0", "100", "<null>"},
		{"100", "250000", "10000", "4"},
		{"94.0121", "3", "1", "31.34"},
		{"123456789012.3456", "7", "100", "1763668414462.08"},
	} {
		got := queryString(t, db, fmt.Sprintf(`select cast(exact_ratio(cast(%s as decimal(18,4)), cast(%s as decimal(18,4)), %s) as varchar)`, c.n, c.d, c.k))
		if got != "<null>" {
			got = strings.TrimRight(strings.TrimRight(got, "0"), ".")
		}
		if got != c.want {
			t.Errorf("exact_ratio(%s, %s, %s) = %s; want %s", c.n, c.d, c.k, got, c.want)
		}
	}
}

func TestIndicatorsPerReport(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	res, err := db.Run(ctx, "indicators", map[string]string{"year": "2021", "indicator": "all"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"indicator", "agency_id"}, []string{"numerator", "denominator", "value", "peers", "peer_rank", "peer_percentile", "note"})
	for k, want := range map[string]string{
		// A and B are the ranked peers (county, city 4107); C's 29 is below min_n.
		"granted_rate|1":                "40|100|40|2|1|100|<nil>",
		"granted_rate|2":                "10|31|32.26|2|2|0|<nil>",
		"granted_rate|3":                "1|29|3.45|<nil>|<nil>|<nil>|denominator below 30: rank suppressed",
		"granted_rate|4":                "0|0|<nil>|<nil>|<nil>|<nil>|denominator is 0",
		"granted_rate|5":                "9|6|150|<nil>|<nil>|<nil>|denominator below 30: rank suppressed",
		"granted_rate_merits|1":         "40|80|50|1|1|<nil>|<nil>",
		"partial_rate|1":                "20|100|20|2|1|100|<nil>",
		"denied_rate|1":                 "10|100|10|2|1|100|<nil>",
		"denied_rate.process|1":         "10|100|10|2|1|100|<nil>",
		"denied_rate.state_secret|1":    "0|100|0|2|1|0|<nil>",
		"unable_rate.no_info|1":         "10|100|10|2|1|100|<nil>",
		"rejected_rate|1":               "15|100|15|2|1|100|<nil>",
		"carried_over_share|1":          "0|100|0|2|1|0|<nil>",
		"review_per_100|1":              "7|100|7|2|1|100|<nil>",
		"correction_rate.review|1":      "1|4|25|<nil>|<nil>|<nil>|denominator below 30: rank suppressed",
		"correction_rate.suit_direct|1": "0|0|<nil>|<nil>|<nil>|<nil>|denominator is 0",
		"received_per_10k|1":            "100|250000|4|1|1|<nil>|<nil>",
		"received_per_10k|2":            "31|<nil>|<nil>|<nil>|<nil>|<nil>|denominator not printed",
		// counts are their numerator, ranked among all peers
		"decisions.licensing|1": "500|<nil>|500|3|1|100|<nil>",
		"decisions.licensing|3": "0|<nil>|0|3|3|0|<nil>",
		"fees|1":                "94.0121|<nil>|94.0121|3|1|0|<nil>",
	} {
		if got[k] != want {
			t.Errorf("%s = %s; want %s", k, got[k], want)
		}
	}
	// min_n=0 ranks C among its peers too.
	res, err = db.Run(ctx, "indicators", map[string]string{"year": "2021", "indicator": "granted_rate", "min_n": "0"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsBy(t, res, []string{"indicator", "agency_id"}, []string{"peers", "peer_rank", "peer_percentile"})
	if want := "3|3|0"; got["granted_rate|3"] != want {
		t.Errorf("granted_rate of C with min_n=0: %s; want %s", got["granted_rate|3"], want)
	}
	if len(res.Rows) != 5 {
		t.Errorf("indicator=granted_rate gave %d rows; want 5 (one per report of 2021)", len(res.Rows))
	}
}

// TestPeersWhateverTheFilter: a body keeps its peers when the region or
// agency filters leave them out of the output: 牧野区 (410711) filtered
// alone is still ranked among the counties of 新乡 (A and B, as in
// TestIndicatorsPerReport), 新乡县 found by name is still second of two,
// and 获嘉县's zero licensing decisions are still judged against its
// peers' median of 300.
func TestPeersWhateverTheFilter(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	for _, c := range []struct {
		params map[string]string
		rows   int
		key    string
		want   string
	}{
		// A, D and E are in 410711; D and E are departments.
		{map[string]string{"region": "410711"}, 3, "granted_rate|1", "2|1|100"},
		{map[string]string{"agency": "新乡县"}, 1, "granted_rate|2", "2|2|0"},
		{map[string]string{"agency": "新乡县", "min_n": "0"}, 1, "granted_rate|2", "3|2|50"},
	} {
		c.params["year"] = "2021"
		res, err := db.Run(ctx, "indicators", c.params)
		if err != nil {
			t.Fatal(err)
		}
		got := rowsBy(t, res, []string{"indicator", "agency_id"}, []string{"peers", "peer_rank", "peer_percentile"})
		if got[c.key] != c.want || len(res.Rows) != c.rows {
			t.Errorf("indicators %v: %s = %s in %d rows; want %s in %d rows", c.params, c.key, got[c.key], len(res.Rows), c.want, c.rows)
		}
	}
	res, err := db.Run(ctx, "outliers", map[string]string{"year": "2021", "indicator": "all", "region": "410724"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"reason", "indicator", "agency_id"}, []string{"detail"})
	if want := "decisions.licensing is 0 where its peers' median is 300"; got["zero_vs_peers|decisions.licensing|3"] != want || len(got) != 1 {
		t.Errorf("outliers of 410724 alone = %v; want only zero_vs_peers of decisions.licensing: %q", got, want)
	}
}

func TestIndicatorsPerRegion(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	res, err := db.Run(ctx, "indicators", map[string]string{"year": "2021", "by": "region", "region_digits": "4", "indicator": "all"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"indicator", "region_code"}, []string{"agencies_published", "agencies_reporting", "numerator", "denominator", "value"})
	for k, want := range map[string]string{
		// 40 + 10 + 1 + 0 + 9 of 100 + 31 + 29 + 0 + 6
		"granted_rate|4107": "5|5|60|166|36.14",
		// the city's own population, not a sum: 100 + 31 + 29 + 0 + 6 new
		"received_per_10k|4107":    "5|5|166|6250000|0.27",
		"decisions.licensing|4107": "5|3|800|<nil>|800",
	} {
		if got[k] != want {
			t.Errorf("%s = %s; want %s", k, got[k], want)
		}
	}
	// Per county: 牧野区 (410711) is A, D and E.
	res, err = db.Run(ctx, "indicators", map[string]string{"year": "2021", "by": "region", "indicator": "granted_rate"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsBy(t, res, []string{"region_code"}, []string{"agencies_published", "numerator", "denominator", "value"})
	if want := "3|49|106|46.23"; got["410711"] != want {
		t.Errorf("granted_rate of 410711 = %s; want %s", got["410711"], want)
	}
}

func TestOutliers(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	res, err := db.Run(ctx, "outliers", map[string]string{"year": "2021", "indicator": "all"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"reason", "indicator", "agency_id"}, []string{"detail"})
	for k, want := range map[string]string{
		// A under its new name, against its 2020 report under the old one.
		"yoy|received|1":                      "received 10 (2020) → 100 (2021): ×10",
		"zero_vs_peers|decisions.licensing|3": "decisions.licensing is 0 where its peers' median is 300",
		"share_out_of_range|granted_rate|5":   "granted_rate = 150 %: 9 of 6",
	} {
		if got[k] != want {
			t.Errorf("%s = %q; want %q", k, got[k], want)
		}
	}
	if _, ok := got["yoy|decisions.licensing|1"]; ok {
		t.Errorf("450 → 500 licensing decisions flagged as a jump: %v", got)
	}
	if len(got) != 4 {
		t.Errorf("outliers = %v; want the 4 above", got)
	}
}

// TestIndicatorNamesAreWhatTheFilesYield: the closed values of the
// parameter indicator (the files' names and their `-- yields:` lists) are
// exactly the indicators the SQL returns on a report printing every table,
// and asking for one returns it alone.
func TestIndicatorNamesAreWhatTheFilesYield(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	res, err := db.Run(ctx, "indicators", map[string]string{"year": "2021", "agency": "牧野区人民政府", "indicator": "all"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, row := range res.Rows {
		got[row[0].(string)] = true
	}
	names := queries.IndicatorNames()
	declared := map[string]bool{}
	for _, n := range names {
		declared[n] = true
	}
	for n := range got {
		if !declared[n] {
			t.Errorf("indicator %s is returned but not among the declared names %v", n, names)
		}
	}
	for _, ind := range queries.Indicators() {
		yielded := ind.Yields
		if len(yielded) == 0 {
			yielded = []string{ind.Name}
		}
		for _, n := range yielded {
			if !got[n] {
				t.Errorf("indicator/%s.sql declares %s but returns no such row", ind.Name, n)
			}
		}
	}
	res, err = db.Run(ctx, "indicators", map[string]string{"year": "2021", "agency": "牧野区人民政府", "indicator": "unable_rate.need_creation"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != "unable_rate.need_creation" {
		t.Errorf("indicator=unable_rate.need_creation gave %v; want its one row", res.Rows)
	}
	if _, err := db.Run(ctx, "indicators", map[string]string{"indicator": "unable_rate.nonsense"}); err == nil || !strings.Contains(err.Error(), "unable_rate.need_creation") {
		t.Errorf("indicator=unable_rate.nonsense: %v; want an error listing the indicators", err)
	}
}

// TestIndicatorDefaults: without an indicator both reports give the
// headline indicator granted_rate (at national scale every indicator is
// ten million rows); all gives every one.
func TestIndicatorDefaults(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	res, err := db.Run(ctx, "indicators", map[string]string{"year": "2021"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"indicator", "agency_id"}, []string{"value"})
	if len(got) != 5 || got["granted_rate|1"] != "40" {
		t.Errorf("indicators by default = %v; want granted_rate of the 5 reports", got)
	}
	res, err = db.Run(ctx, "outliers", map[string]string{"year": "2021"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsBy(t, res, []string{"reason", "indicator", "agency_id"}, []string{"detail"})
	if len(got) != 1 || got["share_out_of_range|granted_rate|5"] == "" {
		t.Errorf("outliers by default = %v; want E's granted_rate of 150 %% alone", got)
	}
}

// TestIndicatorFactsFollowTheReport: indicator_facts hold one row per
// report and indicator, redone (not added to) when a report's agency
// changes, and gone with the report's other facts.
func TestIndicatorFactsFollowTheReport(t *testing.T) {
	ctx := context.Background()
	db := indicatorFixture(t)
	perReport := 0
	for _, ind := range queries.Indicators() {
		if ind.Covariate != "" {
			continue
		}
		perReport += max(1, len(ind.Yields))
	}
	count := func() string {
		return queryString(t, db, `select string_agg(n, ',' order by report_id) from (
			select report_id, count(*)::varchar || '/' || count(distinct indicator)::varchar as n
			from indicator_facts group by report_id)`)
	}
	want := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("%d/%d,", perReport, perReport), 6), ",")
	if err := db.RefreshFacts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != want {
		t.Fatalf("indicator_facts per report = %s; want %s", got, want)
	}
	// A's value is the one computed by its file: 40 granted of 100.
	if got := queryString(t, db, `select cast(f.value as varchar) from indicator_facts as f join reports as r on r.id = f.report_id
		where r.agency = '牧野区人民政府' and f.indicator = 'granted_rate'`); got != "40.000000" {
		t.Errorf("A's stored granted_rate = %s; want 40.000000", got)
	}
	if _, err := db.SQL.ExecContext(ctx, `update reports set agency_id = 2 where agency = '牧野区人民政府'`); err != nil {
		t.Fatal(err)
	}
	if err := db.RefreshFacts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != want {
		t.Errorf("indicator_facts per report after the agency changed = %s; want %s", got, want)
	}
}
