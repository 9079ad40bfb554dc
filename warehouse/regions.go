package warehouse

import (
	"context"
	"fmt"

	"github.com/nianbao/nianbao/regions"
)

// syncRegions refills the regions table from [regions.All], the data the
// CLI resolves --region with and the loader derives regions from, so the
// two cannot drift. It runs at every read-write open; a file already in
// sync costs one query.
func (db *DB) syncRegions(ctx context.Context) error {
	all := regions.All()
	var have int
	var haveNames string
	if err := db.SQL.QueryRowContext(ctx, `select count(*), coalesce(md5(string_agg(code || name || coalesce(parent_code, ''), ',' order by code)), '') from regions`).Scan(&have, &haveNames); err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	n := len(all)
	codes, names, fulls, shorts, levels, parents, prefixes, provinces, cities :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, r := range all {
		codes[i], names[i], fulls[i], shorts[i], levels[i], parents[i], prefixes[i] =
			r.Code, r.Name, r.FullName(), r.Short, r.Level, r.Parent, r.Prefix()
		for _, a := range regions.Chain(r.Code) {
			switch a.Level {
			case regions.LevelProvince:
				provinces[i] = a.Code
			case regions.LevelCity:
				cities[i] = a.Code
			}
		}
	}
	var want string
	if err := db.SQL.QueryRowContext(ctx, `select md5(string_agg(c || n || p, ',' order by c))
		from (select unnest(?::varchar[]) as c, unnest(?::varchar[]) as n, unnest(?::varchar[]) as p)`,
		codes, names, parents).Scan(&want); err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	if have == n && haveNames == want {
		return nil
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `delete from regions`); err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	if _, err := tx.ExecContext(ctx, `insert into regions
		select unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), nullif(unnest(?::varchar[]), ''),
			unnest(?::varchar[]), nullif(unnest(?::varchar[]), ''), unnest(?::varchar[]), unnest(?::varchar[]),
			nullif(unnest(?::varchar[]), '')`,
		codes, names, fulls, shorts, levels, parents, prefixes, provinces, cities); err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync regions of %s: %w", db.Path, err)
	}
	return nil
}
