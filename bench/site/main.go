// Command site times `nianbao site` over a bench/scale.sh database of N
// synthetic agencies × 10 years: a full build, a rebuild with nothing
// changed, and the rebuild after a night in which 1% of the reports were
// revised (one cell changed, new page bytes) and the checks re-run. It
// prints wall and CPU time (user + system) for each: on a shared machine the
// CPU time is the one to compare.
//
//	go run ./bench/scale -n 3000 -db /tmp/scale.duckdb -load-only
//	go run ./bench/site -n 3000 -db /tmp/scale.duckdb -dir /tmp/scale-site
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/site"
	"github.com/nianbao/nianbao/warehouse"
)

func main() {
	n := flag.Int("n", 1000, "synthetic agencies the database was loaded with (bench/scale -n)")
	path := flag.String("db", "scale.duckdb", "DuckDB file made by bench/scale")
	dir := flag.String("dir", "scale-site", "site directory (replaced)")
	share := flag.Int("night", 100, "revise one report in this many for the night")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *n, *path, *dir, *share); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, n int, path, dir string, share int) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, path, warehouse.Options{MemoryLimit: "2GB"})
	if err != nil {
		return err
	}
	defer db.Close()
	wall, cpu := time.Now(), cpuTime()
	if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
		return err
	}
	fmt.Fprintf(out, "check before the builds (not part of them): %s wall, %s CPU\n\n",
		time.Since(wall).Round(time.Millisecond), (cpuTime() - cpu).Round(time.Millisecond))
	fmt.Fprintf(out, "## site: N = %d agencies × %d years (%s)\n\n", n, synth.DefaultYears, path)
	fmt.Fprintf(out, "| build | pages | written | wall time | CPU time | site size | peak RSS | load average before → after |\n|---|---:|---:|---:|---:|---:|---:|---|\n")
	step := func(name string) error {
		load := loadAvg()
		wall, cpu := time.Now(), cpuTime()
		st, err := site.Build(ctx, db, dir, site.Options{})
		if err != nil {
			return err
		}
		took, used := time.Since(wall).Round(time.Millisecond), (cpuTime() - cpu).Round(time.Millisecond)
		fmt.Fprintf(out, "| %s | %d | %d | %s | %s | %.2f GB | %d MiB | %s → %s |\n", name, st.Pages, st.Written,
			took, used, float64(dirSize(dir))/1e9, peakRSS()>>20, load, loadAvg())
		return nil
	}
	if err := step("full"); err != nil {
		return err
	}
	if err := step("unchanged"); err != nil {
		return err
	}
	// The night: every share-th report gets a revised page.
	var loads []warehouse.Load
	i := 0
	for g := range synth.Reports(synth.Options{Agencies: n}) {
		i++
		if i%share != 0 {
			continue
		}
		rep := *g.Report
		rep.Cells = append(rep.Cells[:0:0], rep.Cells...)
		for j, c := range rep.Cells {
			if c.Table == "t3" && c.Row == "new" && c.Col == "natural" {
				v := "7777"
				rep.Cells[j].Value, rep.Cells[j].Raw = &v, v
			}
		}
		loads = append(loads, warehouse.Load{Report: &rep, PageSHA256: g.SHA256 + "-night", RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	if _, err := db.LoadReports(ctx, loads); err != nil {
		return err
	}
	if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
		return err
	}
	if err := step(fmt.Sprintf("night: %d reports revised, checks re-run", len(loads))); err != nil {
		return err
	}
	return nil
}

// peakRSS is the process's peak resident set size so far, in bytes (DuckDB's
// memory included: it runs in the process).
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}

// loadAvg is the 1-minute load average: the machine is shared, so the wall
// times need it beside them.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// dirSize is the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
