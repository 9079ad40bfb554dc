package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// crawlSummary is what one crawl added.
type crawlSummary struct {
	RunID   int64
	Pages   int
	Reports int // report pages fetched
	Errors  int
	Hosts   []crawler.HostState
	// Faulted and Skipped are the hosts that failed in this run and those
	// not asked because they were backing off: the run is partial.
	Faulted, Skipped []crawler.HostState
	Resumed          bool
	// Recorded counts pages of earlier crawls recorded from the archive
	// because the database had none (it was lost or replaced).
	Recorded int
}

// crawlerPortals maps config portals onto the crawler's options.
func crawlerPortals(ps []config.Portal) ([]crawler.Portal, error) {
	out := make([]crawler.Portal, 0, len(ps))
	for _, p := range ps {
		cp := crawler.Portal{
			Name:                p.Name,
			RegionCode:          p.RegionCode,
			Family:              p.Family,
			StartURLs:           p.StartURLs,
			AllowedDomains:      p.AllowedDomains,
			MaxPages:            p.MaxPages,
			DepartmentCatalogue: p.DepartmentCatalogue,
			IgnoreRobots:        p.IgnoreRobots,
			UserAgent:           p.UserAgent,
			AllowPrivateNetwork: p.AllowPrivateNetwork,
		}
		if p.ReportTitle != "" {
			re, err := regexp.Compile(p.ReportTitle)
			if err != nil {
				return nil, fmt.Errorf("portal %s: report_title: %w", p.Name, err)
			}
			cp.ReportTitle = re
		}
		out = append(out, cp)
	}
	return out, nil
}

// crawlerOptions maps the config onto the crawler. The config's values are
// already defaulted, so a 0 there means "off", which the crawler spells -1.
func crawlerOptions(cfg *config.Config, log *slog.Logger, progress func(crawler.Event)) crawler.Options {
	off := func(v int64) int64 {
		if v == 0 {
			return -1
		}
		return v
	}
	return crawler.Options{
		ArchiveDir:    cfg.Archive, // archive.Open makes it absolute: stored refs work from any directory
		UserAgent:     cfg.Crawl.UserAgent,
		Delay:         time.Duration(off(int64(cfg.Crawl.Delay.Duration))),
		Jitter:        time.Duration(off(int64(cfg.Crawl.Jitter.Duration))),
		Timeout:       cfg.Crawl.Timeout.Duration,
		MaxBodySize:   cfg.Crawl.MaxBodySize,
		ParallelHosts: cfg.Crawl.ParallelHosts,
		DailyBudget:   cfg.Crawl.DailyBudget,
		Retries:       int(off(int64(cfg.Crawl.Retries))),
		Logger:        log,
		Progress:      progress,
	}
}

