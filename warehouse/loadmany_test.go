package warehouse_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/warehouse"
)

// synthLoads generates agencies × 10 years of reports as loads, with the
// exact sum of their cell values (as DuckDB prints a DECIMAL(18,6) sum)
// and their number of cells.
func synthLoads(agencies int) (loads []warehouse.Load, sum string, cells int) {
	total := new(big.Rat)
	for g := range synth.Reports(synth.Options{Agencies: agencies}) {
		for _, c := range g.Report.Cells {
			if c.Value != nil {
				v, _ := new(big.Rat).SetString(*c.Value)
				total.Add(total, v)
			}
		}
		cells += len(g.Report.Cells)
		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	return loads, total.FloatString(6), cells
}

// TestLoadReportsManyCells loads over a hundred thousand cells (several
// DuckDB row groups' worth of Appender flushes) and checks that every cell
// arrives once, with its report, exact value and provenance, and that a bad
// cell anywhere rolls the whole batch back.
func TestLoadReportsManyCells(t *testing.T) {
	ctx := context.Background()
	loads, sum, cells := synthLoads(60)
	if cells < 110_000 {
		t.Fatalf("generated %d cells; the test needs over 100,000", cells)
	}
	counts := func(db *warehouse.DB) string {
		return queryString(t, db, `select (select count(*) from reports) || '/' || (select count(*) from cells) || '/' ||
			(select count(*) from sections) || '/' || (select count(*) from agencies)`)
	}

	// A bad cell in the last report fails after the Appender has flushed
	// rows into the transaction; one in the first report before.
	for _, tc := range []struct {
		name string
		at   int
	}{{"bad cell in the last report", len(loads) - 1}, {"bad cell in the first report", 0}} {
		t.Run(tc.name+" rolls back the batch", func(t *testing.T) {
			db, _ := openWarehouse(t)
			bad := make([]warehouse.Load, len(loads))
			copy(bad, loads)
			r := *bad[tc.at].Report
			r.Cells = append([]extract.Cell(nil), r.Cells...)
			r.Cells[len(r.Cells)-1].Col = "no_such_col" // outside the ENUM
			bad[tc.at].Report = &r
			_, err := db.LoadReports(ctx, bad)
			if err == nil {
				t.Fatal("LoadReports with an unknown column code succeeded; want an error")
			}
			c := r.Cells[len(r.Cells)-1]
			if want := r.Source + " cell " + c.Table + "/" + c.Row + "/" + c.Col; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %q", err, want)
			}
			if got := counts(db); got != "0/0/0/0" {
				t.Errorf("rows after failed batch (reports/cells/sections/agencies) = %s; want 0/0/0/0", got)
			}
		})
	}

	t.Run("every cell once, exact", func(t *testing.T) {
		db, _ := openWarehouse(t)
		st, err := db.LoadReports(ctx, loads)
		if err != nil {
			t.Fatal(err)
		}
		if st.Reports != len(loads) || st.Cells != cells {
			t.Fatalf("loaded %d reports, %d cells; want %d, %d", st.Reports, st.Cells, len(loads), cells)
		}
		if got := queryInt(t, db, `select count(*) from cells`); got != int64(cells) {
			t.Errorf("cells = %d; want %d", got, cells)
		}
		if got := queryString(t, db, `select cast(sum(value) as varchar) from cells`); got != sum {
			t.Errorf("sum(value) = %s; want %s", got, sum)
		}
		// Each report's cells went with its id: per report, the count and
		// the first cell's provenance match what was loaded.
		for _, k := range []int{0, len(loads) / 2, len(loads) - 1} {
			r := loads[k].Report
			id := st.ReportIDs[k]
			if got := queryInt(t, db, `select count(*) from cells where report_id = ?`, id); got != int64(len(r.Cells)) {
				t.Errorf("report %s: %d cells; want %d", r.Source, got, len(r.Cells))
			}
			c := r.Cells[0]
			got := queryString(t, db, `select concat_ws('|', table_code, row_code, col_code, raw, src_table, src_row, src_col)
				from cells where report_id = ? and table_code = ? and row_code = ? and col_code = ?`, id, c.Table, c.Row, c.Col)
			want := strings.Join([]string{c.Table, c.Row, c.Col, c.Raw, itoa(int64(c.SrcTable)), itoa(int64(c.SrcRow)), itoa(int64(c.SrcCol))}, "|")
			if got != want {
				t.Errorf("report %s first cell = %s; want %s", r.Source, got, want)
			}
		}
		again, err := db.LoadReports(ctx, loads)
		if err != nil {
			t.Fatal(err)
		}
		if again.Reports != 0 || again.Cells != 0 || again.Skipped != len(loads) {
			t.Errorf("second load = %+v; want nothing added, %d skipped", again, len(loads))
		}
	})
}

