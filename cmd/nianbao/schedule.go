package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/site"
	"github.com/nianbao/nianbao/warehouse"
)

type scheduleOptions struct {
	once bool
}

func newScheduleCmd(e *env) *cobra.Command {
	var opts scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule [--config FILE] [--once]",
		Short: "Run crawl → extract → check on the config's cron schedule",
		Long: `Run crawl, extract and check on the config's schedule (cron, e.g. "0 2 * * *"), forever,
never two runs at once (a run still going when the next is due is skipped, and a second
nianbao schedule on the same archive refuses to start). Each run writes a summary row to
crawl_runs (kind schedule). The database is open only while a run writes to it.
--once runs immediately, once, and exits. Ctrl-C or SIGTERM finishes the page in flight.`,
		Example: `  nianbao schedule --once
  nohup nianbao schedule --config /srv/nianbao/nianbao.yaml &`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd.Context(), e, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.once, "once", false, "run once now and exit")
	return cmd
}

func runSchedule(ctx context.Context, e *env, opts scheduleOptions) error {
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	if _, err := selectPortals(cfg, nil); err != nil {
		return err
	}
	log := e.logger(cfg)
	return scheduleLoop(ctx, cfg, opts.once, log, func() crawler.Options {
		return crawlerOptions(cfg, log, newProgress(e.stderr, log).event)
	})
}

// scheduleLoop runs nightly on cfg.Schedule until ctx ends (or once). Runs
// never overlap: cron skips a run while the previous one is still going, and
// a lock file keeps a second scheduler off the same archive.
func scheduleLoop(ctx context.Context, cfg *config.Config, once bool, log *slog.Logger, opts func() crawler.Options) error {
	unlock, err := lockArchive(cfg.Archive)
	if err != nil {
		return err
	}
	defer unlock()
	job := func() error { return nightly(ctx, cfg, opts(), log) }
	if once {
		return job()
	}
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	id, err := c.AddFunc(cfg.Schedule, func() {
		if err := job(); err != nil && ctx.Err() == nil {
			log.Error("scheduled run", "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("%s: schedule %q: %w", cfg.File, cfg.Schedule, err)
	}
	c.Start()
	log.Info("schedule started", "schedule", cfg.Schedule, "next", c.Entry(id).Next.Format(time.RFC3339), "portals", len(cfg.Portals))
	<-ctx.Done()
	log.Info("schedule stopping: waiting for the run in progress")
	<-c.Stop().Done()
	return nil
}

// nightly is one scheduled run: crawl with the database closed, then extract
// and check with it open, and a summary row.
func nightly(ctx context.Context, cfg *config.Config, opts crawler.Options, log *slog.Logger) error {
	started := time.Now()
	var id int64
	if err := withDB(ctx, cfg.Database, log, func(db *warehouse.DB) (err error) {
		id, err = db.BeginRun(ctx, warehouse.RunKindSchedule, nil)
		return err
	}); err != nil {
		return err
	}
	sum, crawlErr := crawl(ctx, cfg, cfg.Portals, opts)
	// Extraction and checks are local and quick; finish them even when a
	// signal arrived during the crawl, so what was fetched is usable.
	local := context.WithoutCancel(ctx)
	db, err := warehouse.Open(local, cfg.Database, warehouse.Options{Log: log, LockWait: lockWait})
	if err != nil {
		return err
	}
	defer db.Close()
	if sum == nil {
		db.FinishRun(local, id, warehouse.RunFailed, warehouse.RunStats{Note: crawlErr.Error()})
		return crawlErr
	}
	// A page that fails to extract or load keeps its error and the others
	// go on (extractPending); what is left is a fault of the database.
	ex, err := extractPending(local, db, cfg, false, log, nil)
	if err != nil {
		db.FinishRun(local, id, warehouse.RunFailed, warehouse.RunStats{PagesFetched: sum.Pages, Errors: sum.Errors, Note: "extract: " + err.Error()})
		return err
	}
	th, err := thresholds(cfg)
	if err != nil {
		return err
	}
	res, err := db.Check(local, warehouse.CheckOptions{Thresholds: th})
	if err != nil {
		db.FinishRun(local, id, warehouse.RunFailed, warehouse.RunStats{PagesFetched: sum.Pages, ReportsAdded: ex.Reports, Errors: sum.Errors, Note: "check: " + err.Error()})
		return err
	}
	failures := countSeverity(res, "error")
	status := sum.status()
	if crawlErr != nil {
		status = warehouse.RunInterrupted
	}
	note := fmt.Sprintf("crawl run %d: %d pages, %d report pages; extract: %d reports, %d pages failed; check: %d errors; %s",
		sum.RunID, sum.Pages, sum.Reports, ex.Reports, ex.Failed, failures, time.Since(started).Round(time.Millisecond))
	if h := sum.hostsNote(); h != "" {
		note += "; " + h
	}
	if err := db.FinishRun(local, id, status, warehouse.RunStats{PagesFetched: sum.Pages, ReportsAdded: ex.Reports, Errors: sum.Errors + ex.Failed, Note: note}); err != nil {
		return err
	}
	log.Info("run finished", "summary", note)
	if cfg.Site != "" {
		// The site is a view of the database: a failed build loses nothing,
		// and the next night builds again.
		st, err := site.Build(local, db, cfg.Site, site.Options{ReadArchived: archiveReader(cfg.Archive), Log: log})
		if err != nil {
			log.Error("site build failed", "dir", cfg.Site, "err", err)
		} else {
			log.Info("site built", "dir", cfg.Site, "pages", st.Pages, "written", st.Written, "took", st.Took.Round(time.Millisecond))
		}
	}
	return crawlErr
}

// lockArchive takes an exclusive lock so two schedulers never crawl the
// same archive at once.
func lockArchive(dir string) (func(), error) {
	a, err := archive.Open(dir, archive.Options{})
	if err != nil {
		return nil, err
	}
	unlock, err := a.LockSchedule()
	if errors.Is(err, archive.ErrBusy) {
		return nil, fmt.Errorf("another nianbao schedule is running on %s; stop it first", dir)
	}
	return unlock, err
}