// crawl fetches the portals with the database closed (it is only opened to
// write the pages once the network work is done), then records every page
// in one transaction and acknowledges the crawler's journal.
func crawl(ctx context.Context, cfg *config.Config, portals []config.Portal, opts crawler.Options) (*crawlSummary, error) {
	cps, err := crawlerPortals(portals)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(portals))
	for i, p := range portals {
		names[i] = p.Name
	}
	// The run row is written before the crawl so it carries the real start
	// time; the database is closed while the crawler waits on the network.
	var runID int64
	var noPages bool // a new or lost database: see below
	err = withDB(ctx, cfg.Database, opts.Logger, func(db *warehouse.DB) error {
		if err := db.SQL.QueryRowContext(ctx, `select count(*) = 0 from pages`).Scan(&noPages); err != nil {
			return err
		}
		if err := db.UpsertPortals(ctx, warehousePortals(portals)); err != nil {
			return err
		}
		runID, err = db.BeginRun(ctx, warehouse.RunKindCrawl, names)
		return err
	})
	if err != nil {
		return nil, err
	}
	started := time.Now()
	res, crawlErr := crawler.Run(ctx, opts, cps)
	if res == nil {
		if crawlErr == nil {
			crawlErr = fmt.Errorf("crawl returned no result")
		}
		withDB(context.WithoutCancel(ctx), cfg.Database, opts.Logger, func(db *warehouse.DB) error {
			return db.FinishRun(context.WithoutCancel(ctx), runID, warehouse.RunFailed, warehouse.RunStats{Note: crawlErr.Error()})
		})
		return nil, crawlErr
	}
	// Recording is local and quick: finish it even after Ctrl-C, so that
	// nothing fetched is lost.
	ctx = context.WithoutCancel(ctx)
	db, err := warehouse.Open(ctx, cfg.Database, warehouse.Options{Log: opts.Logger, LockWait: lockWait})
	if err != nil {
		return nil, fmt.Errorf("record crawl (pages stay in %s and are recorded next run): %w", cfg.Archive, err)
	}
	defer db.Close()
	pages := make([]warehouse.Page, 0, len(res.Pages))
	sum := &crawlSummary{RunID: runID, Hosts: res.Hosts, Faulted: res.Faulted, Skipped: res.Skipped, Resumed: res.Resumed}
	for _, p := range res.Pages {
		pages = append(pages, warehousePage(runID, p))
		sum.Pages++
		if p.Kind == crawler.KindReport {
			sum.Reports++
		}
		if p.Error != "" {
			sum.Errors++
		}
	}
	if _, err := db.RecordPages(ctx, pages); err != nil {
		db.FinishRun(ctx, runID, warehouse.RunFailed, warehouse.RunStats{Errors: sum.Errors, Note: err.Error()})
		return nil, err
	}
	// A database without pages over an archive that journaled more than
	// this run returned was lost or replaced: the crawler will not fetch
	// again what it archived, so the earlier pages are recorded now.
	if noPages {
		journal, err := crawler.Journal(cfg.Archive)
		if err == nil && len(journal) > len(res.Pages) {
			sum.Recorded, err = recordJournal(ctx, db, journal)
		}
		if err != nil {
			opts.Logger.Warn("could not record the earlier crawls of the archive", "archive", cfg.Archive, "err", err,
				"retry", "nianbao extract --from-archive")
		} else if sum.Recorded > 0 {
			opts.Logger.Info("database had no pages: recorded the earlier crawls of the archive", "archive", cfg.Archive, "pages", sum.Recorded)
		}
	}
	status, note := sum.status(), fmt.Sprintf("%d pages in %s", sum.Pages, time.Since(started).Round(time.Millisecond))
	if h := sum.hostsNote(); h != "" {
		note += "; " + h
	}
	if crawlErr != nil {
		status, note = warehouse.RunInterrupted, crawlErr.Error()
	}
	if err := db.FinishRun(ctx, runID, status, warehouse.RunStats{PagesFetched: sum.Pages, Errors: sum.Errors, Note: note}); err != nil {
		return nil, err
	}
	if err := crawler.Ack(cfg.Archive, res.RunID); err != nil {
		return nil, err
	}
	return sum, crawlErr
}

// status is the run status a finished crawl records: partial when hosts
// failed or were skipped.
func (s *crawlSummary) status() string {
	if len(s.Faulted)+len(s.Skipped) > 0 {
		return warehouse.RunPartial
	}
	return warehouse.RunOK
}

// hostsNote names the hosts that failed or were skipped, with their next try.
func (s *crawlSummary) hostsNote() string {
	var parts []string
	for _, h := range s.Faulted {
		parts = append(parts, fmt.Sprintf("%s failed: %s (%s), next try %s", h.Host, h.State, h.Detail, nextTry(h)))
	}
	for _, h := range s.Skipped {
		parts = append(parts, fmt.Sprintf("%s skipped: %s since %s, next try %s", h.Host, h.State, h.Since.UTC().Format(time.RFC3339), nextTry(h)))
	}
	return strings.Join(parts, "; ")
}

// nextTry says when a run next asks a host: a time, or nextRun.
func nextTry(h crawler.HostState) string {
	if h.State == crawler.StateOK || !h.RetryAfter.After(time.Now()) {
		return nextRun
	}
	return h.RetryAfter.UTC().Format(time.RFC3339)
}

// nextRun is the next try of a host that is not backing off.
const nextRun = "next run"

