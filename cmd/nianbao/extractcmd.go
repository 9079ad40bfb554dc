package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/extract"
)

type extractOptions struct {
	all bool
}

func newExtractCmd(e *env) *cobra.Command {
	var opts extractOptions
	cmd := &cobra.Command{
		Use:   "extract [--config FILE] [--all]",
		Short: "Turn archived report pages into reports and cells",
		Long: `Read archived report pages (from the archive alone: no network) and load their
reports and cells. By default only new and changed pages. --all also takes every page
that has no report from this extractor version — after upgrading nianbao, that is every
page — adding versions tagged with the extractor version instead of overwriting, and
retries pages whose extraction failed before. A page that fails keeps its error.`,
		Example: `  nianbao extract
  nianbao extract --all    # after upgrading nianbao`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.all, "all", false, "re-extract every archived report page lacking this extractor version's report")
	return cmd
}

func runExtract(ctx context.Context, e *env, opts extractOptions) error {
	cfg, db, err := e.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := extractPending(ctx, db, cfg, opts.all, e.logger(cfg))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "extract %s: %d pages read, %d reports loaded (%d cells), %d unchanged, %d failed\n",
		extract.Version, sum.Pages, sum.Reports, sum.Cells, sum.Skipped, sum.Failed)
	return nil
}
