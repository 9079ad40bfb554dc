package site

import (
	"context"
	"flag"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

var benchAgencies = flag.Int("site.agencies", 200, "synthetic agencies (×10 years) for BenchmarkBuild")

// BenchmarkBuild times, over -site.agencies synthetic agencies × 10 years
// (bench/scale.sh data): a full build, a rebuild with nothing changed, and
// the rebuild after a night in which 1% of the reports were revised (one
// cell changed, new page bytes) and the checks re-run.
//
//	go test ./site -run '^$' -bench Build -benchtime 1x -site.agencies 3000
func BenchmarkBuild(b *testing.B) {
	db, gens := synthDB(b, *benchAgencies)
	ctx := context.Background()
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			st, err := Build(ctx, db, b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Pages), "pages")
		}
	})
	dir := b.TempDir()
	if _, err := Build(ctx, db, dir, Options{}); err != nil {
		b.Fatal(err)
	}
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			if _, err := Build(ctx, db, dir, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	night := 0
	b.Run("night-1pct-revised", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			night++
			var loads []warehouse.Load
			for i := night; i < len(gens); i += 100 {
				g := gens[i]
				rep := *g.Report
				rep.Cells = append(rep.Cells[:0:0], rep.Cells...)
				for j, c := range rep.Cells {
					if c.Table == "t3" && c.Row == "new" && c.Col == "natural" {
						v := "7777"
						rep.Cells[j].Value, rep.Cells[j].Raw = &v, v
					}
				}
				loads = append(loads, warehouse.Load{Report: &rep, PageSHA256: g.SHA256 + "-night" + string(rune('a'+night)),
					RegionCode: g.RegionCode, Portal: g.Portal, ExtractorVersion: "synth"})
			}
			if _, err := db.LoadReports(ctx, loads); err != nil {
				b.Fatal(err)
			}
			if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			st, err := Build(ctx, db, dir, Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Written), "written")
			b.ReportMetric(float64(len(loads)), "revised")
		}
	})
}
