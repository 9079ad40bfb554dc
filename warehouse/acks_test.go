package warehouse_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

// flagsOf returns "rule col ack" of each row of a Check result.
func flagsOf(t *testing.T, res *warehouse.Result) []string {
	t.Helper()
	ri, ci, ai := slices.Index(res.Columns, "rule"), slices.Index(res.Columns, "col_code"), slices.Index(res.Columns, "ack")
	var out []string
	for _, r := range res.Rows {
		ack := "-"
		if r[ai] != nil {
			ack = r[ai].(string)
		}
		out = append(out, r[ri].(string)+" "+r[ci].(string)+" "+ack)
	}
	return out
}

func TestAckKeptUntilCellsChange(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	r := seedReport2021()
	r.AgencyID = 7
	// 自然人 column: 3 new, but only 2 processed.
	addCheckReport(t, db, r.with("t3.result_total.natural", "2"))
	opts := warehouse.CheckOptions{Rules: []string{"i1_balance"}}
	res, err := db.Check(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := flagsOf(t, res); !slices.Equal(got, []string{"i1_balance natural -"}) {
		t.Fatalf("first run = %v", got)
	}
	fp := res.Rows[0][slices.Index(res.Columns, "fingerprint")].(string)
	if err := db.Ack(ctx, fp, warehouse.AckFalseAlarm, "the PDF prints 3; our reading"); err != nil {
		t.Fatal(err)
	}
	if err := db.Ack(ctx, "nope", warehouse.AckConfirmed, ""); err == nil || !strings.Contains(err.Error(), "no check result") {
		t.Errorf("Ack of an unknown fingerprint: %v", err)
	}
	if err := db.Ack(ctx, fp, "maybe", ""); err == nil {
		t.Error("Ack with status maybe succeeded")
	}

	// A re-run and a new version printing the same cells keep the ack.
	r.ExtractedAt = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, r.with("t3.result_total.natural", "2"))
	res, err = db.Check(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := flagsOf(t, res); !slices.Equal(got, []string{"i1_balance natural false_alarm"}) {
		t.Errorf("same cells in a new version = %v; want the flag still acknowledged", got)
	}
	if got := queryString(t, db, `select ack || ': ' || ack_note from check_failures`); got != "false_alarm: the PDF prints 3; our reading" {
		t.Errorf("check_failures ack = %s", got)
	}
	changes, err := db.Run(ctx, "flag_changes", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsBy(t, changes, []string{"change", "col_code"}, []string{"ack"}); len(got) != 1 || got["still_open|natural"] != "false_alarm" {
		t.Errorf("flag_changes = %v; want the natural flag still_open, acknowledged", got)
	}

	// A version whose cells change (now 4 processed of 3 new) is a new
	// finding: the ack does not carry over.
	r.ExtractedAt = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, r.with("t3.result_total.natural", "4"))
	res, err = db.Check(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := flagsOf(t, res); !slices.Equal(got, []string{"i1_balance natural -"}) {
		t.Errorf("changed cells = %v; want the flag unacknowledged", got)
	}
	// Fixed in the next version: flag_changes since the first run says so.
	r.ExtractedAt = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, r)
	if _, err := db.Check(ctx, opts); err != nil {
		t.Fatal(err)
	}
	changes, err = db.Run(ctx, "flag_changes", map[string]string{"since": "1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rowsBy(t, changes, []string{"change", "col_code"}, []string{"old_run", "new_run"}); len(got) != 1 || got["fixed|natural"] != "1|4" {
		t.Errorf("flag_changes since run 1 = %v; want natural fixed between runs 1 and 4", got)
	}
	if got := queryInt(t, db, `select count(*) from check_failures`); got != 0 {
		t.Errorf("check_failures has %d rows after the fix; want 0", got)
	}
}

func TestFlagChangesNew(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	addCheckReport(t, db, seedReport2021())
	opts := warehouse.CheckOptions{Rules: []string{"i1_balance", "i3_total_column"}}
	if _, err := db.Check(ctx, opts); err != nil {
		t.Fatal(err)
	}
	r := seedReport2021()
	r.ExtractedAt = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, r.with("t3.new.total", "4"))
	if _, err := db.Check(ctx, opts); err != nil {
		t.Fatal(err)
	}
	changes, err := db.Run(ctx, "flag_changes", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := rowsBy(t, changes, []string{"change", "rule", "row_code", "col_code"}, []string{"expected", "actual"})
	want := map[string]string{"new|i1_balance|<nil>|total": "4|3", "new|i3_total_column|new|total": "3|4"}
	if len(got) != len(want) {
		t.Errorf("flag_changes = %v; want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s; want %s", k, got[k], v)
		}
	}
}
