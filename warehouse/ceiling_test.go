package warehouse

import (
	"context"
	"database/sql/driver"
	"path/filepath"
	"testing"
)

// BenchmarkAppendCells is the ceiling BenchmarkLoadReports is measured
// against: the same cells (100 agencies × 10 years) through the same
// Appender loop in one transaction on a fresh file, and nothing else — no
// reports, sections, agencies or fact tables. bench/scale.sh prints the
// ratio of the two.
func BenchmarkAppendCells(b *testing.B) {
	ctx := context.Background()
	loads := synthLoads(100)
	cells := 0
	for _, ld := range loads {
		cells += len(ld.Report.Cells)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "c.duckdb"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		l := &loader{db: db, conn: conn, loads: loads, stats: &LoadStats{ReportIDs: make([]int64, len(loads))}}
		for k := range loads {
			l.todo = append(l.todo, k)
			l.stats.ReportIDs[k] = int64(k + 1)
		}
		b.StartTimer()
		if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
			b.Fatal(err)
		}
		err = conn.Raw(func(dc any) error { return appendRows(dc.(driver.Conn), "cells", nil, l.appendCells) })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "commit"); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if l.stats.Cells != cells {
			b.Fatalf("appended %d cells; want %d", l.stats.Cells, cells)
		}
		conn.Close()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}
