package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
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
	Region string   // region_code prefix ("4107" = all of new 新乡); "" = all
	// Thresholds override rules' severities, by rule name (the config's
	// rules section); a rule not named keeps its check's own.
	Thresholds map[string]Threshold
}

// Threshold is one rule's severity and thresholds, dbt-style (see
// config.Rule): a failure whose |difference| (On "difference") or whose
// rule's failure count in the run (On "count") meets ErrorIf is an error,
// else one meeting WarnIf a warning, else it passes and is not stored.
// Severity "warn" turns the rule's errors into warnings. Conditions are
// an operator (> >= < <= = !=) and a decimal, already validated.
type Threshold struct {
	Severity          string
	On                string
	WarnOp, WarnVal   string
	ErrorOp, ErrorVal string
}

// CheckColumns is the shape every check query returns and [DB.Check] reports.
var CheckColumns = []string{
	"report_id", "agency", "year", "rule", "table_code", "row_code",
	"col_code", "expected", "actual", "difference", "severity", "detail",
	"source",
}

// FlagColumns are the columns [DB.Check] returns: [CheckColumns], then
// who could have caused the flag (attribution source or extraction_doubt,
// and the doubtful cells), the flag's fingerprint and its acknowledgement
// (confirmed, false_alarm or NULL).
var FlagColumns = append(append([]string{}, CheckColumns...), "attribution", "doubtful_cells", "fingerprint", "ack")

