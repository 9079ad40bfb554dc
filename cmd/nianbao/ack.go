package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/warehouse"
)

func newAckCmd(e *env) *cobra.Command {
	var status, note string
	cmd := &cobra.Command{
		Use:   "ack FINGERPRINT... --status confirmed|false_alarm [--note TEXT] [--db FILE]",
		Short: "Mark a flag confirmed (the government's error) or a false alarm",
		Long: `Record a person's verdict on a flag, keyed by its fingerprint (the fingerprint column of
nianbao check, check_failures and report flag_changes): confirmed (the government's error, checked
by a person) or false_alarm, with a note. The verdict is kept across re-runs, re-extraction and new
versions of the report as long as the flag's cells print the same values; acknowledged flags show
in the ack column and do not make check --fail-on-flag fail.`,
		Example: `  nianbao check --format csv > flags.csv      # fingerprint is a column
  nianbao ack 9c64842546ccb02f257a1ab2b622c172 --status confirmed --note "page prints 5+0 vs 3+0; checked the PDF"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAck(cmd.Context(), e, args, status, note)
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "`STATUS`: "+strings.Join(warehouse.AckStatuses, " or "))
	cmd.Flags().StringVar(&note, "note", "", "why, for the next reader")
	return cmd
}

func runAck(ctx context.Context, e *env, fingerprints []string, status, note string) error {
	if !slices.Contains(warehouse.AckStatuses, status) {
		return usagef("--status "+warehouse.AckConfirmed, "--status %q: want %s", status, strings.Join(warehouse.AckStatuses, " or "))
	}
	_, db, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, fp := range fingerprints {
		if err := db.Ack(ctx, fp, status, note); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", fp, status)
	}
	return nil
}

func newImportCovariatesCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "import-covariates FILE.csv [--db FILE]",
		Short: "Load region figures (population, GDP …) that indicators divide by",
		Long: `Load a CSV with the header region_code,year,name,value (GB/T 2260 six-digit code, year,
a lower-case name such as population, an exact decimal) into the covariates table. The indicator
received_per_10k divides new requests by population; a row for a region, year and name already
loaded is replaced. Bad lines are skipped with a message naming the line.`,
		Example: `  printf 'region_code,year,name,value\n410711,2021,population,265000\n' > pop.csv
  nianbao import-covariates pop.csv
  nianbao report indicators --param indicator=received_per_10k --year 2021`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, db, err := e.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer db.Close()
			n, problems, err := db.ImportCovariates(cmd.Context(), args[0])
			for _, p := range problems {
				fmt.Fprintln(e.stderr, "skipped:", p)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%d covariate values imported from %s (%d lines skipped)\n", n, args[0], len(problems))
			return nil
		},
	}
}
