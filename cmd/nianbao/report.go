package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/queries"
)

type reportOptions struct {
	name   string
	year   int
	region string
	params []string
	out    formatFlags
}

func newReportCmd(e *env) *cobra.Command {
	var opts reportOptions
	cmd := &cobra.Command{
		Use:   "report [NAME] [--db FILE] [--format table|csv|json|md] [--year Y] [--region CODE] [--param KEY=VALUE]...",
		Short: "Run a canned SQL query; without NAME, list them",
		Long: `Run one of the canned queries in queries/ (checks and comparisons) against the database,
read-only. Without NAME, list every query with its description and parameters.`,
		Example: `  nianbao report
  nianbao report trend --region 410711
  nianbao report trend --region 福州市 --param by=county
  nianbao report compare --year 2021 --param metric=received --format md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.name = args[0]
			}
			return runReport(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().IntVar(&opts.year, "year", 0, "statistical `YEAR`")
	cmd.Flags().StringVar(&opts.region, "region", "", "region `CODE` or name, and below it (4107 or 新乡市 = all of 新乡)")
	cmd.Flags().StringArrayVar(&opts.params, "param", nil, "query parameter `KEY=VALUE` (repeatable)")
	opts.out.add(cmd)
	return cmd
}

func runReport(ctx context.Context, e *env, opts reportOptions) error {
	if err := opts.out.validate(); err != nil {
		return err
	}
	if opts.name == "" {
		var rows [][]any
		for _, q := range queries.All() {
			rows = append(rows, []any{q.Name, q.Kind, q.Description, paramList(q)})
		}
		return opts.out.write(e.stdout, []string{"name", "kind", "description", "params"}, rows)
	}
	q, ok := queries.Get(opts.name)
	if !ok {
		return usagef("nianbao report (lists: "+strings.Join(queries.Names(""), ", ")+")", "no canned query named %q", opts.name)
	}
	params := map[string]string{}
	if opts.year != 0 {
		params["year"] = strconv.Itoa(opts.year)
	}
	if opts.region != "" {
		params["region"] = opts.region
	}
	for _, kv := range opts.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return usagef("--param metric=received", "--param %q: want KEY=VALUE", kv)
		}
		params[k] = v
	}
	if r, ok := params["region"]; ok {
		prefix, err := regionFilter(r)
		if err != nil {
			return err
		}
		params["region"] = prefix
	}
	for k, v := range params {
		if err := q.CheckParam(k, v); err != nil {
			return usagef("nianbao report (lists each query's parameters and their values)", "%v", err)
		}
	}
	_, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// Printed as read: a national query of millions of rows is not held.
	sink := opts.out.sink(e.stdout)
	if err := db.RunTo(ctx, sink, q.Name, params); err != nil {
		return err
	}
	return sink.Close()
}

// paramList says, for `nianbao report`, each parameter with what it accepts
// and its default.
func paramList(q queries.Query) string {
	var ps []string
	for _, p := range q.Params {
		ps = append(ps, p.Name+": "+p.Allowed())
	}
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, "; ")
}
