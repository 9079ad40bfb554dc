// Command scale loads N synthetic agencies × 10 years of reports (package
// internal/synth) into a fresh DuckDB file, loads them a second time to show
// nothing doubles, then times every canned query; bench/scale.sh wraps it
// with /usr/bin/time -v for peak memory.
//
//	go run ./bench/scale -n 1000 -db /tmp/scale.duckdb
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

func main() {
	n := flag.Int("n", 1000, "synthetic agencies (×10 years of reports)")
	path := flag.String("db", "scale.duckdb", "DuckDB file to create (replaced)")
	batch := flag.Int("batch", 10000, "reports per LoadReports call (one transaction each)")
	year := flag.String("year", "2021", "year parameter for the second timing of each query")
	loadOnly := flag.Bool("load-only", false, "load (twice) and stop: no queries")
	timeout := flag.Duration("timeout", 60*time.Second, "give up on a query after this long")
	memory := flag.String("memory-limit", "2GB", "DuckDB memory_limit (keeps the process under 4 GiB)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "Error:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), os.Stdout, config{*n, *path, *batch, *year, *loadOnly, *timeout, *memory}); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

type config struct {
	n           int
	path        string
	batch       int
	year        string
	loadOnly    bool
	timeout     time.Duration
	memoryLimit string
}

