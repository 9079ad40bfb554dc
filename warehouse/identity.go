package warehouse

import (
	"context"
	"fmt"
)

// Unidentified is a report that lacks what comparisons group by.
type Unidentified struct {
	ReportID int64
	Source   string
	NoAgency bool
	NoYear   bool
}

// Unidentified lists, of the given reports, those stored without an
// agency or a statistical year (after corrections), in the order given;
// each report once.
func (db *DB) Unidentified(ctx context.Context, ids []int64) ([]Unidentified, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := db.SQL.QueryContext(ctx, `select id, source, coalesce(agency, '') = '', year is null
		from reports where id in (select unnest(?::bigint[]))
			and (coalesce(agency, '') = '' or year is null)`, ids)
	if err != nil {
		return nil, fmt.Errorf("find reports without agency or year: %w", err)
	}
	defer rows.Close()
	found := map[int64]Unidentified{}
	for rows.Next() {
		var u Unidentified
		if err := rows.Scan(&u.ReportID, &u.Source, &u.NoAgency, &u.NoYear); err != nil {
			return nil, fmt.Errorf("find reports without agency or year: %w", err)
		}
		found[u.ReportID] = u
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find reports without agency or year: %w", err)
	}
	var out []Unidentified
	for _, id := range ids {
		if u, ok := found[id]; ok {
			out = append(out, u)
			delete(found, id)
		}
	}
	return out, nil
}
