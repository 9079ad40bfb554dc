package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/queries"
)

// The fact tables of migrations 006, 007 and 020 (report_facts, t3_rows,
// t3_cols, t4_facts, t2_rows, report_figures, indicator_facts) are derived from cells and
// reports. They are filled for every report that lacks them, and redone for
// a report whose agency_id changed since (the agencies backfill), by
// refreshFacts: inside LoadReports' transaction, and before a read-write
// Open, Run or Check returns, so reports written with plain SQL are
// covered too.

// factChunk bounds how many reports one pass pivots: the pass copies their
// cells into a temporary table, which must stay small next to memory_limit.
const factChunk = 20000

// factDB is what refreshFacts needs: a *sql.Conn or *sql.Tx, so that the
// temporary tables and the transaction are the caller's.
type factDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// refreshFacts fills the fact tables for the reports that lack them (or
// whose agency changed) and recomputes report_facts.is_latest for every
// agency and year those reports touch. It does nothing, cheaply, when the
// facts are current. Work of more than one chunk (a whole file after an
// upgrade) is logged chunk by chunk: it takes minutes at national scale.
func refreshFacts(ctx context.Context, db factDB, log *slog.Logger) error {
	stale, err := staleFactReports(ctx, db)
	if err != nil || len(stale) == 0 {
		return err
	}
	total, done := len(stale), 0
	if total > factChunk {
		log.Info("rebuilding derived tables (report_facts, t3_rows, t3_cols, t4_facts, t2_rows, report_figures, indicator_facts)", "reports", total)
	}
	for len(stale) > 0 {
		n := min(factChunk, len(stale))
		if err := refreshFactChunk(ctx, db, stale[:n]); err != nil {
			return err
		}
		stale, done = stale[n:], done+n
		if total > factChunk {
			log.Info("derived tables", "done", done, "of", total)
		}
	}
	for _, q := range []string{"drop table if exists temp.fact_todo", "drop table if exists temp.fact_parts"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("refresh facts: %w", err)
		}
	}
	return nil
}

