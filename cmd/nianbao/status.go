package main

import (
	"context"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/crawler"
)

func newStatusCmd(e *env) *cobra.Command {
	var out formatFlags
	cmd := &cobra.Command{
		Use:   "status [--config FILE] [--format table|csv|json|md]",
		Short: "Show the last runs and each portal's state",
		Long: `Show the last crawl, extract, import and schedule runs, then each configured portal's
state: ok, blocked (a WAF challenge), moved, unreachable or robots-disallowed, with the
time of its last new report.`,
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
	runs, err := db.Query(ctx, `select id, kind, started_at, finished_at, status, pages_fetched, reports_added, errors, note
		from crawl_runs order by id desc limit 10`)
	if err != nil {
		return err
	}
	if err := out.write(e.stdout, runs.Columns, runs.Rows); err != nil {
		return err
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
		state, detail := "never crawled", ""
		for _, s := range p.StartURLs {
			u, err := url.Parse(s)
			if err != nil {
				continue
			}
			if h, ok := byHost[u.Hostname()]; ok {
				state, detail = h.State, h.Detail
				if h.State != "ok" {
					break
				}
			}
		}
		var lastNew, reports any
		if r, ok := lastBy[p.Name]; ok {
			lastNew, reports = r[1], r[2]
		}
		rows = append(rows, []any{p.Name, state, detail, lastNew, reports})
	}
	if len(rows) == 0 {
		return nil
	}
	e.stdout.Write([]byte("\n"))
	return out.write(e.stdout, []string{"portal", "state", "detail", "last_new_report", "reports"}, rows)
}
