package warehouse

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Options configure [Open]. The zero value opens read-write and migrates.
type Options struct {
	// ReadOnly opens the file with DuckDB's access_mode=read_only; no
	// migration is run and every write is refused by DuckDB.
	ReadOnly bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MemoryLimit caps DuckDB's memory, in DuckDB's syntax ("3GB"); ""
	// leaves DuckDB's default (80% of RAM). Larger work spills to disk.
	MemoryLimit string
	// Log receives progress of long work (rebuilding the derived tables of
	// a large upgraded file); nil discards it.
	Log *slog.Logger
	// LockWait is how long Open waits, trying again every lockPoll, while
	// another process holds the file (DuckDB gives a file to one writer or
	// to readers, never both): 0 fails at once with ErrLocked. The nightly
	// pipeline waits, so a researcher's query at cron time delays the night
	// instead of failing it.
	LockWait time.Duration
}

// DB is an open nianbao database file. It is safe for concurrent use.
type DB struct {
	Path string
	SQL  *sql.DB
	opts Options
	// loadMu serialises LoadReports: two concurrent loads of the same bytes
	// would otherwise both find them new. (Other processes cannot write:
	// DuckDB gives one process the file.)
	loadMu sync.Mutex
}

// Open opens (creating if needed) the DuckDB file at path and brings its
// schema up to date.
//
// A new file is created and migrated under a temporary name beside path
// and linked into place only once it is complete and checkpointed: a
// process killed while creating a database leaves no file at path (at most
// a stale temporary, removed by the next create), never a file DuckDB
// cannot open again.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	deadline := time.Now().Add(opts.LockWait)
	for waited := false; ; waited = true {
		db, err := openOrCreate(ctx, path, opts)
		if err == nil || !errors.Is(err, ErrLocked) || !time.Now().Before(deadline) {
			if err == nil && waited {
				opts.Log.Info("database free again", "path", path)
			}
			return db, err
		}
		if !waited {
			opts.Log.Warn("database in use by another process (a reader such as nianbao sql, DuckDB or Python); waiting for it",
				"path", path, "up_to", opts.LockWait.String(), "err", err)
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(lockPoll):
		}
	}
}

// lockPoll is how often Open tries again a file another process holds.
const lockPoll = 250 * time.Millisecond

func openOrCreate(ctx context.Context, path string, opts Options) (*DB, error) {
	if !opts.ReadOnly {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if err := create(ctx, path, opts); err != nil {
				return nil, err
			}
		}
	}
	return openFile(ctx, path, opts)
}

// create makes a complete new database file at path (see Open).
func create(ctx context.Context, path string, opts Options) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	removeStaleTemporaries(path)
	tmp := fmt.Sprintf("%s%s%d", path, creatingSuffix, os.Getpid())
	os.Remove(tmp)
	os.Remove(tmp + ".wal")
	db, err := openFile(ctx, tmp, opts)
	if err != nil {
		os.Remove(tmp)
		os.Remove(tmp + ".wal")
		return fmt.Errorf("create database %s: %w", path, err)
	}
	if _, err := db.SQL.ExecContext(ctx, "checkpoint"); err != nil {
		db.Close()
		return fmt.Errorf("create database %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if _, err := os.Stat(tmp + ".wal"); err == nil {
		return fmt.Errorf("create database %s: %s.wal left after checkpoint", path, tmp)
	}
	// A link never replaces a file another process created meanwhile.
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return nil
}

// creatingSuffix names a database being created: path + suffix + pid.
const creatingSuffix = ".creating-"

// removeStaleTemporaries removes what creates killed before finishing left.
func removeStaleTemporaries(path string) {
	matches, _ := filepath.Glob(path + creatingSuffix + "*")
	for _, m := range matches {
		pid, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m, path+creatingSuffix), ".wal"))
		if err == nil && pid != os.Getpid() && !processAlive(pid) {
			os.Remove(m)
		}
	}
}

