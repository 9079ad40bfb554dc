package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

type importOptions struct {
	agency, region string
	published      string
	year           int
	files          []string
}

func newImportCmd(e *env) *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import [--db FILE] [--agency A] [--year Y] [--region CODE] FILE...",
		Short: "Load saved pages (HTML or text) without crawling",
		Long: `Load report pages saved by hand (HTML or plain text) into the database, as if crawled:
each file is copied into the archive under its sha256, recorded as a page, extracted
and loaded, all in one batch. --agency and --year override what the extractor read
(for pages that do not name themselves) and --published the publication date: they are
kept as corrections of these pages (see nianbao correct), so importing a loaded page again
with --agency fixes it, and re-extraction keeps them. --region sets the GB/T 2260 region (a code
or a name: 350128, 平潭县); without it, the region is read from the agency's name.
Importing the same bytes twice adds nothing.`,
		Example: `  nianbao import --region 410711 --published 2022-01-20 saved/muye-2021.txt
  nianbao import --agency 平潭综合实验区管委会 --year 2020 --region 350128 pingtan-2020.html`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("nianbao import FILE...", "import needs at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			return runImport(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringVar(&opts.agency, "agency", "", "agency `NAME` for every file")
	cmd.Flags().IntVar(&opts.year, "year", 0, "statistical `YEAR` for every file")
	cmd.Flags().StringVar(&opts.published, "published", "", "publication `DATE` (YYYY-MM-DD) for every file: when the page was published, for the deadline check")
	cmd.Flags().StringVar(&opts.region, "region", "", "GB/T 2260 region `CODE` or name for every file (default: from the agency's name)")
	return cmd
}

var sixDigits = regexp.MustCompile(`^\d{6}$`)