func run(ctx context.Context, out io.Writer, c config) error {
	n, path, batch, year := c.n, c.path, c.batch, c.year
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	db, err := warehouse.Open(ctx, path, warehouse.Options{MemoryLimit: c.memoryLimit})
	if err != nil {
		return err
	}
	defer db.Close()

	fmt.Fprintf(out, "## scale: N = %d agencies × %d years\n\n", n, synth.DefaultYears)
	first, err := load(ctx, db, n, batch)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "| step | reports | cells | wall time | cells/s (wall) | CPU time | cells per CPU-second |\n|---|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(out, "| generate (Go, not part of the load) | %d | %d | %s | | | |\n", first.reports, first.cells, first.gen.Round(time.Millisecond))
	fmt.Fprintf(out, "| load (LoadReports, Appender) | %d | %d | %s | %.0f | %s | %.0f |\n", first.stats.Reports, first.stats.Cells,
		first.load.Round(time.Millisecond), float64(first.stats.Cells)/first.load.Seconds(),
		first.loadCPU.Round(time.Millisecond), float64(first.stats.Cells)/first.loadCPU.Seconds())
	second, err := load(ctx, db, n, batch)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "| load again (idempotent) | %d added, %d skipped | %d added | %s | | | |\n",
		second.stats.Reports, second.stats.Skipped, second.stats.Cells, second.load.Round(time.Millisecond))
	var reports, cells int64
	db.SQL.QueryRowContext(ctx, `select (select count(*) from reports), (select count(*) from cells)`).Scan(&reports, &cells)
	if reports != int64(first.reports) || cells != int64(first.cells) {
		return fmt.Errorf("after loading twice: %d reports, %d cells; want %d, %d", reports, cells, first.reports, first.cells)
	}
	if _, err := db.SQL.ExecContext(ctx, "checkpoint"); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nrows after two loads: %d reports, %d cells; file %s: %.1f MiB\n\n", reports, cells, path, float64(fi.Size())/(1<<20))

	if c.loadOnly {
		return nil
	}
	fmt.Fprintf(out, "| query | all years | year %s |\n|---|---:|---:|\n", year)
	for _, q := range queries.All() {
		all, err := timeQuery(ctx, db, q, "", c.timeout)
		if err != nil {
			return err
		}
		one, err := timeQuery(ctx, db, q, year, c.timeout)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| %s | %s | %s |\n", q.Name, all, one)
	}
	// Each indicator file as a researcher runs it: one indicator (or one
	// family), one year, per report with peer ranks, per county, and its
	// outliers (year-over-year needs the year before too).
	fmt.Fprintf(out, "\n| indicator (year %s) | per report | by=region | outliers |\n|---|---:|---:|---:|\n", year)
	for _, ind := range queries.Indicators() {
		var cols []string
		for _, params := range []map[string]string{
			{"indicator": ind.Name, "year": year},
			{"indicator": ind.Name, "year": year, "by": "region"},
		} {
			d, err := timeRun(ctx, db, "indicators", params, c.timeout)
			if err != nil {
				return err
			}
			cols = append(cols, d)
		}
		d, err := timeRun(ctx, db, "outliers", map[string]string{"indicator": ind.Name, "year": year}, c.timeout)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| %s | %s | %s | %s |\n", ind.Name, cols[0], cols[1], d)
	}
	checkCtx, cancel := context.WithTimeout(ctx, 5*c.timeout)
	start := time.Now()
	res, err := db.Check(checkCtx, warehouse.CheckOptions{})
	cancel()
	switch {
	case err != nil && checkCtx.Err() != nil:
		fmt.Fprintf(out, "| check (all rules, stored) | timeout > %s | |\n", 5*c.timeout)
	case err != nil:
		return err
	default:
		fmt.Fprintf(out, "| check (all rules, stored) | %d rows, %s | |\n", len(res.Rows), time.Since(start).Round(time.Millisecond))
	}
	for _, v := range []string{"latest_reports", "t3_wide", "check_failures", "report_revisions"} {
		start := time.Now()
		var count int64
		if err := db.SQL.QueryRowContext(ctx, "select count(*) from "+v).Scan(&count); err != nil {
			return fmt.Errorf("count %s: %w", v, err)
		}
		fmt.Fprintf(out, "| select count(*) from %s | %d rows, %s | |\n", v, count, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

type loadResult struct {
	reports, cells int
	gen, load      time.Duration
	loadCPU        time.Duration // process CPU time (all threads) while loading
	stats          warehouse.LoadStats
}

// load generates the reports batch by batch and loads each batch, timing
// generation and loading separately.
func load(ctx context.Context, db *warehouse.DB, n, batch int) (loadResult, error) {
	var r loadResult
	var loads []warehouse.Load
	flush := func() error {
		start, cpu := time.Now(), cpuTime()
		st, err := db.LoadReports(ctx, loads)
		if err != nil {
			return err
		}
		r.load += time.Since(start)
		r.loadCPU += cpuTime() - cpu
		r.stats.Reports += st.Reports
		r.stats.Cells += st.Cells
		r.stats.Skipped += st.Skipped
		loads = loads[:0]
		return nil
	}
	start := time.Now()
	for g := range synth.Reports(synth.Options{Agencies: n}) {
		r.reports++
		r.cells += len(g.Report.Cells)
		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
		if len(loads) == batch {
			r.gen += time.Since(start)
			if err := flush(); err != nil {
				return r, err
			}
			start = time.Now()
		}
	}
	r.gen += time.Since(start)
	if len(loads) > 0 {
		if err := flush(); err != nil {
			return r, err
		}
	}
	return r, nil
}

// timeQuery runs q through DB.Run, with the year parameter when q has one,
// and describes the outcome: "rows, time" or a timeout.
func timeQuery(ctx context.Context, db *warehouse.DB, q queries.Query, year string, timeout time.Duration) (string, error) {
	params := map[string]string{}
	if year != "" && q.Param("year") {
		params["year"] = year
	}
	return timeRun(ctx, db, q.Name, params, timeout)
}

// timeRun runs the canned query name with params and describes the
// outcome: "rows, time" or a timeout.
func timeRun(ctx context.Context, db *warehouse.DB, name string, params map[string]string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	res, err := db.Run(ctx, name, params)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Sprintf("timeout > %s", timeout), nil
		}
		return "", err
	}
	return fmt.Sprintf("%d rows, %s", len(res.Rows), time.Since(start).Round(time.Millisecond)), nil
}

// cpuTime is the process's user and system CPU time: on a shared machine it
// shows what the load costs when wall time is inflated by other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
