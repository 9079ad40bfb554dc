package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/internal/sampleportal"
	"github.com/nianbao/nianbao/output"
	"github.com/nianbao/nianbao/site"
	"github.com/nianbao/nianbao/warehouse"
)

// Demo paths, relative to the working directory; all are git-ignored. The
// demo's archive is config.ArchiveFor(demoDB), data/demo-archive.
const (
	demoDB   = "data/demo.duckdb"
	demoSite = "data/demo-site"
)

type demoOptions struct {
	db string
}

func newDemoCmd(e *env) *cobra.Command {
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo [--db FILE]",
		Short: "Crawl the built-in sample portal, extract, load, check, and print a summary",
		Long:  demoLong("several government CMS styles"),
		Example: `  nianbao demo
  nianbao sql --db ` + demoDB + ` "select agency, year, format from latest_reports"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.db = e.dbPath
			return runDemo(cmd.Context(), e, opts)
		},
	}
	// The catalogue is counted by building the whole sample portal (0.1
	// CPU-s): only when the help is shown, not on every run of the binary.
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		c.Long = demoLong(demoCatalogue())
		c.Parent().HelpFunc()(c, args)
	})
	return cmd
}

func demoLong(catalogue string) string {
	return `Start the built-in sample portal on 127.0.0.1 (` + catalogue + `), crawl it,
extract the reports, load them into a DuckDB file and run the checks. Nothing leaves the
machine. Without --db the demo starts fresh in ` + demoDB + `.`
}

func runDemo(ctx context.Context, e *env, opts demoOptions) error {
	start := time.Now()
	cfg := config.Default()
	cfg.File = "(demo)"
	if opts.db == "" {
		// The default demo database is ours to reset; a --db file is the user's.
		cfg.SetDatabase(demoDB)
		cfg.Site = demoSite
		for _, p := range []string{demoDB, demoDB + ".wal", cfg.Archive, demoSite} {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
	} else {
		// The archive's crawl state must match the database: a new --db file
		// gets a new archive (config.ArchiveFor), or the crawler would only
		// see "not modified".
		cfg.SetDatabase(opts.db)
		cfg.Site = opts.db + "-site"
		if _, err := os.Stat(opts.db); os.IsNotExist(err) {
			if err := os.RemoveAll(cfg.Archive); err != nil {
				return err
			}
		}
	}
	cfg.Crawl.Delay = config.Duration{}  // loopback: no need to be polite to ourselves
	cfg.Crawl.Jitter = config.Duration{} // (real portals get crawl.delay)
	cfg.Crawl.Timeout = config.Duration{Duration: 10 * time.Second}

	portal, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		return fmt.Errorf("start sample portal: %w", err)
	}
	defer portal.Close()
	return demoAgainst(ctx, e, portal, cfg, start)
}

// demoAgainst runs the pipeline against a started sample portal; tests call
// it with a portal they can inspect afterwards.
func demoAgainst(ctx context.Context, e *env, portal *sampleportal.Portal, cfg *config.Config, start time.Time) error {
	for _, p := range portal.Portals() {
		cfg.Portals = append(cfg.Portals, config.Portal{Name: p.Name, RegionCode: p.RegionCode, Family: p.Family, StartURLs: p.StartURLs, AllowedDomains: p.AllowedDomains})
	}
	log := e.logger(cfg)
	prog := newProgress(e.stderr, log)
	copts := crawlerOptions(cfg, log, prog.event)
	copts.Resolve = portal.Resolve()
	w := e.stdout
	fmt.Fprintf(w, "nianbao demo: sample portal on %s serving %d portals\n", portalAddr(portal), len(cfg.Portals))
	for _, p := range cfg.Portals {
		fmt.Fprintf(w, "  %s %s\n", runewidth.FillRight(p.Name, 24), p.StartURLs[0])
	}

	sum, err := crawl(ctx, cfg, cfg.Portals, copts)
	prog.done()
	if err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, cfg.Database, warehouse.Options{Log: log})
	if err != nil {
		return err
	}
	defer db.Close()
	ex, err := extractPending(ctx, db, cfg, false, log, nil)
	if err != nil {
		return err
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncrawled:   %d pages (%d report pages, %d errors)\n", sum.Pages, sum.Reports, sum.Errors)
	fmt.Fprintf(w, "extracted: %d reports, %d cells\n", ex.Reports, ex.Cells)
	if kinds, n, err := attachmentReports(ctx, db); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(w, "           %d of them read from their PDF/Word attachments (%s)\n", n, kinds)
	}
	printFlagged(w, res)
	fmt.Fprintf(w, "\ndatabase:  %s\n", cfg.Database)
	if cfg.Site != "" {
		st, err := site.Build(ctx, db, cfg.Site, site.Options{ReadArchived: archiveReader(cfg.Archive), Log: log})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "site:      %s (%d pages; opens from disk, no server needed)\n", st.Index, st.Pages)
	}
	fmt.Fprintf(w, "took:      %s\n", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(w, "\nTry next:\n")
	self := e.invocation()
	fmt.Fprintf(w, "  %s sql --db %s \"select agency, year, format, published_at from latest_reports order by agency, year\"\n", self, cfg.Database)
	fmt.Fprintf(w, "  %s sql --db %s \"select agency, year, rule, col_code, expected, actual from check_failures where severity = 'error'\"\n", self, cfg.Database)
	fmt.Fprintf(w, "  %s check --db %s --format md\n", self, cfg.Database)
	fmt.Fprintf(w, "  %s sql --db %s \"select r.agency, r.year, c.table_code, c.row_code, c.col_code, c.value, c.page, c.box from cells c join latest_reports r on r.id = c.report_id where r.source_kind = 'pdf' and c.row_code = 'new' and c.col_code = 'total'\"\n", self, cfg.Database)
	return nil
}

// attachmentReports counts the latest reports whose cells come from an
// attachment, and says how many of each kind ("pdf 3, docx 1").
func attachmentReports(ctx context.Context, db *warehouse.DB) (string, int, error) {
	rows, err := db.SQL.QueryContext(ctx, `select source_kind, count(*) from latest_reports
		where attachment_sha256 is not null group by 1 order by 2 desc, 1`)
	if err != nil {
		return "", 0, fmt.Errorf("count attachment reports: %w", err)
	}
	defer rows.Close()
	var parts []string
	total := 0
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return "", 0, fmt.Errorf("count attachment reports: %w", err)
		}
		parts = append(parts, fmt.Sprintf("%s %d", kind, n))
		total += n
	}
	return strings.Join(parts, ", "), total, rows.Err()
}

// demoCatalogue says what the sample portal publishes, counted from the
// portal itself so that the help stays true when the portal changes.
func demoCatalogue() string {
	reports, err := sampleportal.Catalogue(sampleportal.Options{})
	if err != nil {
		return "several government CMS styles"
	}
	withCells, attachments, unbalanced := 0, 0, 0
	for _, r := range reports {
		if len(r.Cells) > 0 {
			withCells++
		}
		if len(r.Attachments) > 0 {
			attachments++
		}
		if len(r.Unbalanced) > 0 {
			unbalanced++
		}
	}
	return fmt.Sprintf("%d report pages of real agencies in several government CMS styles, %d with tables\nof known values, %d of which do not balance; %d link the report as a PDF or Word attachment", len(reports), withCells, unbalanced, attachments)
}

func portalAddr(p *sampleportal.Portal) string {
	addrs := map[string]bool{}
	for _, a := range p.Resolve() {
		addrs[a] = true
	}
	var list []string
	for a := range addrs {
		list = append(list, a)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}

// printFlagged lists the reports with error-severity failures, one line per
// report and rule, with the cells involved.
func printFlagged(w io.Writer, res *warehouse.Result) {
	idx := map[string]int{}
	for i, c := range res.Columns {
		idx[c] = i
	}
	get := func(r []any, col string) string {
		i, ok := idx[col]
		if !ok {
			return ""
		}
		s, _ := output.Text(r[i])
		return s
	}
	type key struct{ agency, year, rule string }
	var order []key
	lines := map[key][]string{}
	reports := map[string]bool{}
	for _, r := range res.Rows {
		if get(r, "severity") != "error" {
			continue
		}
		k := key{get(r, "agency"), get(r, "year"), get(r, "rule")}
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = append(lines[k], get(r, "detail"))
		reports[k.agency+"/"+k.year] = true
	}
	fmt.Fprintf(w, "flagged:   %d reports do not balance\n", len(reports))
	for _, k := range order {
		fmt.Fprintf(w, "  %s %s  %s\n", k.agency, k.year, k.rule)
		for _, d := range lines[k] {
			fmt.Fprintf(w, "      %s\n", d)
		}
	}
}
