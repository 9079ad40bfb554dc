package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/hostid"
	"github.com/nianbao/nianbao/warehouse"
)

func newStatusCmd(e *env) *cobra.Command {
	var out formatFlags
	cmd := &cobra.Command{
		Use:   "status [--config FILE] [--format table|csv|json|md]",
		Short: "Show the database, the last runs and each portal's state",
		Long: `Show what the database holds (report versions, latest reports, agencies, cells, reports
the last check flagged), reports by what they were read from (html, pdf, docx, …) and the
attachments that could not be read with why, the last crawl, extract, import and schedule runs, the pages whose
extraction or load failed (with their errors; the next extractor version retries them), then each
configured portal's state: ok, blocked (a WAF challenge), moved, unreachable or
robots-disallowed, with the time of its last new report and when a run next asks it;
then every host the crawler knows, with its state, since when, and its next try.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), e, out)
		},
	}
	out.add(cmd)
	return cmd
}

func runStatus(ctx context.Context, e *env, out formatFlags) error {
	cfg, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// Counts read metadata or the derived tables: instant at national scale.
	held, err := db.Query(ctx, `select
		(select count(*) from reports) as report_versions,
		(select count(*) from report_facts where is_latest) as latest_reports,
		(select count(*) from agencies) as agencies,
		(select count(*) from cells) as cells,
		(select count(distinct report_id) from check_failures where severity = 'error') as flagged_reports,
		(select max(checked_at) from check_results) as last_check`)
	if err != nil {
		return err
	}
	var size any
	if fi, err := os.Stat(cfg.Database); err == nil {
		size = fmt.Sprintf("%.1f", float64(fi.Size())/(1<<20))
	}
	// The last check's new flags, against the check before it.
	changes, err := db.Run(ctx, "flag_changes", nil)
	if err != nil {
		return err
	}
	newFlags := 0
	var lastRun, prevRun any
	for _, r := range changes.Rows {
		lastRun, prevRun = r[2], r[1]
		if r[0] == "new" {
			newFlags++
		}
	}
	if err := out.validate(); err != nil {
		return err
	}
	sec := &sections{out: &out, w: e.stdout}
	if err := sec.write("database", &warehouse.Result{
		Columns: append([]string{"database", "size_mib"}, append(held.Columns, "new_flags")...),
		Types:   append([]string{"VARCHAR", "DECIMAL"}, append(held.Types, "BIGINT")...),
		Rows:    [][]any{append(append([]any{cfg.Database, size}, held.Rows[0]...), newFlags)},
	}); err != nil {
		return err
	}
	if out.format == "table" || out.format == "md" {
		switch {
		case lastRun != nil && prevRun != nil:
			fmt.Fprintf(e.stdout, "\n%d new flags tonight (check run %v against run %v; nianbao report flag_changes)\n", newFlags, lastRun, prevRun)
		case lastRun != nil:
			fmt.Fprintf(e.stdout, "\n%d new flags tonight (check run %v, the first)\n", newFlags, lastRun)
		default:
			fmt.Fprintf(e.stdout, "\n%d new flags tonight\n", newFlags)
		}
	}
	// What reports were read from (html, pdf, docx …; migration 013), and
	// the attachments that could not be read, with why.
	kinds, err := db.Query(ctx, `select coalesce(source_kind, 'unrecorded') as source_kind, count(*) as report_versions,
		count(*) filter (where exists (select 1 from cells as c where c.report_id = r.id)) as with_cells
		from reports as r group by all order by report_versions desc, source_kind`)
	if err != nil {
		return err
	}
	if err := sec.write("source", kinds); err != nil {
		return err
	}
	unread, err := db.Query(ctx, `select r.source, r.source_kind, json_extract_string(w.w, '$.code') as code,
		json_extract_string(w.w, '$.message') as why
		from reports as r, unnest(json_extract(r.warnings, '$[*]')) as w(w)
		where json_extract_string(w.w, '$.code') in ('`+extract.WarnNeedsConverter+`', '`+extract.WarnUnreadable+`', '`+extract.WarnTablesAreImages+`')
		order by r.id desc limit 20`)
	if err != nil {
		return err
	}
	if len(unread.Rows) > 0 {
		if err := sec.write("unread_attachment", unread); err != nil {
			return err
		}
	}
	runs, err := db.Query(ctx, `select id, kind as run_kind, started_at, finished_at, status, pages_fetched, reports_added, errors, note
		from crawl_runs order by id desc limit 10`)
	if err != nil {
		return err
	}
	if err := sec.write("run", runs); err != nil {
		return err
	}
	// Pages kept with the error that stopped their extraction or load; the
	// next extractor version (or extract --all) tries them again.
	failed, err := db.Query(ctx, `select id as page_id, url, extract_version, extract_error
		from pages where extract_error is not null order by id desc limit 20`)
	if err != nil {
		return err
	}
	if len(failed.Rows) > 0 {
		e.stdout.Write([]byte("\n"))
		if err := out.write(e.stdout, failed.Columns, failed.Rows); err != nil {
			return err
		}
	}
	hosts, err := crawler.LoadHostStates(cfg.Archive)
	if err != nil {
		return err
	}
	byHost := map[string]crawler.HostState{}
	for _, h := range hosts {
		byHost[h.Host] = h
	}
	last, err := db.Query(ctx, `select portal, max(extracted_at), count(distinct agency || '/' || year)
		from reports where portal is not null group by portal`)
	if err != nil {
		return err
	}
	lastBy := map[string][]any{}
	for _, r := range last.Rows {
		if s, ok := r[0].(string); ok {
			lastBy[s] = r
		}
	}
	var rows [][]any
	for _, p := range cfg.Portals {
		state, detail, next := stateNeverCrawled, "", nextRun
		for _, s := range p.StartURLs {
			if h, ok := byHost[hostid.OfURL(s)]; ok {
				state, detail, next = h.State, h.Detail, nextTry(h)
				if h.State != crawler.StateOK {
					break
				}
			}
		}
		var lastNew, reports any
		if r, ok := lastBy[p.Name]; ok {
			lastNew, reports = r[1], r[2]
		}
		rows = append(rows, []any{p.Name, state, detail, lastNew, reports, next})
	}
	if len(rows) > 0 {
		if err := sec.write("portal", &warehouse.Result{Columns: []string{"portal", "state", "detail", "last_new_report", "reports", "next_try"}, Rows: rows}); err != nil {
			return err
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	var hostRows [][]any
	for _, h := range hosts {
		var since any
		if !h.Since.IsZero() {
			since = h.Since.UTC().Format(time.RFC3339)
		}
		hostRows = append(hostRows, []any{h.Host, h.State, since, nextTry(h), h.Detail})
	}
	return sec.write("host", &warehouse.Result{Columns: []string{"host", "state", "since", "next_try", "detail"}, Rows: hostRows})
}

// stateNeverCrawled is status's word for a portal none of whose hosts the
// crawler has asked yet.
const stateNeverCrawled = "never crawled"
