package warehouse

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Portal is one configured government portal, as upserted from the config.
type Portal struct {
	Name           string
	RegionCode     string // GB/T 2260 six-digit code
	Family         string // CMS family (portals.md §6), "" when unknown
	StartURLs      []string
	AllowedDomains []string
}

// RunStats are the counters recorded when a run finishes.
type RunStats struct {
	PagesFetched int
	ReportsAdded int
	Errors       int
	Note         string
}

// Run statuses recorded in crawl_runs.status.
const (
	RunRunning     = "running"
	RunOK          = "ok"
	RunInterrupted = "interrupted"
	RunFailed      = "failed"
	// RunPartial is a crawl (or a scheduled run) in which some hosts failed
	// or were skipped while backing off from earlier faults.
	RunPartial = "partial"
)

// Run kinds recorded in crawl_runs.kind.
const (
	RunKindCrawl    = "crawl"
	RunKindImport   = "import"
	RunKindExtract  = "extract"
	RunKindSchedule = "schedule"
	// RunKindArchive records pages of the archive's journals (a lost
	// database rebuilt by extract --from-archive or a first crawl).
	RunKindArchive = "archive"
)

// UpsertPortals inserts the portals or updates them by name, in one
// transaction. Portals missing from the list are kept: their pages and
// reports still refer to them.
func (db *DB) UpsertPortals(ctx context.Context, portals []Portal) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("upsert portals: %w", err)
	}
	defer tx.Rollback()
	now := db.opts.Now()
	for _, p := range portals {
		_, err := tx.ExecContext(ctx, `insert into portals
			(name, region_code, start_urls, allowed_domains, family, updated_at)
			values (?, ?, ?, ?, ?, ?)
			on conflict (name) do update set
				region_code = excluded.region_code,
				start_urls = excluded.start_urls,
				allowed_domains = excluded.allowed_domains,
				family = excluded.family,
				updated_at = excluded.updated_at`,
			p.Name, p.RegionCode, nonNil(p.StartURLs), nonNil(p.AllowedDomains), p.Family, now)
		if err != nil {
			return fmt.Errorf("upsert portal %s: %w", p.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("upsert portals: %w", err)
	}
	return nil
}

// BeginRun records the start of a run (kind: one of the RunKind*
// constants) over the named portals and returns its id.
func (db *DB) BeginRun(ctx context.Context, kind string, portals []string) (int64, error) {
	var id int64
	err := db.SQL.QueryRowContext(ctx, `insert into crawl_runs (kind, started_at, status, portals, pid, host)
		values (?, ?, ?, ?, ?, ?) returning id`, kind, db.opts.Now(), RunRunning, nonNil(portals), os.Getpid(), hostname()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("begin %s run: %w", kind, err)
	}
	return id, nil
}

// FinishRun records the end of run id with its status (RunOK, RunPartial,
// RunInterrupted, RunFailed) and counters.
func (db *DB) FinishRun(ctx context.Context, id int64, status string, s RunStats) error {
	res, err := db.SQL.ExecContext(ctx, `update crawl_runs set finished_at = ?, status = ?,
		pages_fetched = ?, reports_added = ?, errors = ?, note = ? where id = ?`,
		db.opts.Now(), status, s.PagesFetched, s.ReportsAdded, s.Errors, s.Note, id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish run %d: no such run", id)
	}
	return nil
}

// markStaleRuns marks interrupted every run still recorded running whose
// process is gone: it was killed before it could say so. A run of another
// host (a file on a shared disk) is left alone unless it has no owner (a
// file from before migration 015).
func (db *DB) markStaleRuns(ctx context.Context) error {
	rows, err := db.SQL.QueryContext(ctx, `select id, coalesce(pid, 0), coalesce(host, '') from crawl_runs where status = ?`, RunRunning)
	if err != nil {
		return fmt.Errorf("find unfinished runs in %s: %w", db.Path, err)
	}
	var stale []int64
	var pids []int
	me := hostname()
	for rows.Next() {
		var id int64
		var pid int
		var host string
		if err := rows.Scan(&id, &pid, &host); err != nil {
			rows.Close()
			return fmt.Errorf("find unfinished runs in %s: %w", db.Path, err)
		}
		if pid == 0 || (host == me && pid != os.Getpid() && !processAlive(pid)) {
			stale, pids = append(stale, id), append(pids, pid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find unfinished runs in %s: %w", db.Path, err)
	}
	for i, id := range stale {
		note := fmt.Sprintf("process %d ended without finishing the run (killed or crashed); marked when %s was next opened", pids[i], db.Path)
		if pids[i] == 0 {
			note = "the process ended without finishing the run; marked when the file was next opened"
		}
		if _, err := db.SQL.ExecContext(ctx, `update crawl_runs set status = ?, finished_at = ?,
			note = coalesce(note || '; ', '') || ? where id = ? and status = ?`,
			RunInterrupted, db.opts.Now(), note, id, RunRunning); err != nil {
			return fmt.Errorf("mark run %d interrupted: %w", id, err)
		}
	}
	return nil
}

// processAlive reports whether process pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// nonNil makes a nil list an empty one, so DuckDB stores [] rather than NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
