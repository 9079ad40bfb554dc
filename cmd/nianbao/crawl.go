package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/hostid"
	"github.com/nianbao/nianbao/warehouse"
)

type crawlOptions struct {
	portals  []string
	retryNow bool
}

func newCrawlCmd(e *env) *cobra.Command {
	var opts crawlOptions
	cmd := &cobra.Command{
		Use:   "crawl [--config FILE] [--portal NAME]... [--retry-now]",
		Short: "Fetch the configured portals, archive every page, record it in the database",
		Long: `Fetch the configured portals' annual-report columns: list pages, pagination, report pages
and attachments, within each portal's allowed domains, politely (robots.txt, one request at a
time per host, the configured delay). Every response is archived under the config's archive
directory; the database is opened only after the network work, to record the pages.
A crawl interrupted by Ctrl-C finishes the page in flight and records what it fetched;
a crawl that was killed resumes where it stopped on the next run.

A host that failed (timeouts, resets, DNS, 5xx, a moved column) is tried again on the next
run; after repeated faults, or a block (WAF challenge, 403 block page), it rests 2, 4 … up to
32 nights. --retry-now asks such hosts now (a server's own Retry-After still holds). A run
in which hosts failed or were skipped is recorded as partial, naming them; when no host of
the selected portals could be asked, crawl exits 1.`,
		Example: `  nianbao crawl
  nianbao crawl --portal 新乡市牧野区人民政府
  nianbao crawl --portal 新乡市牧野区人民政府 --retry-now
  nianbao crawl && nianbao extract && nianbao check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCrawl(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.portals, "portal", nil, "crawl only the portal `NAME` (repeatable)")
	cmd.Flags().BoolVar(&opts.retryNow, "retry-now", false, "ask hosts that are backing off after earlier faults")
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
	if err := checkWritable(cfg); err != nil {
		return err
	}
	log := e.logger(cfg)
	prog := newProgress(e.stderr, log)
	copts := crawlerOptions(cfg, log, prog.event)
	copts.RetryNow = opts.retryNow
	sum, err := crawl(ctx, cfg, portals, copts)
	prog.done()
	if sum != nil {
		printCrawlSummary(e.stdout, sum)
	}
	if err == nil && sum != nil && noHostAsked(portals, sum) {
		return hintError{fmt.Errorf("crawl: no host of the selected portals could be crawled (run recorded as %s)", sum.status()),
			"nianbao crawl --retry-now, to ask hosts that are backing off now; nianbao status shows each host's next try"}
	}
	return err
}

// noHostAsked reports whether every start host of the portals failed or was
// skipped in the run: nothing was crawled.
func noHostAsked(portals []config.Portal, s *crawlSummary) bool {
	bad := map[string]bool{}
	for _, h := range append(append([]crawler.HostState(nil), s.Faulted...), s.Skipped...) {
		bad[h.Host] = true
	}
	if len(bad) == 0 {
		return false
	}
	for _, p := range portals {
		for _, u := range p.StartURLs {
			if !bad[hostid.OfURL(u)] {
				return false
			}
		}
	}
	return true
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
	for _, h := range s.Faulted {
		fmt.Fprintf(w, "  %s failed: %s (%s); next try %s\n", h.Host, h.State, h.Detail, nextTry(h))
	}
	for _, h := range s.Skipped {
		fmt.Fprintf(w, "  %s skipped: %s since %s (%s); next try %s (--retry-now asks it now)\n",
			h.Host, h.State, h.Since.UTC().Format(time.RFC3339), h.Detail, nextTry(h))
	}
	if st := s.status(); st != warehouse.RunOK {
		fmt.Fprintf(w, "  run recorded as %s\n", st)
	}
}
