package warehouse_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/warehouse"
)

// TestSynthLoadAndCheck loads generated reports and checks that the I1–I4
// checks flag exactly the reports the generator broke, by the rule it broke.
func TestSynthLoadAndCheck(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	var loads []warehouse.Load
	want := map[string]bool{} // "report id/rule"
	flawAt := map[int]string{}
	cells := 0
	for g := range synth.Reports(synth.Options{Agencies: 30, BlankShare: -1}) {
		if g.Flaw != nil {
			flawAt[len(loads)] = g.Flaw.Rule
		}
		cells += len(g.Report.Cells)
		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	st, err := db.LoadReports(ctx, loads)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != len(loads) || st.Cells != cells {
		t.Fatalf("loaded %d reports, %d cells; want %d, %d", st.Reports, st.Cells, len(loads), cells)
	}
	if len(flawAt) == 0 {
		t.Fatal("generator made no flawed report")
	}
	for i, rule := range flawAt {
		want[fmt.Sprintf("%d/%s", st.ReportIDs[i], rule)] = true
	}
	again, err := db.LoadReports(ctx, loads)
	if err != nil {
		t.Fatal(err)
	}
	if again.Reports != 0 || again.Skipped != len(loads) {
		t.Errorf("second load = %d reports, %d skipped; want 0, %d", again.Reports, again.Skipped, len(loads))
	}
	if got := queryInt(t, db, `select count(*) from cells`); got != int64(cells) {
		t.Errorf("cells after loading twice = %d; want %d", got, cells)
	}

	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"i1_balance", "i2_results", "i3_total_column", "i4_review_suit"}})
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(res.Columns, name) }
	got := map[string]bool{}
	for _, row := range res.Rows {
		if row[col("severity")] != "error" {
			continue
		}
		got[fmt.Sprintf("%v/%v", row[col("report_id")], row[col("rule")])] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("check missed flaw %s", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("check flagged %s, which the generator did not break", k)
		}
	}
}
