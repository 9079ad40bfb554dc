package warehouse

import (
	"context"
	"path/filepath"
	"testing"
)

func TestOpenMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `select count(*) from information_schema.tables where table_name in ('portals','crawl_runs','pages','reports','cells','check_results')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("tables after Open = %d; want 6", n)
	}
	db.Close()
	// A second open is a no-op migration.
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}