// staleFactReports lists, in id order, the reports without a report_facts
// row or whose agency_id or latest_reports partition (agency, year) differs
// from the one their facts were made with (a correction changed it).
func staleFactReports(ctx context.Context, db factDB) ([]int64, error) {
	rows, err := db.QueryContext(ctx, `select r.id
		from reports as r
		left join report_facts as f on f.report_id = r.id
		where f.report_id is null or f.agency_id is distinct from r.agency_id
			-- a corrected year or agency moves the report to another partition
			or f.part_year <> coalesce(r.year, -1)
			or f.part_key <> coalesce(cast(r.agency_id as varchar), nullif(r.agency, ''), r.source)`)
	if err != nil {
		return nil, fmt.Errorf("refresh facts: find reports without facts: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("refresh facts: find reports without facts: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("refresh facts: find reports without facts: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// refreshFactChunk redoes the facts of the given reports (sorted ids). The
// id range lets DuckDB skip the row groups of cells outside it: freshly
// loaded reports have the newest ids.
func refreshFactChunk(ctx context.Context, db factDB, ids []int64) error {
	lo, hi := ids[0], ids[len(ids)-1]
	steps := []struct{ what, sql string }{
		{"list reports", factTodo},
		{"note old agencies and years", factOldParts},
		{"drop old facts", "delete from t3_rows where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from t3_cols where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from t4_facts where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from t2_rows where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from report_figures where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from report_facts where report_id in (select report_id from fact_todo where had_facts)"},
		{"drop old facts", "delete from indicator_facts where report_id in (select report_id from fact_todo where had_facts)"},
		{"fill t3_rows", fillT3Rows},
		{"fill t3_cols", fillT3Cols},
		{"fill t4_facts", fillT4Facts},
		{"fill t2_rows", fillT2Rows},
		{"fill report_figures", fillReportFigures},
		{"fill indicator_facts", fillIndicatorFacts},
		{"fill report_facts", fillReportFacts},
		{"find touched agencies and years", factNewParts},
		{"mark latest versions", markLatest},
	}
	for _, s := range steps {
		var args []any
		if strings.Contains(s.sql, "$ids") {
			args = append(args, sql.Named("ids", ids))
		}
		if strings.Contains(s.sql, "$dense") {
			args = append(args, sql.Named("dense", hi-lo+1 == int64(len(ids))))
		}
		if strings.Contains(s.sql, "$lo") {
			args = append(args, sql.Named("lo", lo), sql.Named("hi", hi))
		}
		if _, err := db.ExecContext(ctx, s.sql, args...); err != nil {
			return fmt.Errorf("refresh facts of reports %d…%d: %s: %w", lo, hi, s.what, err)
		}
	}
	return nil
}

// Statements name the parameters ids (the chunk) and lo, hi (its bounds).
const factTodo = `create or replace temp table fact_todo as
select
    r.id as report_id,
    f.report_id is not null as had_facts,
    f.part_key as old_key,
    f.part_year as old_year
from reports as r
left join report_facts as f on f.report_id = r.id
where r.id between $lo and $hi
    and r.id in (select unnest(cast($ids as bigint[])))`

// The cells of the chunk, read in place: the id range prunes cells' row
// groups (freshly loaded reports have the newest ids), and the semi-join is
// only needed when the chunk's ids are not contiguous.
const factCells = `(
    select c.report_id, c.table_code, c.row_code, c.col_code, c.value
    from cells as c
    where c.report_id between $lo and $hi
        and ($dense or c.report_id in (select fact_todo.report_id from fact_todo))
) as fact_cells`

const factOldParts = `create or replace temp table fact_parts as
select distinct old_key as part_key, old_year as part_year
from fact_todo
where had_facts`

// The partition of latest_reports (migration 002).
const fillReportFacts = `insert into report_facts
select
    r.id,
    r.agency_id,
    coalesce(cast(r.agency_id as varchar), nullif(r.agency, ''), r.source),
    coalesce(r.year, -1),
    false,
    coalesce(k.t2_cells, 0), coalesce(k.t2_blanks, 0),
    coalesce(k.t3_cells, 0), coalesce(k.t3_blanks, 0),
    coalesce(k.t4_cells, 0), coalesce(k.t4_blanks, 0),
    bn.t2_names, bn.t3_names, bn.t4_names,
    coalesce(se.sections, 0),
    se.numbers
from reports as r
left join (
    -- counted by the pivots, filled first: a few rows per report, not cells
    select
        report_id,
        sum(t2_cells) as t2_cells, sum(t2_blanks) as t2_blanks,
        sum(t3_cells) as t3_cells, sum(t3_blanks) as t3_blanks,
        sum(t4_cells) as t4_cells, sum(t4_blanks) as t4_blanks
    from (
        select report_id, cells as t2_cells, blanks as t2_blanks, 0 as t3_cells, 0 as t3_blanks, 0 as t4_cells, 0 as t4_blanks
        from t2_rows where report_id between $lo and $hi
        union all
        select report_id, 0, 0, cells, blanks, 0, 0
        from t3_rows where report_id between $lo and $hi
        union all
        select report_id, 0, 0, 0, 0, cells, blanks
        from t4_facts where report_id between $lo and $hi
    )
    group by report_id
) as k on k.report_id = r.id
left join (
    select
        report_id,
        max(case when table_code = 't2'::cell_table_code then names end) as t2_names,
        max(case when table_code = 't3'::cell_table_code then names end) as t3_names,
        max(case when table_code = 't4'::cell_table_code then names end) as t4_names
    from (
        select report_id, table_code,
            string_agg(row_code || '/' || col_code, ', ' order by row_code, col_code) as names
        from ` + factCells + `
        where value is null
        group by report_id, table_code
        having count(*) <= 20
    )
    group by report_id
) as bn on bn.report_id = r.id
left join (
    select report_id, count(*) as sections, list(distinct number order by number) as numbers
    from sections
    where report_id between $lo and $hi
    group by report_id
) as se on se.report_id = r.id
where r.id between $lo and $hi
    and r.id in (select fact_todo.report_id from fact_todo)`

// The pivots are built once from code lists (never written after).
var fillT3Rows = `insert into t3_rows
select
    report_id,
    row_code,
    ` + maxPerCode("col_code", "cell_col_code", "natural", "commercial", "research", "social", "legal", "other", "total", "legal_subtotal") + `,
    count(*),
    count(*) - count(value),
    count(case when col_code between 'natural'::cell_col_code and 'total'::cell_col_code then 1 end)
from ` + factCells + `
where table_code = 't3'::cell_table_code
group by report_id, row_code`

// ENUM order is the codebook's print order (migration 004): a range names
// the result rows.
var fillT3Cols = `insert into t3_cols
select
    report_id,
    col_code,
    ` + maxPerCode("row_code", "cell_row_code", "new", "carried_in", "result_total", "carried_out") + `,
    count(case when row_code in ('new'::cell_row_code, 'carried_in'::cell_row_code, 'result_total'::cell_row_code, 'carried_out'::cell_row_code) then 1 end),
    count(case when row_code between 'granted'::cell_row_code and 'result_total'::cell_row_code then 1 end),
    sum(case when row_code = 'granted'::cell_row_code then value end),
    sum(case when row_code = 'partial'::cell_row_code then value end),
    sum(case when row_code between 'denied.state_secret'::cell_row_code and 'denied.query'::cell_row_code then value end),
    sum(case when row_code between 'unable.no_info'::cell_row_code and 'unable.unclear'::cell_row_code then value end),
    sum(case when row_code between 'rejected.complaint'::cell_row_code and 'rejected.confirm'::cell_row_code then value end),
    sum(case when row_code between 'granted'::cell_row_code and 'rejected.confirm'::cell_row_code then value end),
    count(case when row_code between 'granted'::cell_row_code and 'rejected.confirm'::cell_row_code then value end),
    sum(case when row_code = 'other'::cell_row_code then value end),
    count(case when row_code = 'other'::cell_row_code then value end),
    sum(case when row_code between 'other.no_correction'::cell_row_code and 'other.other'::cell_row_code then value end),
    count(case when row_code between 'other.no_correction'::cell_row_code and 'other.other'::cell_row_code then value end),
    count(case when row_code between 'other.no_correction'::cell_row_code and 'other.other'::cell_row_code then 1 end),
    count(case when row_code in ('new'::cell_row_code, 'carried_in'::cell_row_code) then 1 end)
from ` + factCells + `
where table_code = 't3'::cell_table_code
group by report_id, col_code`

var fillT4Facts = `insert into t4_facts
select
    report_id,
    ` + maxPerCode("col_code", "cell_col_code", t4Columns...) + `,
    count(case when col_code between 'review.upheld'::cell_col_code and 'review.total'::cell_col_code then 1 end),
    count(case when col_code between 'suit_direct.upheld'::cell_col_code and 'suit_direct.total'::cell_col_code then 1 end),
    count(case when col_code between 'suit_after_review.upheld'::cell_col_code and 'suit_after_review.total'::cell_col_code then 1 end),
    count(case when col_code in ('review.total'::cell_col_code, 'suit_direct.total'::cell_col_code, 'suit_after_review.total'::cell_col_code) then 1 end),
    count(*),
    count(*) - count(value)
from ` + factCells + `
where table_code = 't4'::cell_table_code
group by report_id`

var fillT2Rows = `insert into t2_rows
select
    report_id,
    row_code,
    ` + maxPerCode("col_code", "cell_col_code", "made", "repealed", "in_force", "decisions", "amount_wan_yuan") + `,
    count(*),
    count(*) - count(value)
from ` + factCells + `
where table_code = 't2'::cell_table_code
group by report_id, row_code`

// The figures of trend and compare (migration 007), from the chunk's rows
// of the other fact tables: table 三's 总计 column, table 四, and four rows
// of table 二. suits and corrected add columns where one is printed.
const fillReportFigures = `insert into report_figures
select
    r.id,
    t3.new,
    t3.carried_in,
    t3.result_total,
    t3.granted,
    t3.partial,
    t3.denied,
    t3.unable,
    t3.rejected,
    t3.carried_out,
    t4.review_total,
    case
        when t4.suit_direct_total is not null or t4.suit_after_review_total is not null
            then coalesce(t4.suit_direct_total, 0) + coalesce(t4.suit_after_review_total, 0)
    end,
    case
        when t4.review_corrected is not null or t4.suit_direct_corrected is not null
            or t4.suit_after_review_corrected is not null
            then coalesce(t4.review_corrected, 0) + coalesce(t4.suit_direct_corrected, 0)
            + coalesce(t4.suit_after_review_corrected, 0)
    end,
    t2.licensing,
    t2.penalty,
    t2.coercion,
    t2.fees_wan_yuan
from reports as r
left join t3_cols as t3
    on t3.report_id = r.id and t3.col_code = 'total'::cell_col_code
    and t3.report_id between $lo and $hi
left join t4_facts as t4
    on t4.report_id = r.id and t4.report_id between $lo and $hi
left join (
    select
        report_id,
        max(case when row_code = 'licensing'::cell_row_code then decisions end) as licensing,
        max(case when row_code = 'penalty'::cell_row_code then decisions end) as penalty,
        max(case when row_code = 'coercion'::cell_row_code then decisions end) as coercion,
        max(case when row_code = 'fees'::cell_row_code then amount_wan_yuan end) as fees_wan_yuan
    from t2_rows
    where report_id between $lo and $hi
        and row_code in ('licensing'::cell_row_code, 'penalty'::cell_row_code,
            'coercion'::cell_row_code, 'fees'::cell_row_code)
    group by report_id
) as t2 on t2.report_id = r.id
where r.id between $lo and $hi
    and r.id in (select fact_todo.report_id from fact_todo)`

// The indicators of the chunk's reports (migration 020), computed by the
// files of queries/indicator/ over the fact tables just filled: their CTE
// scope is the chunk.
var fillIndicatorFacts = `insert into indicator_facts
with scope as (
    select r.id, r.agency_id, r.agency, r.region_code, r.year
    from reports as r
    where r.id between $lo and $hi
        and r.id in (select fact_todo.report_id from fact_todo)
)
` + queries.IndicatorFactsSQL()

// The agencies and years whose latest version may have changed: those of
// the refreshed reports, and those of any report sharing page bytes with
// them (the first capture of the bytes orders the versions).
const factNewParts = `insert into fact_parts
with shas as (
    select distinct r.page_sha256
    from reports as r
    where r.id between $lo and $hi
        and r.id in (select fact_todo.report_id from fact_todo)
)
select distinct f.part_key, f.part_year
from report_facts as f
join reports as r on r.id = f.report_id
where exists (
    select 1 from shas where shas.page_sha256 is not distinct from r.page_sha256
)`

// The ordering of latest_reports (migration 002), over the touched
// partitions only.
const markLatest = `update report_facts
set is_latest = w.latest
from (
    with cand as (
        select f.report_id, f.part_key, f.part_year, r.page_sha256, r.extracted_at
        from report_facts as f
        join reports as r on r.id = f.report_id
        where exists (
            select 1 from fact_parts as p
            where p.part_key is not distinct from f.part_key and p.part_year = f.part_year
        )
    ),
    firsts as (
        select r.page_sha256, min(coalesce(r.captured_at, r.extracted_at)) as first_captured_at
        from reports as r
        where exists (
            select 1 from cand where cand.page_sha256 is not distinct from r.page_sha256
        )
        group by r.page_sha256
    )
    select
        cand.report_id,
        row_number() over (
            partition by cand.part_key, cand.part_year
            order by fc.first_captured_at desc, cand.extracted_at desc, cand.report_id desc
        ) = 1 as latest
    from cand
    left join firsts as fc on fc.page_sha256 is not distinct from cand.page_sha256
) as w
where report_facts.report_id = w.report_id
    and report_facts.is_latest is distinct from w.latest
   `

// RefreshFacts brings the agencies (backfillAgencies: ids, canonical
// names, levels) and the fact tables up to date with reports and cells
// written by other means than [DB.LoadReports] (plain SQL, an older
// nianbao); LoadReports, Open, Run and Check call it themselves. It is a
// no-op on a read-only database.
func (db *DB) RefreshFacts(ctx context.Context) error {
	if db.opts.ReadOnly {
		return nil
	}
	db.loadMu.Lock()
	defer db.loadMu.Unlock()
	// A report's agency decides its facts' partition and its level the
	// deadline and the peers: agencies first.
	if err := db.backfillAgencies(ctx); err != nil {
		return err
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("refresh facts of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	if err := refreshFacts(ctx, tx, db.opts.Log); err != nil {
		return fmt.Errorf("%s: %w", db.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("refresh facts of %s: %w", db.Path, err)
	}
	return nil
}

// The fifteen columns of table 四, in t4_facts' column order.
var t4Columns = []string{
	"review.upheld", "review.corrected", "review.other", "review.pending", "review.total",
	"suit_direct.upheld", "suit_direct.corrected", "suit_direct.other", "suit_direct.pending", "suit_direct.total",
	"suit_after_review.upheld", "suit_after_review.corrected", "suit_after_review.other",
	"suit_after_review.pending", "suit_after_review.total",
}

// maxPerCode is the pivot's select list: one max(value) per code of the
// ENUM column codeCol (of type enum), in the order given.
func maxPerCode(codeCol, enum string, codes ...string) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("max(case when %s = '%s'::%s then value end)", codeCol, c, enum)
	}
	return strings.Join(parts, ",\n    ")
}
