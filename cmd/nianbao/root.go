package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/output"
	"github.com/nianbao/nianbao/warehouse"
)

// version is nianbao's release; the extractor has its own (extract.Version),
// which tags every loaded report.
const version = "0.1.0"

// env carries the streams and the global flags every subcommand uses.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// argv0 is how the user started nianbao (os.Args[0]); "" in tests.
	argv0 string

	configPath string
	configSet  bool // --config given explicitly
	dbPath     string
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "nianbao <command> [flags]",
		Short: "Crawl, extract and check Chinese government information-disclosure annual reports",
		Long: `nianbao collects 政府信息公开工作年度报告 from government portals, reads tables 二, 三 and 四
into cells (codebook codes), loads them into a DuckDB file and flags reports whose totals do not balance.

Start with:  nianbao demo`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			e.configSet = cmd.Flags().Changed("config")
		},
	}
	root.PersistentFlags().StringVar(&e.configPath, "config", config.DefaultPath, "config `FILE`")
	root.PersistentFlags().StringVar(&e.dbPath, "db", "", "DuckDB `FILE` (overrides the config's database)")
	root.SetFlagErrorFunc(flagError)
	// An unknown command reaches the root as an argument: a usage error
	// (exit 2) with cobra's suggestion, not a plain error.
	root.Args = cobra.ArbitraryArgs
	root.SuggestionsMinimumDistance = 2
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		hint := "nianbao help"
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			hint = "nianbao " + s[0]
		}
		return usagef(hint, "unknown command %q", args[0])
	}
	root.AddCommand(
		newDemoCmd(e),
		newSiteCmd(e),
		newCrawlCmd(e),
		newExtractCmd(e),
		newImportCmd(e),
		newCorrectCmd(e),
		newParseCmd(e),
		newCheckCmd(e),
		newReportCmd(e),
		newSQLCmd(e),
		newExportCmd(e),
		newScheduleCmd(e),
		newStatusCmd(e),
		newAckCmd(e),
		newImportCovariatesCmd(e),
		newVersionCmd(e),
	)
	return root
}

// loadConfig reads --config. A missing default file yields the built-in
// defaults (no portals); a missing file named explicitly is an error.
func (e *env) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(e.configPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !e.configSet {
			cfg = config.Default()
		} else {
			return nil, err
		}
	}
	if e.dbPath != "" {
		cfg.SetDatabase(e.dbPath)
	}
	return cfg, nil
}

// open loads the config and opens its database; the caller closes it.
func (e *env) open(ctx context.Context, readOnly bool) (*config.Config, *warehouse.DB, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	db, err := e.openDB(ctx, cfg, readOnly)
	return cfg, db, err
}

// openExisting is open for commands that write to a database they read
// (check, ack, extract): a missing file is an error, never a new empty
// database — `check --db TYPO --fail-on-flag` must not pass on nothing.
func (e *env) openExisting(ctx context.Context) (*config.Config, *warehouse.DB, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	if err := mustExist(cfg.Database); err != nil {
		return nil, nil, err
	}
	db, err := e.openDB(ctx, cfg, false)
	return cfg, db, err
}

func mustExist(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("open database %s: %w", path, errNoDatabase)
	}
	return nil
}

// openDB opens the configured database; read-only for commands that only read.
func (e *env) openDB(ctx context.Context, cfg *config.Config, readOnly bool) (*warehouse.DB, error) {
	if readOnly {
		if err := mustExist(cfg.Database); err != nil {
			return nil, err
		}
	}
	db, err := warehouse.Open(ctx, cfg.Database, warehouse.Options{ReadOnly: readOnly, Log: e.logger(cfg)})
	if errors.Is(err, warehouse.ErrNotDatabase) {
		return nil, hintError{err, "--db FILE naming a nianbao database (nianbao demo creates data/demo.duckdb)"}
	}
	return db, err
}

var errNoDatabase = hintError{errors.New("no such file"), "nianbao crawl (or nianbao demo, or nianbao import FILE...) to create it, or --db FILE"}

type hintError struct {
	err  error
	hint string
}

func (h hintError) Error() string { return h.err.Error() }
func (h hintError) Hint() string  { return h.hint }

