package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

type checkOptions struct {
	rules      []string
	year       int
	region     string
	failOnFlag bool
	severities []string
	out        formatFlags
}

func newCheckCmd(e *env) *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check [--db FILE] [--rule NAME]... [--year Y] [--region CODE] [--format table|csv|json|md] [--fail-on-flag]",
		Short: "Run the consistency checks; list every failure",
		Long: `Run every consistency check (or the --rule ones) over the latest version of each report
and list every failure: agency, year, rule, the cells involved, expected vs printed, and the
source URL or file. Failures are also stored in the check_results table.
Severity: error (does not balance), uncertain (a blank cell decides it), not_assessable
(a table the rule needs is missing), warn (heuristics such as carry-over across years).
Every failure says who could have caused it: attribution source (every cell the rule adds up was
read plainly: the page as published breaks it) or extraction_doubt (doubtful_cells names the cells
the extractor needed help with). Each run is kept (check_runs); nianbao report flag_changes lists
what is new, fixed or still open. fingerprint identifies the flag for nianbao ack.
Exit status is 0 unless --fail-on-flag is given and an error-severity failure nobody acknowledged
(nianbao ack) was found (3).`,
		Example: `  nianbao check
  nianbao check --severity error
  nianbao check --rule i1_balance --rule i2_results --year 2021
  nianbao check --region 4107 --format csv --excel > failures.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.rules, "rule", nil, "run only the check `NAME` (repeatable; see nianbao report)")
	cmd.Flags().IntVar(&opts.year, "year", 0, "only reports of statistical `YEAR`")
	cmd.Flags().StringVar(&opts.region, "region", "", "only reports of region `CODE` or name, and below it (3501, 福州市)")
	cmd.Flags().StringSliceVar(&opts.severities, "severity", nil, "list only failures of `LEVEL`s: error, uncertain, not_assessable, warn (comma-separated; all are stored)")
	cmd.Flags().BoolVar(&opts.failOnFlag, "fail-on-flag", false, "exit 3 when any report fails a check")
	opts.out.add(cmd)
	return cmd
}

func runCheck(ctx context.Context, e *env, opts checkOptions) error {
	for _, s := range opts.severities {
		switch s {
		case "error", "uncertain", "not_assessable", "warn":
		default:
			return usagef("--severity error,uncertain", "--severity %q: want error, uncertain, not_assessable or warn", s)
		}
	}
	for _, r := range opts.rules {
		q, ok := queries.Get(r)
		if !ok || q.Kind != "check" {
			return usagef("one of: "+strings.Join(checkNames(), ", "), "no check named %q", r)
		}
	}
	region, err := regionFilter(opts.region)
	if err != nil {
		return err
	}
	// check writes check_results, so it needs the write lock.
	cfg, db, err := e.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: opts.rules, Year: opts.year, Region: region})
	if err != nil {
		return err
	}
	rows := res.Rows
	if len(opts.severities) > 0 {
		rows = filterSeverity(res, opts.severities)
	}
	if err := opts.out.write(e.stdout, res.Columns, rows); err != nil {
		return err
	}
	errorsFound := countOpenErrors(res)
	if opts.out.format == "table" {
		fmt.Fprintf(e.stderr, "%d failures in %s: %d error, %d uncertain, %d not_assessable, %d warn; %d acknowledged, %d from extraction doubt\n", len(res.Rows), cfg.Database,
			countSeverity(res, "error"), countSeverity(res, "uncertain"), countSeverity(res, "not_assessable"), countSeverity(res, "warn"),
			countWhere(res, "ack", func(v any) bool { return v != nil }),
			countWhere(res, "attribution", func(v any) bool { return v == "extraction_doubt" }))
	}
	if opts.failOnFlag && errorsFound > 0 {
		return &flaggedError{n: errorsFound}
	}
	return nil
}

// countOpenErrors counts the error-severity failures nobody acknowledged:
// those make --fail-on-flag fail.
func countOpenErrors(res *warehouse.Result) int {
	sev, ack := slices.Index(res.Columns, "severity"), slices.Index(res.Columns, "ack")
	n := 0
	for _, r := range res.Rows {
		if sev >= 0 && r[sev] == "error" && (ack < 0 || r[ack] == nil) {
			n++
		}
	}
	return n
}

// countWhere counts the rows whose column col satisfies ok.
func countWhere(res *warehouse.Result, col string, ok func(any) bool) int {
	i := slices.Index(res.Columns, col)
	n := 0
	for _, r := range res.Rows {
		if i >= 0 && ok(r[i]) {
			n++
		}
	}
	return n
}

func checkNames() []string {
	var names []string
	for _, q := range queries.All() {
		if q.Kind == "check" {
			names = append(names, q.Name)
		}
	}
	return names
}

func countSeverity(res *warehouse.Result, severity string) int {
	return len(filterSeverity(res, []string{severity}))
}

// filterSeverity keeps the check rows whose severity is one of levels.
func filterSeverity(res *warehouse.Result, levels []string) [][]any {
	col := slices.Index(res.Columns, "severity")
	var out [][]any
	for _, r := range res.Rows {
		if col >= 0 && slices.Contains(levels, fmt.Sprint(r[col])) {
			out = append(out, r)
		}
	}
	return out
}
