package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nianbao/nianbao/extract"
)

// flagError turns pflag's errors into one plain usage sentence: a bad value
// names the flag, the value and what it wants, without strconv's wording.
func flagError(cmd *cobra.Command, err error) error {
	hint := cmd.CommandPath() + " --help"
	var iv *pflag.InvalidValueError
	if errors.As(err, &iv) {
		f := iv.GetFlag()
		want := f.Value.Type()
		switch want {
		case "int", "int64", "uint":
			want = "a whole number"
			if f.Name == "year" {
				want = "a year such as 2021"
			}
		case "bool":
			want = "true or false"
		case "duration":
			want = "a duration such as 30s or 2h"
		}
		return &usageError{err: fmt.Errorf("--%s %q: want %s", f.Name, iv.GetValue(), want), hint: hint}
	}
	return &usageError{err: err, hint: hint}
}

// newVersionCmd prints what --version prints: nianbao's release and its
// extractor's version (which tags every loaded report).
func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print nianbao's version and its extractor's",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(e.stdout, "nianbao version %s\n", versionString())
			return err
		},
	}
}

func versionString() string { return version + " (extractor " + extract.Version + ")" }
