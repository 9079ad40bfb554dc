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
reports and cells. By default only pages with no report for this extractor version;
--all re-extracts every report page, adding versions tagged with the extractor
version instead of overwriting. A page that fails to extract keeps its error.`,
		Example: `  nianbao extract
  nianbao extract --all    # after upgrading nianbao`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.all, "all", false, "re-extract every archived report page")
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
