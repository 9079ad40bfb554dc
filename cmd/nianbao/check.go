package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/config"
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
		Use:   "check [--db FILE] [--rule NAME]... [--year Y] [--region CODE] [--severity LEVEL,...] [--format table|csv|json|md] [--excel] [--fail-on-flag]",
		Short: "Run the consistency checks; list every failure",
		Long: `Run every consistency check (or the --rule ones) over the latest version of each report
and list every failure, most serious first: agency, year, rule, the cells involved, expected vs
printed, and the source URL or file. Failures are also stored in the check_results table.
Severity: error (does not balance), uncertain (a blank cell decides it), not_assessable
(a table the rule needs is missing), warn (heuristics such as carry-over across years).
Every failure says who could have caused it: attribution source (every cell the rule adds up was
read plainly: the page as published breaks it) or extraction_doubt (doubtful_cells names the cells
the extractor needed help with). Each run is kept (check_runs); nianbao report flag_changes lists
what is new, fixed or still open. fingerprint identifies the flag for nianbao ack.
--severity lists only the given levels (default: all). A summary per severity goes to stderr.
Exit status is 0, or 3 with --fail-on-flag when the listing holds a failure nobody acknowledged
(nianbao ack): the gate fails on what is shown, so a nightly gate on errors alone is
--severity error --fail-on-flag.`,
		Example: `  nianbao check
  nianbao check --severity error --fail-on-flag
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
	cmd.Flags().StringSliceVar(&opts.severities, "severity", nil, "list only failures of `LEVEL`s: "+strings.Join(queries.Severities, ", ")+" (comma-separated; default all; all are stored)")
	cmd.Flags().BoolVar(&opts.failOnFlag, "fail-on-flag", false, "exit 3 when any failure is listed (after --severity, --rule, --year, --region)")
	opts.out.add(cmd)
	return cmd
}

func runCheck(ctx context.Context, e *env, opts checkOptions) error {
	for _, s := range opts.severities {
		if !slices.Contains(queries.Severities, s) {
			return usagef("--severity error,uncertain", "--severity %q: want %s", s, strings.Join(queries.Severities, ", "))
		}
	}
	for _, r := range opts.rules {
		q, ok := queries.Get(r)
		if !ok || q.Kind != queries.KindCheck {
			return usagef("one of: "+strings.Join(checkNames(), ", "), "no check named %q", r)
		}
	}
	if err := opts.out.validate(); err != nil {
		return err
	}
	region, err := regionFilter(opts.region)
	if err != nil {
		return err
	}
	// check writes check_results, so it needs the write lock.
	cfg, db, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	th, err := thresholds(cfg)
	if err != nil {
		return err
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: opts.rules, Year: opts.year, Region: region, Thresholds: th})
	if err != nil {
		return err
	}
	levels := opts.severities
	if len(levels) == 0 {
		levels = queries.Severities
	}
	rows := bySeverity(res, levels)
	if err := opts.out.writeResult(e.stdout, &warehouse.Result{Columns: res.Columns, Types: res.Types, Rows: rows}); err != nil {
		return err
	}
	printSeveritySummary(e.stderr, res, levels, cfg.Database)
	fmt.Fprintf(e.stderr, "%d acknowledged, %d from extraction doubt\n",
		countWhere(res, "ack", func(v any) bool { return v != nil }),
		countWhere(res, "attribution", func(v any) bool { return v == "extraction_doubt" }))
	if open := countOpen(res.Columns, rows); opts.failOnFlag && open > 0 {
		return &flaggedError{n: open}
	}
	return nil
}

// countOpen counts the listed failures nobody acknowledged: those make
// --fail-on-flag fail.
func countOpen(cols []string, rows [][]any) int {
	ack := slices.Index(cols, "ack")
	n := 0
	for _, r := range rows {
		if ack < 0 || r[ack] == nil {
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

// printSeveritySummary ends a check with one line per severity listed: the
// failures and the reports they are in.
func printSeveritySummary(w io.Writer, res *warehouse.Result, levels []string, database string) {
	sev := slices.Index(res.Columns, "severity")
	rep := slices.Index(res.Columns, "report_id")
	for _, level := range levels {
		n, reports := 0, map[string]bool{}
		for _, r := range res.Rows {
			if sev >= 0 && fmt.Sprint(r[sev]) == level {
				n++
				if rep >= 0 {
					reports[fmt.Sprint(r[rep])] = true
				}
			}
		}
		fmt.Fprintf(w, "%-14s %d failures in %d reports (%s)\n", level+":", n, len(reports), database)
	}
}

// thresholds turns the config's rules section into the check's
// thresholds; a name that is no check is an error naming its line.
func thresholds(cfg *config.Config) (map[string]warehouse.Threshold, error) {
	if len(cfg.Rules) == 0 {
		return nil, nil
	}
	th := map[string]warehouse.Threshold{}
	for name, r := range cfg.Rules {
		if q, ok := queries.Get(name); !ok || q.Kind != queries.KindCheck {
			return nil, &config.Error{File: cfg.File, Line: cfg.Line("rules." + name), Key: "rules." + name,
				Err: fmt.Errorf("no check named %q (checks: %s)", name, strings.Join(checkNames(), ", "))}
		}
		t := warehouse.Threshold{Severity: r.Severity, On: r.On}
		if r.ErrorIf != "" {
			t.ErrorOp, t.ErrorVal, _ = config.ParseCondition(r.ErrorIf) // validated when loaded
		}
		if r.WarnIf != "" {
			t.WarnOp, t.WarnVal, _ = config.ParseCondition(r.WarnIf)
		}
		th[name] = t
	}
	return th, nil
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
	return len(bySeverity(res, []string{severity}))
}

// bySeverity keeps the check rows whose severity is one of levels, most
// serious first (queries.Severities order), each level in the check's order.
func bySeverity(res *warehouse.Result, levels []string) [][]any {
	col := slices.Index(res.Columns, "severity")
	var out [][]any
	for _, level := range queries.Severities {
		if !slices.Contains(levels, level) {
			continue
		}
		for _, r := range res.Rows {
			if col >= 0 && fmt.Sprint(r[col]) == level {
				out = append(out, r)
			}
		}
	}
	return out
}
