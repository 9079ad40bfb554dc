package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

type extractOptions struct {
	all         bool
	fromArchive bool
}

func newExtractCmd(e *env) *cobra.Command {
	var opts extractOptions
	cmd := &cobra.Command{
		Use:   "extract [--config FILE] [--all] [--from-archive]",
		Short: "Turn archived report pages into reports and cells",
		Long: `Read archived report pages (from the archive alone: no network) and load their
reports and cells. By default only new and changed pages. --all also takes every page
that has no report from this extractor version — after upgrading nianbao, that is every
page — adding versions tagged with the extractor version instead of overwriting, and
retries pages whose extraction failed before. A page that fails keeps its error.
--from-archive first records every page the archive's crawl journals hold, so a
database that was lost or deleted is rebuilt from the archive alone (the crawler
does not fetch again what it archived); pages already recorded are kept as they are.`,
		Example: `  nianbao extract
  nianbao extract --all             # after upgrading nianbao
  nianbao extract --from-archive    # rebuild a lost database from the archive`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.all, "all", false, "re-extract every archived report page lacking this extractor version's report")
	cmd.Flags().BoolVar(&opts.fromArchive, "from-archive", false, "first record every page in the archive's journals (rebuild a lost database)")
	return cmd
}

func runExtract(ctx context.Context, e *env, opts extractOptions) error {
	// Only --from-archive may start from no database: it rebuilds one.
	open := e.openExisting
	if opts.fromArchive {
		open = func(ctx context.Context) (*config.Config, *warehouse.DB, error) { return e.open(ctx, false) }
	}
	cfg, db, err := open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if opts.fromArchive {
		pages, err := crawler.Journal(cfg.Archive)
		if err != nil {
			return err
		}
		added, err := recordJournal(ctx, db, pages)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "archive %s: %d pages recorded\n", cfg.Archive, added)
	}
	sum, err := extractPending(ctx, db, cfg, opts.all, e.logger(cfg), e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extract %s: %d pages read, %d reports loaded (%d cells), %d unchanged, %d not reports, %d failed; %d read from attachments\n",
		extract.Version, sum.Pages, sum.Reports, sum.Cells, sum.Skipped, sum.NotReports, sum.Failed, sum.FromAttachments)
	if sum.Interrupted {
		return fmt.Errorf("extract interrupted: %w (what was loaded is kept; run nianbao extract again for the rest)", ctx.Err())
	}
	return nil
}