func runImport(ctx context.Context, e *env, opts importOptions) error {
	region, err := regionCode(opts.region)
	if err != nil {
		return err
	}
	if opts.published != "" {
		if _, err := time.Parse(time.DateOnly, opts.published); err != nil {
			return usagef("--published 2022-01-20", "--published %q: want a date YYYY-MM-DD", opts.published)
		}
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	if err := checkWritable(cfg); err != nil {
		return err
	}
	// reports.source and pages.url hold the absolute path: a relative one
	// means nothing once the working directory changes.
	for i, f := range opts.files {
		if abs, err := filepath.Abs(f); err == nil {
			opts.files[i] = abs
		}
	}
	arch, err := archive.Open(cfg.Archive, archive.Options{})
	if err != nil {
		return err
	}
	db, err := e.openDB(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	runID, err := db.BeginRun(ctx, warehouse.RunKindImport, nil)
	if err != nil {
		return err
	}
	// Files are read, extracted and loaded a batch at a time, each batch
	// committed: Ctrl-C (or SIGTERM) finishes the batch in flight, keeps
	// every batch done, and records the run as interrupted.
	local := context.WithoutCancel(ctx)
	prog := newCounter(e.stderr, e.logger(cfg), "import", "files", len(opts.files))
	var tot importTotals
	done := 0
	for done < len(opts.files) && ctx.Err() == nil {
		batch := opts.files[done:min(done+importBatch, len(opts.files))]
		n, err := importBatchOf(ctx, local, e, db, arch, runID, region, opts, batch, &tot)
		done += n
		prog.set(done)
		if err != nil {
			prog.end()
			db.FinishRun(local, runID, warehouse.RunFailed, tot.stats(done, err.Error()))
			return err
		}
	}
	prog.end()
	if ctx.Err() != nil {
		note := fmt.Sprintf("interrupted after %d of %d files; run the same import again to add the rest", done, len(opts.files))
		if err := db.FinishRun(local, runID, warehouse.RunInterrupted, tot.stats(done, note)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "import interrupted: %d of %d files done and kept: %d reports added (%d cells), %d already loaded, %d failed to extract or load\n",
			done, len(opts.files), tot.reports, tot.cells, tot.skipped, tot.failed)
		return fmt.Errorf("import %s: %w (%s)", cfg.Database, ctx.Err(), note)
	}
	if err := db.FinishRun(local, runID, warehouse.RunOK, tot.stats(done, "")); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported %d files: %d reports added (%d cells), %d already loaded, %d not reports, %d failed to extract or load, %d without agency, %d without year\n",
		done, tot.reports, tot.cells, tot.skipped, tot.notReports, tot.failed, tot.noAgency, tot.noYear)
	return nil
}

// importBatch is how many files one import transaction takes.
const importBatch = 100

type importTotals struct{ reports, cells, skipped, failed, notReports, noAgency, noYear int }

func (t importTotals) stats(files int, note string) warehouse.RunStats {
	return warehouse.RunStats{PagesFetched: files, ReportsAdded: t.reports, Errors: t.failed, Note: note}
}

// importBatchOf reads, archives and extracts files until ctx ends, then
// records and loads those it read with local (a batch in flight is
// finished). It returns how many files it took. A file that cannot be
// read or extracted is kept as a page with its error; the others load.
func importBatchOf(ctx, local context.Context, e *env, db *warehouse.DB, arch *archive.Archive, runID int64, region string,
	opts importOptions, files []string, tot *importTotals) (int, error) {
	type item struct {
		page       warehouse.Page
		rep        *extract.Report
		extractErr string
		notReport  bool
	}
	var items []item
	now := time.Now()
	for _, path := range files {
		if ctx.Err() != nil {
			break
		}
		body, err := os.ReadFile(path)
		if err != nil {
			err = fmt.Errorf("read %s: %w", path, err)
			fmt.Fprintf(e.stderr, "warning: %v (recorded as a page with its error)\n", err)
			items = append(items, item{
				page:       warehouse.Page{URL: path, Kind: crawler.KindReport, FetchedAt: now, Error: err.Error()},
				extractErr: err.Error(),
			})
			continue
		}
		ct := contentTypeForFile(path)
		ref, err := arch.Put(archive.Entry{Name: path, ContentType: ct, Body: body, At: now})
		if err != nil {
			return len(items), err
		}
		// What is extracted is what the archive gives back, as on every
		// later extract.
		obj, err := arch.Read(ref)
		if err != nil {
			return len(items), err
		}
		stored, sum, body := ref.Path, obj.SHA256, obj.Body
		rep, err := parsePage(extract.Input{Source: path, Body: body, ContentType: ct})
		if err != nil {
			// Kept as a page with its error (or its reason), never dropped.
			if isNotAReport(err) {
				fmt.Fprintf(e.stderr, "warning: %v (kept as a page, not a report)\n", err)
			} else {
				fmt.Fprintf(e.stderr, "warning: %v (recorded as a page with its extraction error)\n", err)
			}
			items = append(items, item{
				page:       warehouse.Page{URL: path, Kind: crawler.KindReport, FetchedAt: now, ContentType: ct, SHA256: sum, Size: int64(len(body)), ArchivePath: stored},
				extractErr: err.Error(),
				notReport:  isNotAReport(err),
			})
			continue
		}
		items = append(items, item{
			page: warehouse.Page{URL: path, Kind: crawler.KindReport, FetchedAt: now, ContentType: ct, SHA256: sum, Size: int64(len(body)), Title: rep.Title, ArchivePath: stored},
			rep:  rep,
		})
	}
	if len(items) == 0 {
		return 0, nil
	}
	pages := make([]warehouse.Page, len(items))
	for i := range items {
		items[i].page.RunID = runID
		pages[i] = items[i].page
	}
	ids, err := db.RecordPages(local, pages)
	if err != nil {
		return 0, err
	}
	// --agency, --year and --published are corrections of these pages:
	// kept, so a re-extraction keeps them, and applied to what is already
	// loaded of them (importing again with --agency fixes a report).
	if cs := overrides(opts.agency, opts.year, "", opts.published, "", warehouse.OriginImport); len(cs) > 0 {
		var all []warehouse.Correction
		for _, it := range items {
			if it.rep == nil {
				continue
			}
			for _, c := range cs {
				c.PageSHA256, c.URL = it.page.SHA256, it.page.URL
				all = append(all, c)
			}
		}
		if _, err := db.Correct(local, all); err != nil {
			return len(items), err
		}
	}
	var loads []warehouse.Load
	for i, it := range items {
		if it.rep == nil {
			if it.notReport {
				tot.notReports++
			} else {
				tot.failed++
			}
			if err := db.SetExtractError(local, ids[i], it.extractErr); err != nil {
				return len(items), err
			}
			continue
		}
		loads = append(loads, warehouse.Load{PageID: ids[i], Report: it.rep, PageSHA256: it.page.SHA256, RegionCode: region, ExtractorVersion: extract.Version})
	}
	st, failures, err := db.LoadEach(local, loads)
	if err != nil {
		return 0, err
	}
	for _, f := range failures {
		tot.failed++
		fmt.Fprintf(e.stderr, "warning: %v (recorded as a page with its error)\n", f)
	}
	tot.reports += st.Reports
	tot.cells += st.Cells
	tot.skipped += st.Skipped
	// A report without agency or year is loaded but falls out of every
	// comparison: say so, per file, and count them.
	missing, err := db.Unidentified(local, st.ReportIDs)
	if err != nil {
		return len(items), err
	}
	for _, u := range missing {
		var what []string
		if u.NoAgency {
			tot.noAgency++
			what = append(what, "no agency")
		}
		if u.NoYear {
			tot.noYear++
			what = append(what, "no year")
		}
		fmt.Fprintf(e.stderr, "warning: %s: %s found; it is left out of comparisons\n", u.Source, strings.Join(what, " and "))
	}
	return len(items), nil
}