func openFile(ctx context.Context, path string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	params := url.Values{}
	if opts.MemoryLimit != "" {
		params.Set("memory_limit", opts.MemoryLimit)
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		params.Set("access_mode", "read_only")
	}
	dsn := path
	if len(params) > 0 {
		dsn += "?" + params.Encode()
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	connector, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, openError(path, err)
	}
	var sqldb *sql.DB
	if opts.ReadOnly {
		sqldb = sql.OpenDB(readOnlyConnector{inner: connector, path: path})
	} else {
		sqldb = sql.OpenDB(connector)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, openError(path, err)
	}
	db := &DB{Path: path, SQL: sqldb, opts: opts}
	if opts.ReadOnly {
		// A read-only open cannot migrate: an older file must be upgraded by
		// a command that writes before queries written for this schema run.
		if err := db.checkSchemaCurrent(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
	}
	if !opts.ReadOnly {
		if err := db.migrate(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
		if err := db.markStaleRuns(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
		if err := db.syncCodebook(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
		if err := db.syncRegions(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
		if err := db.RefreshFacts(ctx); err != nil {
			sqldb.Close()
			return nil, err
		}
	}
	return db, nil
}

// ErrOutdated reports a database file whose schema is older than this
// nianbao's, opened read-only so it could not be upgraded.
var ErrOutdated = errors.New("warehouse: database schema is older than this nianbao")

// OutdatedError says which schema a file has and how to upgrade it.
type OutdatedError struct {
	Path       string
	Have, Want int
	NotOurs    bool // the file has no nianbao schema at all
}

func (e *OutdatedError) Error() string {
	if e.NotOurs {
		return fmt.Sprintf("database %s is not a nianbao database (no schema_migrations table)", e.Path)
	}
	return fmt.Sprintf("database %s has schema version %d; this nianbao needs %d", e.Path, e.Have, e.Want)
}

func (e *OutdatedError) Unwrap() error { return ErrOutdated }

// Hint tells the user how to upgrade the file.
func (e *OutdatedError) Hint() string {
	if e.NotOurs {
		return "point --db at a file made by nianbao"
	}
	return "nianbao check --db " + e.Path + " (any command that writes upgrades the file in place, keeping every row)"
}

func (db *DB) checkSchemaCurrent(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	want := ms[len(ms)-1].version
	var have int
	if err := db.SQL.QueryRowContext(ctx, `select coalesce(max(version), 0) from schema_migrations`).Scan(&have); err != nil {
		return &OutdatedError{Path: db.Path, Want: want, NotOurs: true}
	}
	if have < want {
		return &OutdatedError{Path: db.Path, Have: have, Want: want}
	}
	return nil
}

// Close closes the database file.
func (db *DB) Close() error {
	// Reports written with plain SQL get their facts (facts.go) before the
	// file is released, so a later read-only open sees them.
	ctx := context.Background()
	var err error
	if db.SQL.PingContext(ctx) == nil { // not closed already
		err = db.RefreshFacts(ctx)
	}
	return errors.Join(err, db.SQL.Close())
}

// openError turns DuckDB's lock conflict into a message a researcher can act
// on, naming the file and, when DuckDB says, the process holding it.
func openError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock") {
		holder := ""
		if _, after, ok := strings.Cut(msg, "(PID "); ok {
			if pid, _, ok := strings.Cut(after, ")"); ok {
				holder = " (PID " + pid + ")"
			}
		}
		return fmt.Errorf("database %s is in use by another process%s: a nianbao crawl, import or schedule writing it, or a reader (nianbao sql, DuckDB, Python) holding it open; try again when it finishes: %w", path, holder, ErrLocked)
	}
	if strings.Contains(msg, "replaying WAL") || strings.Contains(msg, "replay WAL") {
		return hintError{
			err:  fmt.Errorf("database %s cannot be opened: its write-ahead log %s.wal cannot be replayed (a process writing it was killed): %w", path, path, ErrBrokenWAL),
			hint: fmt.Sprintf("mv %s.wal %s.wal.broken   (opens the file as of its last checkpoint; the last unfinished work is lost, run it again)", path, path),
		}
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// ErrBrokenWAL reports a database whose write-ahead log DuckDB cannot
// replay.
var ErrBrokenWAL = errors.New("unreplayable write-ahead log")

// hintError is an error with the command that fixes it (main prints it as
// "Try: …").
type hintError struct {
	err  error
	hint string
}

func (h hintError) Error() string { return h.err.Error() }
func (h hintError) Unwrap() error { return h.err }
func (h hintError) Hint() string  { return h.hint }

// ErrNotDatabase reports a file that exists but is not a DuckDB database
// (a typo'd --db naming a page, a CSV, an export).
var ErrNotDatabase = errors.New("not a DuckDB database file")

// duckdbMagic sits at byte 8 of every DuckDB database file.
const duckdbMagic = "DUCK"

// checkHeader refuses a non-empty file without DuckDB's magic bytes, before
// the driver opens it: its own message is an IO error with internals.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // missing: created (or refused) by the caller's mode
	}
	defer f.Close()
	head := make([]byte, 12)
	n, _ := io.ReadFull(f, head)
	if n == 0 {
		return nil // empty: DuckDB makes a new database in it
	}
	if n < len(head) || string(head[8:12]) != duckdbMagic {
		return ErrNotDatabase
	}
	return nil
}

// ErrLocked reports that another process holds the database's write lock.
var ErrLocked = errors.New("warehouse: database locked by another process")

// ErrReadOnly reports a write attempted on a database opened with
// [Options.ReadOnly], as `nianbao sql` does.
var ErrReadOnly = errors.New("database opened read-only: nianbao sql does not modify data")

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with NNN_", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies every migration newer than the file's schema version, each
// in its own transaction, so an older file is upgraded in place.
func (db *DB) migrate(ctx context.Context) error {
	return db.migrateTo(ctx, 1<<30)
}

func (db *DB) migrateTo(ctx context.Context, target int) error {
	if _, err := db.SQL.ExecContext(ctx, `create table if not exists schema_migrations (
		version integer primary key, name varchar, applied_at timestamp)`); err != nil {
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	var current int
	if err := db.SQL.QueryRowContext(ctx, `select coalesce(max(version), 0) from schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate %s: %w", db.Path, err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current || m.version > target {
			continue
		}
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s to %s: %w", db.Path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to %s: %w", db.Path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `insert into schema_migrations values (?, ?, ?)`, m.version, m.name, db.opts.Now()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to %s: %w", db.Path, m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s to %s: %w", db.Path, m.name, err)
		}
	}
	return nil
}
