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
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *n, *path, *batch, *year); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, n int, path string, batch int, year string) error {
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if os.Getenv("ENUMX") != "" {
		for _, q := range []string{
			`create type table_code_t as enum (select distinct table_code from codebook order by 1)`,
			`create type row_code_t as enum (select distinct code from codebook where kind = 'row' order by 1)`,
			`create type col_code_t as enum (select distinct code from codebook where kind = 'col' order by 1)`,
			`alter table cells alter table_code type table_code_t`,
			`alter table cells alter row_code type row_code_t`,
			`alter table cells alter col_code type col_code_t`,
		} {
			if _, err := db.SQL.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
	}

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

	fmt.Fprintf(out, "| query | rows (all years) | time (all years) | rows (year %s) | time (year %s) |\n|---|---:|---:|---:|---:|\n", year, year)
	for _, q := range queries.All() {
		all, dAll, err := timeQuery(ctx, db, q, "")
		if err != nil {
			return err
		}
		one, dOne, err := timeQuery(ctx, db, q, year)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "| %s | %d | %s | %d | %s |\n", q.Name, all, dAll.Round(time.Millisecond), one, dOne.Round(time.Millisecond))
	}
	start := time.Now()
	res, err := db.Check(ctx, warehouse.CheckOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "| check (all rules, stored) | %d | %s | | |\n", len(res.Rows), time.Since(start).Round(time.Millisecond))
	for _, v := range []string{"latest_reports", "t3_wide", "check_failures", "report_revisions"} {
		start := time.Now()
		var c int64
		if err := db.SQL.QueryRowContext(ctx, "select count(*) from "+v).Scan(&c); err != nil {
			return fmt.Errorf("count %s: %w", v, err)
		}
		fmt.Fprintf(out, "| view %s | %d | %s | | |\n", v, c, time.Since(start).Round(time.Millisecond))
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

// timeQuery runs q through DB.Run with the year parameter when q has one.
func timeQuery(ctx context.Context, db *warehouse.DB, q queries.Query, year string) (int, time.Duration, error) {
	params := map[string]string{}
	if year != "" && q.Param("year") {
		params["year"] = year
	}
	start := time.Now()
	res, err := db.Run(ctx, q.Name, params)
	if err != nil {
		return 0, 0, err
	}
	return len(res.Rows), time.Since(start), nil
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