// recordJournal records pages of the archive's journals ([crawler.Journal])
// in one run of kind "archive", and says how many the database did not
// have (RecordPages keeps a page it already holds).
func recordJournal(ctx context.Context, db *warehouse.DB, pages []crawler.Page) (int, error) {
	var before int
	if err := db.SQL.QueryRowContext(ctx, `select count(*) from pages`).Scan(&before); err != nil {
		return 0, fmt.Errorf("count pages of %s: %w", db.Path, err)
	}
	runID, err := db.BeginRun(ctx, warehouse.RunKindArchive, nil)
	if err != nil {
		return 0, err
	}
	rows := make([]warehouse.Page, len(pages))
	for i, p := range pages {
		rows[i] = warehousePage(runID, p)
	}
	if _, err := db.RecordPages(ctx, rows); err != nil {
		db.FinishRun(ctx, runID, warehouse.RunFailed, warehouse.RunStats{Note: err.Error()})
		return 0, fmt.Errorf("record the archive's pages: %w", err)
	}
	var after int
	if err := db.SQL.QueryRowContext(ctx, `select count(*) from pages`).Scan(&after); err != nil {
		return 0, fmt.Errorf("count pages of %s: %w", db.Path, err)
	}
	note := fmt.Sprintf("%d pages recorded from the archive's journals (%d journaled)", after-before, len(pages))
	if err := db.FinishRun(ctx, runID, warehouse.RunOK, warehouse.RunStats{PagesFetched: after - before, Note: note}); err != nil {
		return 0, err
	}
	return after - before, nil
}

// lockWait bounds how long crawl and the nightly pipeline wait for a
// reader (nianbao sql, a DuckDB or Python session) to let go of the
// database before they give up: a query at cron time delays the night
// instead of failing it. Readers polled every 250 ms (warehouse.Open).
var lockWait = 30 * time.Minute

