package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/queries"
)

// CheckOptions narrow [DB.Check]. The zero value runs every check over every
// latest report.
type CheckOptions struct {
	Rules  []string // check names (queries of kind "check"); empty = all
	Year   int      // statistical year; 0 = all years
	Region string   // region_code prefix ("4107" = all of 新乡); "" = all
}

// CheckColumns is the shape every check query returns and [DB.Check] reports.
var CheckColumns = []string{
	"report_id", "agency", "year", "rule", "table_code", "row_code",
	"col_code", "expected", "actual", "difference", "severity", "detail",
	"source",
}

// Check runs the check queries over latest_reports, stores their failing
// rows in check_results (first deleting the rows earlier runs stored for the
// same rules, year and region, so a re-run replaces them) and returns the
// failures in [CheckColumns] order, sorted by agency, year, rule and cell.
// Zero rows means every report passed. On a read-only database nothing is
// stored. Storing is one transaction.
func (db *DB) Check(ctx context.Context, opts CheckOptions) (*Result, error) {
	checks, err := pickChecks(opts.Rules)
	if err != nil {
		return nil, err
	}
	var year, region any
	if opts.Year != 0 {
		year = strconv.Itoa(opts.Year)
	}
	if opts.Region != "" {
		region = opts.Region
	}
	if err := db.RefreshFacts(ctx); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	args := []any{sql.Named("year", year), sql.Named("region", region)}
	union := unionChecks(checks)
	if db.opts.ReadOnly {
		res, err := db.Query(ctx, "select * from (\n"+union+"\n) as f\n"+checkOrder, args...)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", db.Path, err)
		}
		return res, nil
	}

	// DuckDB keeps microseconds; truncating lets the stored value match.
	now := db.opts.Now().UTC().Truncate(time.Microsecond)
	rules := make([]string, len(checks))
	for i, q := range checks {
		rules[i] = q.Name
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, deleteChecks, append(args, sql.Named("rules", rules))...); err != nil {
		return nil, fmt.Errorf("check %s: clear earlier results: %w", db.Path, err)
	}
	if _, err := tx.ExecContext(ctx, insertChecks+"(\n"+union+"\n) as f", append(args, sql.Named("checked_at", now))...); err != nil {
		return nil, fmt.Errorf("check %s: store results: %w", db.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("check %s: store results: %w", db.Path, err)
	}
	res, err := db.Query(ctx, readChecks+checkOrder, sql.Named("checked_at", now), sql.Named("rules", rules))
	if err != nil {
		return nil, fmt.Errorf("check %s: read results: %w", db.Path, err)
	}
	return res, nil
}

func pickChecks(rules []string) ([]queries.Query, error) {
	if len(rules) == 0 {
		var all []queries.Query
		for _, q := range queries.All() {
			if q.Kind == queries.KindCheck {
				all = append(all, q)
			}
		}
		return all, nil
	}
	var qs []queries.Query
	seen := map[string]bool{}
	for _, r := range rules {
		q, ok := queries.Get(r)
		if !ok || q.Kind != queries.KindCheck {
			return nil, fmt.Errorf("check: no rule %q; valid rules: %s", r, strings.Join(queries.Names(queries.KindCheck), ", "))
		}
		if !seen[r] {
			seen[r] = true
			qs = append(qs, q)
		}
	}
	return qs, nil
}

// unionChecks joins the check files into one statement; each declares the
// parameters year and region, bound once by name.
func unionChecks(checks []queries.Query) string {
	parts := make([]string, len(checks))
	for i, q := range checks {
		body := strings.TrimSuffix(strings.TrimSpace(q.SQL), ";")
		parts[i] = "select * from (\n" + body + "\n)"
	}
	return strings.Join(parts, "\nunion all by name\n")
}

const checkOrder = `
order by agency, year, report_id, rule, table_code, row_code, col_code`

const deleteChecks = `
delete from check_results
where
    list_contains($rules, rule)
    and (cast($year as integer) is null or year = cast($year as integer))
    and (
        cast($region as varchar) is null
        or report_id in (
            select r.id
            from reports as r
            where starts_with(r.region_code, cast($region as varchar))
        )
    )`

const insertChecks = `
insert into check_results (
    checked_at, report_id, agency, year, rule, table_code, row_code,
    col_code, expected, actual, severity, detail, source
)
select
    $checked_at, report_id, agency, year, rule, table_code, row_code,
    col_code, expected, actual, severity, detail, source
from `

const readChecks = `
select
    report_id, agency, year, rule, table_code, row_code, col_code,
    expected, actual, actual - expected as difference, severity, detail,
    source
from check_results
where checked_at = $checked_at and list_contains($rules, rule)`
