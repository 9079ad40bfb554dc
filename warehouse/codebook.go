package warehouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/extract"
)

// syncCodebook refills the codebook table from [extract.Codebook], the same
// source the extractor maps labels with, so the two cannot drift. It runs
// at every read-write open; a file already in sync is left untouched.
func (db *DB) syncCodebook(ctx context.Context) error {
	entries := extract.Codebook()
	var want strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&want, "%s\t%s\t%s\t%s\t%s\n", e.Kind, e.Table, e.Code, strings.Join(e.Formats, ","), e.Label)
	}
	var have string
	if err := db.SQL.QueryRowContext(ctx, `select coalesce(string_agg(
			concat_ws(chr(9), kind, table_code, code, formats, label) || chr(10), '' order by ordinal), '')
		from codebook`).Scan(&have); err != nil {
		return fmt.Errorf("sync codebook of %s: %w", db.Path, err)
	}
	if have == want.String() {
		return nil
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync codebook of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `delete from codebook`); err != nil {
		return fmt.Errorf("sync codebook of %s: %w", db.Path, err)
	}
	for i, e := range entries {
		if _, err := tx.ExecContext(ctx, `insert into codebook values (?, ?, ?, ?, ?, ?)`,
			e.Kind, e.Table, e.Code, strings.Join(e.Formats, ","), e.Label, i+1); err != nil {
			return fmt.Errorf("sync codebook of %s: %s %s: %w", db.Path, e.Table, e.Code, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync codebook of %s: %w", db.Path, err)
	}
	return nil
}
