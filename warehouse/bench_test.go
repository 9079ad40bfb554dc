package warehouse_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

// BenchmarkLoadReports loads 100 agencies × 10 years (about 200,000 cells)
// into a fresh file per iteration and reports cells/s.
func BenchmarkLoadReports(b *testing.B) {
	ctx := context.Background()
	loads, _, cells := synthLoads(100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), warehouse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := db.LoadReports(ctx, loads); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}
