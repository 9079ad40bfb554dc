package warehouse

import (
	"context"
	"fmt"
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
	err := db.SQL.QueryRowContext(ctx, `insert into crawl_runs (kind, started_at, status, portals)
		values (?, ?, ?, ?) returning id`, kind, db.opts.Now(), RunRunning, nonNil(portals)).Scan(&id)
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

// nonNil makes a nil list an empty one, so DuckDB stores [] rather than NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
