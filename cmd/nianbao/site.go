package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/site"
)

type siteOptions struct {
	dir  string
	full bool
}

func newSiteCmd(e *env) *cobra.Command {
	var opts siteOptions
	cmd := &cobra.Command{
		Use:   "site DIR [--db FILE] [--full]",
		Short: "Build the static HTML site: index, regions, agencies, reports, rules",
		Long: `Build a static HTML site from the database into DIR: an index (coverage per region and
year, reports flagged per rule, the latest run's changes), a page per region, agency, report
and rule, and static copies of the archived pages. It opens from disk (file://) with no
server and no network. Only pages whose data changed since the last build are written
(a manifest in DIR records each page's data hash); --full writes every page.`,
		Example: `  nianbao site public
  nianbao site --db data/demo.duckdb /tmp/site && xdg-open /tmp/site/index.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return runSite(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.full, "full", false, "write every page, ignoring the manifest of the last build")
	return cmd
}

func runSite(ctx context.Context, e *env, opts siteOptions) error {
	cfg, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := site.Build(ctx, db, opts.dir, site.Options{ReadArchived: archiveReader(cfg.Archive), Full: opts.full, Log: e.logger(cfg)})
	if err != nil {
		return err
	}
	printSiteStats(e, st)
	return nil
}

func printSiteStats(e *env, st *site.Stats) {
	fmt.Fprintf(e.stdout, "site: %d pages, %d written, %d removed, %d archived pages copied in %s\n",
		st.Pages, st.Written, st.Removed, st.Archived, st.Took.Round(1e6))
	for _, msg := range st.Errors {
		fmt.Fprintf(e.stderr, "site: %s\n", msg)
	}
	fmt.Fprintf(e.stdout, "index: %s\n", st.Index)
}