// Check runs the check queries over the latest reports, stores their
// failing rows in check_results under a new check_runs row (earlier runs'
// rows are kept: flag_changes compares them) and returns the failures in
// [FlagColumns] order, sorted by agency, year, rule and cell. Zero rows
// means every report passed. On a read-only database nothing is stored.
// Storing is one transaction.
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
	flags, err := applyThresholds(enrichFlags(unionChecks(checks)), opts.Thresholds)
	if err != nil {
		return nil, err
	}
	if db.opts.ReadOnly {
		res, err := db.Query(ctx, flags+checkOrder, args...)
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
	var run int64
	if err := tx.QueryRowContext(ctx, `insert into check_runs (checked_at, rules, year, region)
		values ($checked_at, $rules, cast($year as integer), cast($region as varchar)) returning id`,
		append(args, sql.Named("checked_at", now), sql.Named("rules", rules))...).Scan(&run); err != nil {
		return nil, fmt.Errorf("check %s: record the run: %w", db.Path, err)
	}
	if _, err := tx.ExecContext(ctx, insertChecks+"(\n"+flags+"\n) as f", append(args, sql.Named("checked_at", now), sql.Named("run", run))...); err != nil {
		return nil, fmt.Errorf("check %s: store results: %w", db.Path, err)
	}
	if _, err := tx.ExecContext(ctx, `update check_runs set failures = (select count(*) from check_results where run_id = $run) where id = $run`, sql.Named("run", run)); err != nil {
		return nil, fmt.Errorf("check %s: count results: %w", db.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("check %s: store results: %w", db.Path, err)
	}
	res, err := db.Query(ctx, readChecks+checkOrder, sql.Named("run", run))
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

var thresholdOps = map[string]bool{">": true, ">=": true, "<": true, "<=": true, "=": true, "!=": true}

// applyThresholds wraps the enriched flags so that each rule with a
// Threshold gets its severity from it; failures that pass are dropped.
func applyThresholds(flags string, th map[string]Threshold) (string, error) {
	if len(th) == 0 {
		return flags, nil
	}
	names := make([]string, 0, len(th))
	for n := range th {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("case")
	for _, name := range names {
		t := th[name]
		x := "abs(e.difference)"
		if t.On == "count" {
			x = "e.rule_failures"
		}
		cond := func(op, val string) (string, error) {
			if !thresholdOps[op] {
				return "", fmt.Errorf("check: rule %s: threshold operator %q", name, op)
			}
			if _, err := strconv.ParseFloat(val, 64); err != nil {
				return "", fmt.Errorf("check: rule %s: threshold %q is not a number", name, val)
			}
			return fmt.Sprintf("%s %s cast('%s' as decimal(38, 6))", x, op, val), nil
		}
		errorSev := "'error'"
		if t.Severity == "warn" {
			errorSev = "'warn'"
		}
		fmt.Fprintf(&b, "\n    when e.rule = '%s' and e.severity in ('error', 'warn') then case", strings.ReplaceAll(name, "'", "''"))
		if t.ErrorOp == "" && t.WarnOp == "" {
			fmt.Fprintf(&b, " when e.severity = 'error' then %s else e.severity end", errorSev)
			continue
		}
		fmt.Fprintf(&b, " when %s is null then e.severity", x)
		if t.ErrorOp != "" {
			c, err := cond(t.ErrorOp, t.ErrorVal)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, " when %s then %s", c, errorSev)
		}
		if t.WarnOp != "" {
			c, err := cond(t.WarnOp, t.WarnVal)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, " when %s then 'warn'", c)
		}
		b.WriteString(" else 'pass' end")
	}
	b.WriteString("\n    else e.severity\nend")
	return `select * from (
select e.* exclude (rule_failures) replace (` + b.String() + ` as severity)
from (
    select f.*, count(*) filter (where f.severity in ('error', 'warn')) over (partition by f.rule) as rule_failures
    from (
` + flags + `
    ) as f
) as e
) where severity <> 'pass'`, nil
}

// enrichFlags adds to the check rows of union who could have caused each
// (attribution, from the cells' doubts: see flagCells), its fingerprint
// and its acknowledgement.
func enrichFlags(union string) string {
	return `with flags as (
    select
        f.*,
        md5(concat_ws('|',
            coalesce(cast(r.agency_id as varchar), f.agency, ''),
            coalesce(cast(f.year as varchar), ''),
            f.rule,
            coalesce(f.table_code, ''), coalesce(f.row_code, ''), coalesce(f.col_code, ''),
            coalesce(cast(f.expected as varchar), '∅'), coalesce(cast(f.actual as varchar), '∅'),
            coalesce(f.detail, ''))) as fingerprint
    from (
` + union + `
    ) as f
    left join reports as r on r.id = f.report_id
),
doubtful as (
    select
        f.fingerprint,
        f.report_id,
        string_agg(c.table_code || '/' || c.row_code || '/' || c.col_code || ': ' || c.doubts, '; '
            order by c.table_code, c.row_code, c.col_code) as cells
    from flags as f
    join cells as c
        on c.report_id = f.report_id
        and c.doubts is not null
        and cast(c.table_code as varchar) = f.table_code
        and ` + flagCells + `
    group by f.fingerprint, f.report_id
)
select
    f.report_id, f.agency, f.year, f.rule, f.table_code, f.row_code, f.col_code,
    f.expected, f.actual, f.difference, f.severity, f.detail, f.source,
    case when d.cells is null then 'source' else 'extraction_doubt' end as attribution,
    d.cells as doubtful_cells,
    f.fingerprint,
    a.status as ack
from flags as f
left join doubtful as d on d.fingerprint = f.fingerprint and d.report_id = f.report_id
left join flag_acks as a on a.fingerprint = f.fingerprint`
}

// flagCells says which cells c a flag f involves: those its rule's
// identity adds up (the whole column of table 三 for i1 and i2, the whole
// row for i3 and legal_subtotal, the group of table 四 for i4), else the
// cells its row and column codes name ("a+b" names two; NULL any).
const flagCells = `case f.rule
            when 'i1_balance' then cast(c.col_code as varchar) = f.col_code
                and c.row_code in ('new', 'carried_in', 'result_total', 'carried_out')
            when 'i2_results' then cast(c.col_code as varchar) = f.col_code
                and c.row_code between 'granted'::cell_row_code and 'result_total'::cell_row_code
            when 'i3_total_column' then cast(c.row_code as varchar) = f.row_code
                and c.col_code between 'natural'::cell_col_code and 'total'::cell_col_code
            when 'legal_subtotal' then cast(c.row_code as varchar) = f.row_code
                and (c.col_code between 'commercial'::cell_col_code and 'other'::cell_col_code
                    or c.col_code = 'legal_subtotal')
            when 'i4_review_suit' then starts_with(cast(c.col_code as varchar), split_part(f.col_code, '.', 1) || '.')
            else (f.row_code is null or list_contains(string_split(f.row_code, '+'), cast(c.row_code as varchar)))
                and (f.col_code is null or list_contains(string_split(f.col_code, '+'), cast(c.col_code as varchar)))
        end`

const insertChecks = `
insert into check_results (
    checked_at, run_id, report_id, agency, year, rule, table_code, row_code,
    col_code, expected, actual, severity, detail, source, attribution,
    doubtful_cells, fingerprint
)
select
    $checked_at, $run, report_id, agency, year, rule, table_code, row_code,
    col_code, expected, actual, severity, detail, source, attribution,
    doubtful_cells, fingerprint
from `

const readChecks = `
select
    k.report_id, k.agency, k.year, k.rule, k.table_code, k.row_code, k.col_code,
    k.expected, k.actual, k.actual - k.expected as difference, k.severity, k.detail,
    k.source, k.attribution, k.doubtful_cells, k.fingerprint, a.status as ack
from check_results as k
left join flag_acks as a on a.fingerprint = k.fingerprint
where k.run_id = $run`
