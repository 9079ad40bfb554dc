package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

type sqlOptions struct {
	query string
	out   formatFlags
}

func newSQLCmd(e *env) *cobra.Command {
	var opts sqlOptions
	cmd := &cobra.Command{
		Use:   "sql [--db FILE] [--format table|csv|json|md] {QUERY | -}",
		Short: "Run ad-hoc SQL against the database, read-only",
		Long: `Run one SQL query against the database, opened read-only: a query that tries to write
is refused. With -, read the query from standard input. Tables: portals, crawl_runs, pages,
reports, cells, sections, check_results, agencies, codebook; views: latest_reports,
t2_wide, t3_wide, t4_wide, check_failures, report_revisions (see docs/schema.md).`,
		Example: `  nianbao sql "select agency, year, format from latest_reports order by agency, year"
  nianbao sql --format csv "select * from t3_wide where row_code = 'new'" > new.csv
  nianbao sql - < my-query.sql`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(`nianbao sql "select count(*) from reports"`, "sql needs exactly one QUERY (or - to read it from stdin)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.query = args[0]
			return runSQL(cmd.Context(), e, opts)
		},
	}
	opts.out.add(cmd)
	return cmd
}

func runSQL(ctx context.Context, e *env, opts sqlOptions) error {
	q := opts.query
	if q == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return err
		}
		q = string(b)
	}
	if strings.TrimSpace(q) == "" {
		return usagef(`nianbao sql "select count(*) from reports"`, "empty query")
	}
	_, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Query(ctx, q)
	if err != nil {
		return err
	}
	return opts.out.write(e.stdout, res.Columns, res.Rows)
}
