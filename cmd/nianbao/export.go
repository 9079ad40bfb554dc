package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newExportCmd(e *env) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "export [--db FILE] --parquet DIR",
		Short: "Write every table and view as Parquet, partitioned by year",
		Long: `Write every table and view as Parquet files under DIR, Hive-partitioned by year where
the relation has a year (DIR/reports/year=2021/…), for Spark, Trino, pandas or R.`,
		Example: `  nianbao export --parquet out/parquet
  python3 -c "import pandas; print(pandas.read_parquet('out/parquet/t3_wide'))"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir == "" {
				return usagef("nianbao export --parquet DIR", "export needs --parquet DIR")
			}
			return runExport(cmd.Context(), e, dir)
		},
	}
	cmd.Flags().StringVar(&dir, "parquet", "", "output `DIR`")
	return cmd
}

func runExport(ctx context.Context, e *env, dir string) error {
	cfg, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ExportParquet(ctx, dir); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "exported %s to %s\n", cfg.Database, dir)
	return nil
}
