package warehouse

import (
	"context"
	"database/sql/driver"
	"flag"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/internal/synth"
)

var ceilingAgencies = flag.Int("ceiling.agencies", 100, "BenchmarkAppendCells: synthetic agencies (× 10 years of reports)")

// BenchmarkAppendCells is the ceiling a load is measured against: the cells
// of N synthetic agencies × 10 years (-ceiling.agencies, default 100)
// through LoadReports' own Appender loop, 10,000 reports per transaction
// like bench/scale, into one fresh file — and nothing else: no reports,
// sections, agencies or fact tables. bench/scale.sh runs it at the N of
// its load and prints the ratio.
func BenchmarkAppendCells(b *testing.B) {
	ctx := context.Background()
	const batch = 10000
	cells := 0
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
		var loads []Load
		var id int64
		flush := func() {
			l := &loader{db: db, conn: conn, loads: loads, stats: &LoadStats{ReportIDs: make([]int64, len(loads))}}
			for k := range loads {
				id++
				l.todo = append(l.todo, k)
				l.stats.ReportIDs[k] = id
			}
			b.StartTimer()
			if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
				b.Fatal(err)
			}
			if err := conn.Raw(func(dc any) error { return appendRows(dc.(driver.Conn), "cells", nil, l.appendCells) }); err != nil {
				b.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, "commit"); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cells += l.stats.Cells
			loads = loads[:0]
		}
		for g := range synth.Reports(synth.Options{Agencies: *ceilingAgencies}) {
			loads = append(loads, Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode, ExtractorVersion: "synth"})
			if len(loads) == batch {
				flush()
			}
		}
		if len(loads) > 0 {
			flush()
		}
		conn.Close()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "cells/s")
}
