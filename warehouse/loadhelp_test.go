package warehouse_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// openWarehouse opens a fresh database file in t.TempDir with a clock that
// advances a second per call, so versions order deterministically.
func openWarehouse(tb testing.TB) (*warehouse.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "nianbao.duckdb")
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{Now: tickingClock()})
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

func tickingClock() func() time.Time {
	t := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

// queryInt runs a query returning one integer.
func queryInt(tb testing.TB, db *warehouse.DB, q string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := db.SQL.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

// queryString runs a query returning one string (NULL as "<null>").
func queryString(tb testing.TB, db *warehouse.DB, q string, args ...any) string {
	tb.Helper()
	var s *string
	if err := db.SQL.QueryRowContext(context.Background(), q, args...).Scan(&s); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	if s == nil {
		return "<null>"
	}
	return *s
}

func strp(s string) *string { return &s }

func itoa(n int64) string { return fmt.Sprint(n) }

// sampleReport is a small 2021-format report: a few cells (one blank, one
// negative, one with four decimals), a section and a warning.
func sampleReport(source, agency string, year int, granted string) *extract.Report {
	return &extract.Report{
		Source: source, Agency: agency, Year: year, Format: "2021",
		Title:        fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, year),
		PublishedAt:  fmt.Sprintf("%d-01-20", year+1),
		TableFormats: map[string]string{"t3": "2021", "t4": "2021"},
		Cells: []extract.Cell{
			{Table: "t3", Row: "new", Col: "natural", Value: strp("12"), Raw: "12", Unit: "件", SrcTable: 2, SrcRow: 3, SrcCol: 2},
			{Table: "t3", Row: "granted", Col: "natural", Value: strp(granted), Raw: granted, SrcTable: 2, SrcRow: 5, SrcCol: 3},
			{Table: "t3", Row: "carried_in", Col: "legal", Value: nil, Raw: "—", SrcTable: 2, SrcRow: 4, SrcCol: 6},
			{Table: "t2", Row: "fees", Col: "amount_wan_yuan", Value: strp("1234.5678"), Raw: "1234.5678", SrcTable: 1, SrcRow: 9, SrcCol: 4},
			{Table: "t4", Row: "all", Col: "review.total", Value: strp("-0.5"), Raw: "-0.5", SrcTable: 3, SrcRow: 3, SrcCol: 5},
		},
		Sections: []extract.Section{{Number: 1, Heading: "一、总体情况", Text: "2021年，本机关收到申请12件。"}},
		Warnings: []extract.Warning{{Code: "blank_cell", Table: "t3", Row: "carried_in", Col: "legal", Message: "blank cell"}},
	}
}
