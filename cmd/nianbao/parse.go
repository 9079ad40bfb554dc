package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/extract"
)

type parseOptions struct {
	json  bool
	files []string
}

func newParseCmd(e *env) *cobra.Command {
	var opts parseOptions
	cmd := &cobra.Command{
		Use:   "parse [--json] FILE...",
		Short: "Extract saved report pages and print them (touches no database)",
		Long: `Extract saved report pages and attachments and print what was read: HTML or plain
text pages, PDF (text layer; a scan is reported as tables_are_images), DOCX, XLSX, OFD,
and .doc/.wps/.xls through LibreOffice when it is installed. The kind is sniffed from
the bytes, not the file name.
With --json, print one JSON object per file on its own line: source, kind, agency, year,
format ("2019", "2021", "pre2019" or "unknown"), cells (table, row, col, value, raw,
provenance: page and box for PDF/OFD) and warnings. A page with unreadable parts still prints what could be read.
A file that cannot be read at all (missing, a directory, empty) gets an error line on
stderr and the others are still printed; parse then exits 1.`,
		Example: `  nianbao parse report.html
  nianbao parse --json P020240130.pdf | jq -c '.cells[] | {table,row,col,value,page,box}'
  nianbao parse --json saved/*.html | jq -c '.cells[] | select(.table=="t3")'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("nianbao parse --json FILE...", "parse needs at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			return runParse(opts, e.stdout, e.stderr)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print one JSON object per file")
	return cmd
}

// runParse prints every file it can read; an unreadable one gets an error
// line on stderr naming it, and the others go on. It fails (exit 1) at the
// end when any file could not be read.
func runParse(opts parseOptions, w, errw io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, path := range opts.files {
		rep, err := parseFile(path)
		if err != nil {
			failed++
			fmt.Fprintf(errw, "error: %v\n", err)
			continue
		}
		if opts.json {
			if err := enc.Encode(rep); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			continue
		}
		printReport(w, rep)
	}
	if failed > 0 {
		return fmt.Errorf("parse: %d of %d files could not be read", failed, len(opts.files))
	}
	return nil
}

// parseFile reads and extracts one saved page; its error names the file
// once, without Go's *PathError repeating it.
func parseFile(path string) (*extract.Report, error) {
	body, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return extract.Parse(extract.Input{Source: path, Body: body, ContentType: contentTypeForFile(path), Converter: officeConverter}) // its errors name the file
}

// contentTypeForFile guesses a saved page's type from its name; "" lets
// extract sniff the bytes.
func contentTypeForFile(path string) string {
	switch {
	case strings.HasSuffix(strings.ToLower(path), ".txt"):
		return "text/plain"
	case strings.HasSuffix(strings.ToLower(path), ".html"), strings.HasSuffix(strings.ToLower(path), ".htm"),
		strings.HasSuffix(strings.ToLower(path), ".shtml"):
		return "text/html"
	}
	return ""
}

// printReport writes a human-readable summary: metadata, then each table's
// cells row by row, then the warnings.
func printReport(w io.Writer, r *extract.Report) {
	agency := orDash(r.Agency)
	if r.AgencySource != "" {
		agency += " (from " + strings.ReplaceAll(r.AgencySource, "_", " ") + ")"
	}
	fmt.Fprintf(w, "%s\n  agency: %s\n  year:   %d\n  format: %s\n", r.Source, agency, r.Year, r.Format)
	if r.PublishedAt != "" {
		fmt.Fprintf(w, "  published: %s\n", r.PublishedAt)
	}
	fmt.Fprintf(w, "  cells:  %d\n", len(r.Cells))
	var table, row string
	for _, c := range r.Cells {
		if c.Table != table {
			table, row = c.Table, ""
			fmt.Fprintf(w, "  %s\n", table)
		}
		if c.Row != row {
			if row != "" {
				fmt.Fprintln(w)
			}
			row = c.Row
			fmt.Fprintf(w, "    %-24s", row)
		}
		v := "·"
		if c.Value != nil {
			v = *c.Value
		}
		fmt.Fprintf(w, " %s=%s", c.Col, v)
	}
	if row != "" {
		fmt.Fprintln(w)
	}
	for _, wn := range r.Warnings {
		loc := strings.Trim(strings.Join([]string{wn.Table, wn.Row, wn.Col}, "."), ".")
		if loc != "" {
			loc = " " + loc
		}
		fmt.Fprintf(w, "  warning %s%s: %s\n", wn.Code, loc, wn.Message)
	}
	fmt.Fprintln(w)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
