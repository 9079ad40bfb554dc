package warehouse

import (
	"context"
	"database/sql/driver"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// readOnlyConnector hands out connections whose write refusals read as
// [ErrReadOnly], so every path that runs SQL on a read-only database — the
// canned queries, `nianbao sql`, exports — says plainly why it failed.
type readOnlyConnector struct {
	inner *duckdb.Connector
	path  string
}

func (c readOnlyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &readOnlyConn{Conn: conn.(*duckdb.Conn), path: c.path}, nil
}

func (c readOnlyConnector) Driver() driver.Driver { return c.inner.Driver() }

// Close releases the DuckDB database when the sql.DB closes.
func (c readOnlyConnector) Close() error { return c.inner.Close() }

type readOnlyConn struct {
	*duckdb.Conn
	path string
}

func (c *readOnlyConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.ExecContext(ctx, query, args)
	return res, readOnlyError(c.path, err)
}

func (c *readOnlyConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, query, args)
	return rows, readOnlyError(c.path, err)
}

// readOnlyError replaces DuckDB's raw read-only refusal by [ErrReadOnly].
func readOnlyError(path string, err error) error {
	if err != nil && strings.Contains(err.Error(), "read-only mode") {
		return &readOnlyErr{path: path, raw: err}
	}
	return err
}

type readOnlyErr struct {
	path string
	raw  error
}

func (e *readOnlyErr) Error() string {
	return ErrReadOnly.Error() + " (" + e.path + " is open read-only; run crawl, extract or import to change it)"
}

func (e *readOnlyErr) Is(target error) bool { return target == ErrReadOnly }

func (e *readOnlyErr) Unwrap() error { return e.raw }

func (c *readOnlyConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	stmt, err := c.Conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, readOnlyError(c.path, err)
	}
	return &readOnlyStmt{Stmt: stmt.(*duckdb.Stmt), path: c.path}, nil
}

type readOnlyStmt struct {
	*duckdb.Stmt
	path string
}

func (s *readOnlyStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	res, err := s.Stmt.ExecContext(ctx, args)
	return res, readOnlyError(s.path, err)
}

func (s *readOnlyStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.QueryContext(ctx, args)
	return rows, readOnlyError(s.path, err)
}
