package warehouse_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// arithmeticRules are the identities a page either satisfies as printed or
// not (the corpus's "balances").
var arithmeticRules = []string{"i1_balance", "i2_results", "i3_total_column", "i4_review_suit", "legal_subtotal"}

// TestCorpusAttribution extracts every real page of ../shared/corpus with
// the extractor, loads it (cells keep the extractor's doubts) and runs the
// arithmetic checks. A page that balances as printed must raise no flag
// the extraction could have caused: that is a misreading to fix. It logs
// the share of flags attributed to extraction doubt.
func TestCorpusAttribution(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	cases, _ := filepath.Glob(filepath.Join(dir, "*.expected.json"))
	if len(cases) == 0 {
		t.Skip("../shared/corpus not present")
	}
	ctx := context.Background()
	db := newCheckDB(t)
	balances := map[string]bool{} // by source
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".expected.json")
		var exp struct {
			Balances   bool   `json:"balances"`
			RegionCode string `json:"region_code"`
		}
		b, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &exp); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		var page, ct string
		for _, ext := range []string{".html", ".txt", ".pdf"} {
			if _, err := os.Stat(filepath.Join(dir, name+ext)); err == nil {
				// A PDF's type is sniffed by the extractor.
				page, ct = filepath.Join(dir, name+ext), map[string]string{".html": "text/html", ".txt": "text/plain"}[ext]
			}
		}
		if page == "" {
			t.Logf("%s: no HTML, text or PDF page: skipped", name)
			continue
		}
		body, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := extract.Parse(extract.Input{Source: page, Body: body, ContentType: ct})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: rep, RegionCode: exp.RegionCode}}); err != nil {
			// Not this test's subject (six-decimal 万元 fees do not fit
			// DECIMAL(18,4)); the other pages still count.
			t.Logf("load %s: %v: skipped", name, err)
			continue
		}
		balances[page] = exp.Balances
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: arithmeticRules})
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(res.Columns, name) }
	var flags, doubtful int
	for _, r := range res.Rows {
		sev := r[col("severity")].(string)
		if sev != "error" && sev != "uncertain" {
			continue
		}
		flags++
		src := r[col("source")].(string)
		if r[col("attribution")] == "extraction_doubt" {
			doubtful++
			if balances[src] {
				t.Errorf("%s balances as printed, yet %s flags %v/%v/%v (expected %v, read %v) on doubtful cells %v: a misreading",
					filepath.Base(src), r[col("rule")], r[col("table_code")], r[col("row_code")], r[col("col_code")],
					r[col("expected")], r[col("actual")], r[col("doubtful_cells")])
			}
		} else if balances[src] {
			t.Errorf("%s balances as printed, yet %s flags %v/%v/%v (expected %v, read %v) on cells read plainly",
				filepath.Base(src), r[col("rule")], r[col("table_code")], r[col("row_code")], r[col("col_code")],
				r[col("expected")], r[col("actual")])
		}
	}
	t.Logf("corpus: %d pages, %d arithmetic flags (error or uncertain), %d with extraction doubt", len(balances), flags, doubtful)
	if got := queryInt(t, db, `select count(*) from cells where doubts is not null`); got == 0 {
		t.Log("no cell of the corpus needed the extractor's help")
	}
}

// TestAttribution: a flag is extraction_doubt when a cell its rule adds up
// needed the extractor's help, naming it; source when every such cell was
// read plainly, even if another cell of the page was doubtful.
func TestAttribution(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	// 自然人 and 总计 columns: 3 new, 2 processed; i1 fails in both.
	id := addCheckReport(t, db, seedReport2021().with("t3.result_total.natural", "2", "t3.result_total.total", "2"))
	if _, err := db.SQL.ExecContext(ctx, `update cells set doubts = 'split_number,layout_guess'
		where report_id = ? and row_code = 'new' and col_code = 'natural'`, id); err != nil {
		t.Fatal(err)
	}
	// A doubt in a column the flags do not involve.
	if _, err := db.SQL.ExecContext(ctx, `update cells set doubts = 'label_repaired'
		where report_id = ? and row_code = 'granted' and col_code = 'research'`, id); err != nil {
		t.Fatal(err)
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"i1_balance"}})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, res, []string{"col_code"}, []string{"attribution", "doubtful_cells"})
	want := map[string]string{
		"natural": "extraction_doubt|t3/new/natural: split_number,layout_guess",
		"total":   "source|<nil>",
	}
	if len(got) != 2 || got["natural"] != want["natural"] || got["total"] != want["total"] {
		t.Errorf("attribution = %v; want %v", got, want)
	}
}

