// Package warehouse keeps nianbao's DuckDB file: portals, crawl runs, every
// fetched page, every extracted report version with its cells and sections,
// the agencies and codebook dimensions, check results, and the views
// researchers start from (latest_reports, t2_wide, t3_wide, t4_wide,
// check_failures, report_revisions). docs/schema.md documents each.
//
// [Open] migrates the file in place; loads are idempotent and versioned:
//
//	db, err := warehouse.Open(ctx, "data/nianbao.duckdb", warehouse.Options{})
//	if err != nil {
//		return err // errors.Is(err, warehouse.ErrLocked) while a crawl holds the file
//	}
//	defer db.Close()
//	ids, err := db.RecordPages(ctx, []warehouse.Page{{URL: u, Kind: "report", SHA256: sum, FetchedAt: now}})
//	...
//	st, err := db.LoadReports(ctx, []warehouse.Load{{PageID: ids[0], PageSHA256: sum,
//		Report: rep, ExtractorVersion: extract.Version}})
//	// Loading the same bytes again: st.Skipped == 1, nothing added.
//
// A DB is safe for concurrent use, but DuckDB lets only one process open a
// file for writing; open with [Options.ReadOnly] to only read.
package warehouse