// TestLoadReportsDecimalRange loads the extremes of DECIMAL(18,6), a 万元
// amount printed to six decimals, values around the whole numbers the
// loader boxes once, and values the column cannot hold — stored NULL with
// their raw text and a warning, never a failed load — and reads them back
// as printed.
func TestLoadReportsDecimalRange(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	values := map[string]string{ // printed → DuckDB's text
		"999999999999.999999":  "999999999999.999999",
		"-999999999999.999999": "-999999999999.999999",
		"4166.241619":          "4166.241619",
		"0":                    "0.000000",
		"-0":                   "0.000000",
		"4095":                 "4095.000000",
		"4096":                 "4096.000000",
		"-3":                   "-3.000000",
		"0.000001":             "0.000001",
		"12.50":                "12.500000",
		"1000000000000":        "<null>", // thirteen integer digits
		"0.1234567":            "<null>", // seven fractional digits: would round
	}
	rep := sampleReport("range", "戊县人民政府", 2021, "7")
	rep.Cells = nil
	cols := []string{"natural", "commercial", "research", "social", "legal", "other", "total", "legal_subtotal",
		"review.total", "review.upheld", "review.other", "review.pending"}
	want := map[string]string{}
	raw := map[string]string{}
	i := 0
	for printed, text := range values {
		rep.Cells = append(rep.Cells, extract.Cell{Table: "t3", Row: "new", Col: cols[i], Value: strp(printed), Raw: printed})
		want[cols[i]], raw[cols[i]] = text, printed
		i++
	}
	st, err := db.LoadReports(ctx, []warehouse.Load{{Report: rep, PageSHA256: "range", ExtractorVersion: "v1"}})
	if err != nil {
		t.Fatal(err)
	}
	var nulls []string
	for col, text := range want {
		if got := queryString(t, db, `select cast(value as varchar) from cells where report_id = ? and col_code = ?`, st.ReportIDs[0], col); got != text {
			t.Errorf("cell %s = %s; want %s", col, got, text)
		}
		if got := queryString(t, db, `select raw from cells where report_id = ? and col_code = ?`, st.ReportIDs[0], col); got != raw[col] {
			t.Errorf("cell %s raw = %s; want %s", col, got, raw[col])
		}
		if text == "<null>" {
			nulls = append(nulls, col)
		}
	}
	for _, col := range nulls {
		got := queryString(t, db, `select string_agg(w->>'message', ' ') from reports, unnest(cast(warnings as json[])) as u(w)
			where id = ? and (w->>'code') = ? and (w->>'col') = ?`, st.ReportIDs[0], warehouse.WarnValueOutOfRange, col)
		if !strings.Contains(got, raw[col]) {
			t.Errorf("warning %s for cell %s = %q; want one naming %s", warehouse.WarnValueOutOfRange, col, got, raw[col])
		}
	}
	// The sample report's own warning is kept next to the new ones.
	if got := queryInt(t, db, `select json_array_length(warnings) from reports where id = ?`, st.ReportIDs[0]); got != 3 {
		t.Errorf("warnings = %d; want 3 (blank_cell and two %s)", got, warehouse.WarnValueOutOfRange)
	}
}