func TestLoadKeepsDoubts(t *testing.T) {
	db, _ := openWarehouse(t)
	rep := sampleReport("a.html", "甲县人民政府", 2021, "5")
	rep.Cells[0].Doubts = []string{extract.DoubtSplitNumber, extract.DoubtLayoutGuess}
	if _, err := db.LoadReports(context.Background(), []warehouse.Load{{Report: rep}}); err != nil {
		t.Fatal(err)
	}
	got := queryString(t, db, `select string_agg(row_code || '/' || col_code || '=' || coalesce(doubts, '-'), ' ' order by src_table, src_row) from cells`)
	if want := "fees/amount_wan_yuan=- new/natural=split_number,layout_guess carried_in/legal=- granted/natural=- all/review.total=-"; got != want {
		t.Errorf("cells' doubts = %s; want %s", got, want)
	}
}

// TestThresholds: dbt-style severities from the config's rules section.
func TestThresholds(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	// i1_balance: 自然人 3 new, 2 processed (difference −1); 总计 3 new,
	// 8 processed (difference 5).
	addCheckReport(t, db, seedReport2021().with("t3.result_total.natural", "2", "t3.result_total.total", "8"))
	run := func(th map[string]warehouse.Threshold) map[string]string {
		t.Helper()
		res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"i1_balance"}, Thresholds: th})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(res.Columns, ","); got != strings.Join(warehouse.FlagColumns, ",") {
			t.Fatalf("columns = %s", got)
		}
		return rowsBy(t, res, []string{"col_code"}, []string{"difference", "severity"})
	}
	if got := run(nil); got["natural"] != "-1|error" || got["total"] != "5|error" || len(got) != 2 {
		t.Errorf("defaults = %v", got)
	}
	// Differences of 1 are a warning, above 3 an error.
	if got := run(map[string]warehouse.Threshold{"i1_balance": {ErrorOp: ">", ErrorVal: "3", WarnOp: "!=", WarnVal: "0"}}); got["natural"] != "-1|warn" || got["total"] != "5|error" {
		t.Errorf("error_if > 3, warn_if != 0: %v", got)
	}
	// Only differences above 3 count at all.
	if got := run(map[string]warehouse.Threshold{"i1_balance": {ErrorOp: ">", ErrorVal: "3"}}); len(got) != 1 || got["total"] != "5|error" {
		t.Errorf("error_if > 3: %v", got)
	}
	// On the count: two failures; error only from 3, warn from 1.
	if got := run(map[string]warehouse.Threshold{"i1_balance": {On: "count", ErrorOp: ">=", ErrorVal: "3", WarnOp: ">=", WarnVal: "1"}}); got["natural"] != "-1|warn" || got["total"] != "5|warn" {
		t.Errorf("count thresholds: %v", got)
	}
	// severity: warn.
	if got := run(map[string]warehouse.Threshold{"i1_balance": {Severity: "warn"}}); got["natural"] != "-1|warn" || got["total"] != "5|warn" {
		t.Errorf("severity warn: %v", got)
	}
	if got := queryString(t, db, `select string_agg(severity, ',' order by col_code) from check_failures`); got != "warn,warn" {
		t.Errorf("check_failures severities after the last run = %s; want the thresholds' warn,warn", got)
	}
}
