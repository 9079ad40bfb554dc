-- name: report_tables
-- kind: report
-- description: Tables 二, 三 and 四 of reports as printed: every codebook
--   row and column of the report's format (or printed in it), in codebook
--   order, with the printed value, the blank cells and the failing checks.
-- params: report: report id, or ids separated by commas (empty = every
--   latest report);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report, table, row and column of the layout.
--   printed is false where the report has no such cell; printed with a
--   NULL value is a blank cell (raw keeps what was printed). rules and
--   flags name the stored check failures on the cell (rule: expected,
--   actual, difference). A failure naming a column but no row marks the
--   rows its identity is about: i1_balance 一, 二, （七）总计 and 四,
--   i2_results （七）总计. page and box say where a cell read from a PDF
--   or OFD is printed: the 1-based page and 'left,top,right,bottom' in
--   points from the page's top-left (NULL for other formats).

with params as (
    select
        cast($report as varchar) as report,
        list_transform(
            string_split(cast($report as varchar), ','),
            lambda x: try_cast(trim(x) as bigint)
        ) as ids,
        cast($region as varchar) as region
),

scope as (
    select
        r.id,
        r.format
    from reports as r
    inner join report_facts as lf on lf.report_id = r.id
    cross join params as p
    where
        (
            (p.report is null and lf.is_latest)
            -- a hash join on the ids: list_contains per row costs rows × ids
        or r.id in (select unnest(q.ids) from params as q)
        )
        and (p.region is null or starts_with(r.region_code, p.region))
),

report_cells as (
    select
        c.report_id,
        cast(c.table_code as varchar) as table_code,
        cast(c.row_code as varchar) as row_code,
        cast(c.col_code as varchar) as col_code,
        c.value,
        c.raw,
        c.unit,
        c.page,
        c.box
    from cells as c
    where c.report_id in (select s.id from scope as s)
),

-- A table is laid out when the report printed at least one of its cells.
tables as (
    select distinct
        rc.report_id,
        rc.table_code
    from report_cells as rc
),

-- Codebook lines of the report's format, and any line it printed anyway.
layout as (
    select
        t.report_id,
        t.table_code,
        cb.kind,
        cb.code,
        cb.label,
        cb.ordinal
    from tables as t
    inner join scope as s on s.id = t.report_id
    inner join codebook as cb on cb.table_code = t.table_code
    where
        list_contains(string_split(cb.formats, ','), s.format)
        or exists (
            select 1
            from report_cells as rc
            where
                rc.report_id = t.report_id
                and rc.table_code = t.table_code
                and (
                    (cb.kind = 'row' and rc.row_code = cb.code)
                    or (cb.kind = 'col' and rc.col_code = cb.code)
                )
        )
),

grid as (
    select
        r.report_id,
        r.table_code,
        r.code as row_code,
        r.label as row_label,
        r.ordinal as row_ordinal,
        c.code as col_code,
        c.label as col_label,
        c.ordinal as col_ordinal
    from layout as r
    inner join layout as c
        on
            c.report_id = r.report_id
            and c.table_code = r.table_code
            and c.kind = 'col'
    where r.kind = 'row'
),

-- Decimals printed without trailing zeros: 5.0000 → 5, 0.2500 → 0.25.
flags as (
    select
        g.report_id,
        g.table_code,
        g.row_code,
        g.col_code,
        string_agg(distinct f.rule, ', ' order by f.rule) as rules,
        string_agg(
            f.rule || ': expected '
            || coalesce(rtrim(rtrim(cast(f.expected as varchar), '0'), '.'),
                '—')
            || ', actual '
            || coalesce(rtrim(rtrim(cast(f.actual as varchar), '0'), '.'),
                '—')
            || ', difference '
            || coalesce(
                rtrim(rtrim(cast(f.difference as varchar), '0'), '.'), '—'),
            '; ' order by f.rule, f.detail
        ) as flags
    from grid as g
    inner join check_failures as f
        on
            f.report_id = g.report_id
            and f.table_code = g.table_code
            and (f.col_code is null or f.col_code = g.col_code)
            and (
                f.row_code = g.row_code
                or (
                    f.row_code is null and f.col_code is not null
                    and case f.rule
                        when 'i1_balance' then g.row_code in (
                            'new', 'carried_in', 'result_total',
                            'carried_out'
                        )
                        when 'i2_results' then g.row_code = 'result_total'
                        else false
                    end
                )
            )
    group by g.report_id, g.table_code, g.row_code, g.col_code
)

select
    g.report_id,
    g.table_code,
    g.row_code,
    g.row_label,
    g.col_code,
    g.col_label,
    rc.report_id is not null as printed,
    rc.value,
    rc.raw,
    rc.unit,
    rc.page,
    rc.box,
    fl.rules,
    fl.flags
from grid as g
left join report_cells as rc
    on
        rc.report_id = g.report_id
        and rc.table_code = g.table_code
        and rc.row_code = g.row_code
        and rc.col_code = g.col_code
left join flags as fl
    on
        fl.report_id = g.report_id
        and fl.table_code = g.table_code
        and fl.row_code = g.row_code
        and fl.col_code = g.col_code
order by g.report_id, g.table_code, g.row_ordinal, g.col_ordinal
