package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/extract"
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
		Version:       version + " (extractor " + extract.Version + ")",
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			e.configSet = cmd.Flags().Changed("config")
		},
	}
	root.PersistentFlags().StringVar(&e.configPath, "config", config.DefaultPath, "config `FILE`")
	root.PersistentFlags().StringVar(&e.dbPath, "db", "", "DuckDB `FILE` (overrides the config's database)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{err: err, hint: cmd.CommandPath() + " --help"}
	})
	root.AddCommand(
		newDemoCmd(e),
		newSiteCmd(e),
		newCrawlCmd(e),
		newExtractCmd(e),
		newImportCmd(e),
		newParseCmd(e),
		newCheckCmd(e),
		newReportCmd(e),
		newSQLCmd(e),
		newExportCmd(e),
		newScheduleCmd(e),
		newStatusCmd(e),
		newAckCmd(e),
		newImportCovariatesCmd(e),
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
		cfg.Database = e.dbPath
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

// openDB opens the configured database; read-only for commands that only read.
func (e *env) openDB(ctx context.Context, cfg *config.Config, readOnly bool) (*warehouse.DB, error) {
	if readOnly {
		if _, err := os.Stat(cfg.Database); err != nil {
			return nil, fmt.Errorf("open database %s: %w", cfg.Database, errNoDatabase)
		}
	}
	return warehouse.Open(ctx, cfg.Database, warehouse.Options{ReadOnly: readOnly, Log: e.logger(cfg)})
}

var errNoDatabase = hintError{errors.New("no such file"), "nianbao crawl (or nianbao demo, or nianbao import FILE...) to create it, or --db FILE"}

type hintError struct {
	err  error
	hint string
}

func (h hintError) Error() string { return h.err.Error() }
func (h hintError) Hint() string  { return h.hint }

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

func (f *formatFlags) write(w io.Writer, cols []string, rows [][]any) error {
	format, err := output.ParseFormat(f.format)
	if err != nil {
		return &usageError{err: err, hint: "--format table|csv|json|md"}
	}
	return output.Write(w, format, cols, rows, output.Options{Excel: f.excel})
}
