package warehouse_test

import (
	"context"
	"testing"
	"time"
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
