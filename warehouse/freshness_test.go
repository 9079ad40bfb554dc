package warehouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

func TestFreshness(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	gov := seedReport2021()
	gov.Agency, gov.Region = "甲县人民政府", "410711"
	for _, y := range []int{2019, 2020} { // nothing for 2021 or 2022
		gov.Year, gov.Source = y, "gov"+itoa(int64(y))
		addCheckReport(t, db, gov)
	}
	dep := seedReport2021()
	dep.Agency, dep.Region, dep.Year, dep.Source = "甲县财政局", "410711", 2020, "dep"
	addCheckReport(t, db, dep)
	if _, err := db.SQL.ExecContext(ctx, `insert into portals (name, region_code) values ('甲县', '410711'), ('乙县', '410712')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `insert into pages (portal, url, fetched_at, status) values
		('甲县', 'http://a/1', ?, 200), ('甲县', 'http://a/2', ?, 200), ('乙县', 'http://b/1', ?, 503)`,
		time.Date(2022, 2, 1, 10, 0, 0, 0, time.UTC), time.Date(2022, 2, 10, 10, 0, 0, 0, time.UTC),
		time.Date(2022, 2, 12, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	// 15 February 2022: departments' 2021 reports were due on 31 January,
	// governments' are due on 31 March.
	res, err := db.Run(ctx, "freshness", map[string]string{"as_of": "2022-02-15"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"kind", "name", "year"}, []string{"age_days", "detail"})
	want := map[string]string{
		"portal|甲县|<nil>":           "5|<nil>",
		"portal|乙县|<nil>":           "<nil>|never fetched without error",
		"missing_report|甲县财政局|2021": "15|no report for 2021, due 2022-01-31 (department); published for 2020 and later",
	}
	if len(got) != len(want) {
		t.Errorf("freshness = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s; want %s", k, got[k], v)
		}
	}
	// 1 April 2022: the government's 2021 report is late too.
	res, err = db.Run(ctx, "freshness", map[string]string{"as_of": "2022-04-01", "year": "2021"})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsBy(t, res, []string{"kind", "name", "year"}, []string{"age_days"})
	if got["missing_report|甲县人民政府|2021"] != "1" || got["missing_report|甲县财政局|2021"] != "60" {
		t.Errorf("freshness on 2022-04-01 = %v", got)
	}
}

// TestGovernmentOneRule: the deadline check, the freshness report and the
// indicators' peer level read one rule (agencies.level, AgencyLevel): a
// township named by its place (…镇, …街道) is a government, due 3月31日; an
// office in the capital (…驻北京办事处) is a department, due 1月31日.
func TestGovernmentOneRule(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	bodies := []struct{ name, level, due string }{
		{"牧野区王村镇", "township", "2022-03-31"},
		{"牧野区东干道街道", "township", "2022-03-31"},
		{"新乡市人民政府驻北京办事处", "department", "2022-01-31"},
		{"牧野区财政局", "department", "2022-01-31"},
	}
	for _, b := range bodies {
		r := seedReport2021()
		r.Agency, r.Region, r.Year, r.Source, r.PublishedAt = b.name, "410711", 2020, b.name+"2020", "2021-01-05"
		addCheckReport(t, db, r)
		r.Year, r.Source, r.PublishedAt = 2021, b.name+"2021", "2022-03-01"
		addCheckReport(t, db, r)
	}
	// Published 1 March 2022: late for a department only.
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"deadline"}, Year: 2021})
	if err != nil {
		t.Fatal(err)
	}
	late := rowsBy(t, res, []string{"agency"}, []string{"actual"})
	// No 2022 report: missing after its deadline on 15 February 2023 for a
	// department only.
	fresh, err := db.Run(ctx, "freshness", map[string]string{"as_of": "2023-02-15", "year": "2022"})
	if err != nil {
		t.Fatal(err)
	}
	missing := rowsBy(t, fresh, []string{"kind", "name"}, []string{"due"})
	inds, err := db.Run(ctx, "indicators", map[string]string{"year": "2021", "indicator": "received"})
	if err != nil {
		t.Fatal(err)
	}
	levels := rowsBy(t, inds, []string{"agency"}, []string{"level"})
	for _, b := range bodies {
		if levels[b.name] != b.level {
			t.Errorf("%s: indicators' level %s; want %s", b.name, levels[b.name], b.level)
		}
		wantLate, wantMissing := "", ""
		if b.level == "department" {
			wantLate, wantMissing = "29", "2023-01-31"
		}
		if got := late[b.name]; got != wantLate {
			t.Errorf("%s published 2022-03-01: deadline says %q days late; want %q", b.name, got, wantLate)
		}
		if got := missing["missing_report|"+b.name]; got != wantMissing {
			t.Errorf("%s without a 2022 report on 2023-02-15: freshness due %q; want %q", b.name, got, wantMissing)
		}
	}
}
