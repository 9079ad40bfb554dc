package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/config"
)

type crawlOptions struct {
	portals []string
}

func newCrawlCmd(e *env) *cobra.Command {
	var opts crawlOptions
	cmd := &cobra.Command{
		Use:   "crawl [--config FILE] [--portal NAME]...",
		Short: "Fetch the configured portals, archive every page, record it in the database",
		Long: `Fetch the configured portals' annual-report columns: list pages, pagination, report pages
and attachments, within each portal's allowed domains, politely (robots.txt, one request at a
time per host, the configured delay). Every response is archived under the config's archive
directory; the database is opened only after the network work, to record the pages.
A crawl interrupted by Ctrl-C finishes the page in flight and records what it fetched;
a crawl that was killed resumes where it stopped on the next run.`,
		Example: `  nianbao crawl
  nianbao crawl --portal 新乡市牧野区人民政府
  nianbao crawl && nianbao extract && nianbao check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCrawl(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.portals, "portal", nil, "crawl only the portal `NAME` (repeatable)")
	return cmd
}

func selectPortals(cfg *config.Config, names []string) ([]config.Portal, error) {
	if len(cfg.Portals) == 0 {
		where := cfg.File
		if where == "" {
			where = config.DefaultPath + " (no such file in the working directory)"
		}
		return nil, usagef("cp config/nianbao.sample.yaml nianbao.yaml, then edit it (or --config FILE)", "no portals configured in %s", where)
	}
	if len(names) == 0 {
		return cfg.Portals, nil
	}
	var out []config.Portal
	for _, n := range names {
		p, ok := cfg.Portal(n)
		if !ok {
			known := make([]string, len(cfg.Portals))
			for i, p := range cfg.Portals {
				known[i] = p.Name
			}
			return nil, usagef("one of: "+strings.Join(known, ", "), "no portal named %q in %s", n, cfg.File)
		}
		out = append(out, p)
	}
	return out, nil
}

func runCrawl(ctx context.Context, e *env, opts crawlOptions) error {
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	portals, err := selectPortals(cfg, opts.portals)
	if err != nil {
		return err
	}
	log := e.logger(cfg)
	prog := newProgress(e.stderr, log)
	sum, err := crawl(ctx, cfg, portals, crawlerOptions(cfg, log, prog.event))
	prog.done()
	if sum != nil {
		printCrawlSummary(e.stdout, sum)
	}
	return err
}

func printCrawlSummary(w io.Writer, s *crawlSummary) {
	fmt.Fprintf(w, "crawl run %d: %d pages fetched, %d report pages, %d errors", s.RunID, s.Pages, s.Reports, s.Errors)
	if s.Resumed {
		fmt.Fprint(w, " (resumed an interrupted run)")
	}
	fmt.Fprintln(w)
	if s.Recorded > 0 {
		fmt.Fprintf(w, "  the database had no pages: %d pages of earlier crawls recorded from the archive\n", s.Recorded)
	}
	for _, h := range s.Hosts {
		if h.State != "ok" {
			fmt.Fprintf(w, "  %s: %s %s\n", h.Host, h.State, h.Detail)
		}
	}
}