// checkWritable makes sure the database's directory and the archive can be
// written before a command that writes does any work: a read-only or
// mistyped location fails at once, not after an hour of crawling.
func checkWritable(cfg *config.Config) error {
	for _, dir := range []string{filepath.Dir(cfg.Database), cfg.Archive} {
		fail := func(err error) error {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // "permission denied", "not a directory": the path is said once
			}
			return hintError{fmt.Errorf("cannot write %s: %w", dir, err), "--db FILE (and the config's archive) in a directory you can write"}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail(err)
		}
		f, err := os.CreateTemp(dir, ".nianbao-write-check-*")
		if err != nil {
			return fail(err)
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}

// invocation is the command to print in suggestions, the way the user
// started nianbao: "go run ./cmd/nianbao" from a go run build, "nianbao"
// when found on PATH, else the path as typed (./nianbao, bin/nianbao).
func (e *env) invocation() string {
	a := e.argv0
	switch {
	case a == "":
		return "nianbao"
	case strings.Contains(filepath.ToSlash(a), "/go-build"):
		return "go run ./cmd/nianbao"
	case !strings.ContainsRune(a, filepath.Separator):
		return a // found on PATH
	}
	return a
}

// logger writes structured logs to stderr in the configured format.
func (e *env) logger(cfg *config.Config) *slog.Logger {
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// formatFlags adds --format and --excel to cmd.
type formatFlags struct {
	format string
	excel  bool
}

func (f *formatFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "format", "table", "output `FORMAT`: table, csv, json or md")
	cmd.Flags().BoolVar(&f.excel, "excel", false, "with --format csv: start with a UTF-8 BOM so Excel reads Chinese text")
}

// validate checks --format and --excel before any work is done.
func (f *formatFlags) validate() error {
	format, err := output.ParseFormat(f.format)
	if err != nil {
		return &usageError{err: err, hint: "--format table|csv|json|md"}
	}
	if f.excel && format != output.CSV {
		return usagef("--format csv --excel", "--excel is for --format csv (a byte-order mark for Excel), not --format %s", format)
	}
	return nil
}

func (f *formatFlags) write(w io.Writer, cols []string, rows [][]any) error {
	return f.writeResult(w, &warehouse.Result{Columns: cols, Rows: rows})
}

// writeResult prints a query result; its column types let JSON print
// numbers as numbers.
func (f *formatFlags) writeResult(w io.Writer, res *warehouse.Result) error {
	sink := f.sink(w)
	if err := sink.Begin(res.Columns, res.Types); err != nil {
		return err
	}
	for _, r := range res.Rows {
		if err := sink.Row(r); err != nil {
			return err
		}
	}
	return sink.Close()
}

// sink prints a query's rows to w as the warehouse reads them
// (warehouse.Sink): CSV and JSON row by row, table and md at Close.
func (f *formatFlags) sink(w io.Writer) *printSink {
	return &printSink{f: f, w: w}
}

type printSink struct {
	f *formatFlags
	w io.Writer
	// skipEmpty: a statement without columns (DDL) prints nothing.
	skipEmpty bool
	// before runs before the first line printed.
	before func() error
	s      *output.Stream
}

func (k *printSink) Begin(columns, types []string) error {
	if err := k.f.validate(); err != nil {
		return err
	}
	if k.skipEmpty && len(columns) == 0 {
		return nil
	}
	if k.before != nil {
		if err := k.before(); err != nil {
			return err
		}
	}
	format, _ := output.ParseFormat(k.f.format)
	numeric := make([]bool, len(types))
	for i, t := range types {
		numeric[i] = isNumericType(t)
	}
	var err error
	k.s, err = output.NewStream(k.w, format, columns, output.Options{Excel: k.f.excel, Numeric: numeric})
	return err
}

func (k *printSink) Row(vals []any) error {
	if k.s == nil {
		return nil
	}
	return k.s.Row(vals)
}

// Close prints what the format keeps to the end; printed says whether
// the statement had columns to print.
func (k *printSink) Close() error {
	if k.s == nil {
		return nil
	}
	return k.s.Close()
}

func (k *printSink) printed() bool { return k.s != nil }

// isNumericType reports whether a DuckDB type name is a number type.
func isNumericType(t string) bool {
	t, _, _ = strings.Cut(t, "(")
	switch t {
	case "DECIMAL", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
		"UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE":
		return true
	}
	return false
}

// sections writes several results of different shapes to one stream, as
// `status` does: table, csv and md separate them by a blank line (csv:
// each section has its own header row); json gives every object a leading
// "kind" field naming its section instead (one object per line, so a
// reader can filter by kind).
type sections struct {
	out *formatFlags
	w   io.Writer
	n   int
}

func (s *sections) write(kind string, res *warehouse.Result) error {
	if s.n > 0 && s.out.format != string(output.JSON) {
		if _, err := io.WriteString(s.w, "\n"); err != nil {
			return err
		}
	}
	s.n++
	if s.out.format != string(output.JSON) {
		return s.out.writeResult(s.w, res)
	}
	tagged := &warehouse.Result{Columns: append([]string{"kind"}, res.Columns...), Rows: make([][]any, len(res.Rows))}
	if res.Types != nil {
		tagged.Types = append([]string{"VARCHAR"}, res.Types...)
	}
	for i, r := range res.Rows {
		tagged.Rows[i] = append([]any{kind}, r...)
	}
	return s.out.writeResult(s.w, tagged)
}