// withDB opens the database for the duration of fn only.
func withDB(ctx context.Context, path string, log *slog.Logger, fn func(*warehouse.DB) error) error {
	db, err := warehouse.Open(ctx, path, warehouse.Options{Log: log, LockWait: lockWait})
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

func warehousePortals(ps []config.Portal) []warehouse.Portal {
	out := make([]warehouse.Portal, len(ps))
	for i, p := range ps {
		out[i] = warehouse.Portal{Name: p.Name, RegionCode: p.RegionCode, Family: p.Family, StartURLs: p.StartURLs, AllowedDomains: p.AllowedDomains}
	}
	return out
}

func warehousePage(runID int64, p crawler.Page) warehouse.Page {
	return warehouse.Page{
		RunID: runID, Portal: p.Portal, URL: p.URL, FinalURL: p.FinalURL, ParentURL: p.ParentURL, Kind: p.Kind,
		FetchedAt: p.FetchedAt, Status: p.Status, ContentType: p.ContentType, Charset: p.Charset, SHA256: p.SHA256,
		Size: p.Size, Title: p.Title, ArchivePath: p.ArchivePath, WARCRecordID: p.WARCRecordID, WARCOffset: p.WARCOffset,
		ETag: p.ETag, LastModified: p.LastModified, Error: p.Error,
		NotModified: p.NotModified, ReportKey: p.ReportKey, DuplicateOf: p.DuplicateOf,
	}
}

// extractSummary is what one extraction pass loaded.
type extractSummary struct {
	Pages, Reports, Cells, Skipped, Failed int
	// NotReports counts pages that are no report at all (not_a_report):
	// kept with that reason, neither reports nor failures.
	NotReports int
	// FromAttachments counts the reports made whose cells an attachment
	// of their page supplied (extract.Join).
	FromAttachments int
	Interrupted     bool // ctx ended: the pages left wait for the next extract
}

// extractPending extracts every report page that has no report for this
// extractor version and its current attachments (all: every report page)
// from the archive alone, each joined with the attachments it links into
// one report, and loads the results in batches. A page that fails to be read, extracted or
// loaded keeps its error and the others go on.
//
// Ctrl-C stops reading pages and finishes the batch in flight: what was
// extracted is kept and the summary says Interrupted. Progress goes to w
// (a redrawn line on a terminal; log lines otherwise; nil: log only).
func extractPending(ctx context.Context, db *warehouse.DB, cfg *config.Config, all bool, log *slog.Logger, w io.Writer) (*extractSummary, error) {
	pending, err := db.PagesToExtract(ctx, all, extract.Version)
	if err != nil {
		return nil, err
	}
	regions := map[string]string{}
	for _, p := range cfg.Portals {
		regions[p.Name] = p.RegionCode
	}
	arch, err := archive.Open(cfg.Archive, archive.Options{})
	if err != nil {
		return nil, err
	}
	sum := &extractSummary{Pages: len(pending)}
	var loads []warehouse.Load
	if w == nil {
		w = io.Discard
	}
	prog := newCounter(w, log, "extract", "pages", len(pending))
	defer prog.end()
	local := context.WithoutCancel(ctx)
	// Each batch is one transaction; batches bound memory when --all
	// re-extracts a national archive.
	flush := func() error {
		st, failures, err := db.LoadEach(local, loads)
		if err != nil {
			return err
		}
		for _, f := range failures {
			log.Warn("load page", "url", loads[f.Index].Report.Source, "err", f.Err)
		}
		sum.Reports += st.Reports
		sum.Cells += st.Cells
		sum.Skipped += st.Skipped
		sum.Failed += len(failures)
		loads = loads[:0]
		return nil
	}
	for i, p := range pending {
		prog.set(i)
		if ctx.Err() != nil {
			sum.Interrupted = true
			break
		}
		obj, err := arch.Read(archive.Ref{Path: p.ArchivePath, Offset: p.WARCOffset, RecordID: p.WARCRecordID})
		if err != nil {
			sum.Failed++
			log.Warn("read archived page", "url", p.URL, "archive", p.ArchivePath, "err", err)
			if err := db.SetPageFailure(ctx, p.PageID, extract.Version, p.AttachmentSet, fmt.Sprintf("read archive: %v", err)); err != nil {
				return nil, err
			}
			continue
		}
		// The page's attachments, read through the same door, make one
		// report with it (extract.Join).
		var atts []*extract.Report
		for _, a := range p.Attachments {
			if a.Error != "" {
				atts = append(atts, parseAttachment(extract.Input{Source: a.URL}, notFetched(a.Error)))
				continue
			}
			att, err := arch.Read(archive.Ref{Path: a.ArchivePath, Offset: a.WARCOffset, RecordID: a.WARCRecordID})
			if err != nil {
				log.Warn("read archived attachment", "url", a.URL, "page", p.URL, "archive", a.ArchivePath, "err", err)
				atts = append(atts, parseAttachment(extract.Input{Source: a.URL}, fmt.Errorf("read archive: %w", err)))
				continue
			}
			atts = append(atts, parseAttachment(extract.Input{Source: a.URL, Body: att.Body, ContentType: contentType(att, a)}, nil))
		}
		rep, err := parsePage(extract.Input{Source: p.URL, Body: obj.Body, ContentType: contentType(obj, p), ListTitle: p.Title, Portal: p.Portal}, atts...)
		if err != nil {
			if isNotAReport(err) {
				sum.NotReports++
				log.Info("not a report: kept as a page", "url", p.URL, "why", err)
			} else {
				sum.Failed++
				log.Warn("extract page", "url", p.URL, "err", err)
			}
			if err := db.SetPageFailure(ctx, p.PageID, extract.Version, p.AttachmentSet, err.Error()); err != nil {
				return nil, err
			}
			continue
		}
		if rep.SHA256 != "" && len(atts) > 0 {
			sum.FromAttachments++
		}
		loads = append(loads, warehouse.Load{PageID: p.PageID, Report: rep, PageSHA256: p.SHA256, AttachmentSet: p.AttachmentSet,
			RegionCode: regions[p.Portal], Portal: p.Portal, ExtractorVersion: extract.Version})
		if len(loads) == extractBatch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return sum, nil
}

// notFetched is why the crawler has no bytes of an attachment, as its
// report warning says it: "not fetched: …".
func notFetched(fetchErr string) error {
	if strings.HasPrefix(fetchErr, "not fetched") {
		return errors.New(fetchErr)
	}
	return fmt.Errorf("not fetched: %s", fetchErr)
}

// contentType is an archived object's Content-Type, or the one recorded
// with its page.
func contentType(obj *archive.Object, p warehouse.PendingPage) string {
	if obj.ContentType != "" {
		return obj.ContentType
	}
	return p.ContentType
}

// extractBatch is how many reports one load transaction takes.
const extractBatch = 2000

// archiveReader reads a page's bytes through the archive at dir, as
// site.Options.ReadArchived wants them (Content-Encoding undone).
func archiveReader(dir string) func(path string, offset int64) ([]byte, string, error) {
	return func(path string, offset int64) ([]byte, string, error) {
		a, err := archive.Open(dir, archive.Options{})
		if err != nil {
			return nil, "", err
		}
		obj, err := a.Read(archive.Ref{Path: path, Offset: offset})
		if err != nil {
			return nil, "", err
		}
		return obj.Body, obj.ContentType, nil
	}
}
