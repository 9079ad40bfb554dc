-- name: carry_over
-- kind: check
-- description: Across years, same agency: this year's 二、上年结转 = last
--   year's 四、结转下年度继续办理, per column of table 三 (a heuristic: warn).
-- params: year: statistical year of the later report (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and column whose carried_in differs from the
--   previous year's carried_out (blanks as 0); expected = last year's
--   carried_out, actual = this year's carried_in. Needs both years' latest
--   reports.

with
-- include: check_scope

-- include: previous_year

this_year as (
    select
        c.report_id,
        c.col_code,
        c.value
    from cells as c
    where
        c.table_code = 't3'::cell_table_code
        and c.row_code = 'carried_in'::cell_row_code
        and c.report_id in (select pairs.report_id from pairs)
),

last_year as (
    select
        c.report_id,
        c.col_code,
        c.value
    from cells as c
    where
        c.table_code = 't3'::cell_table_code
        and c.row_code = 'carried_out'::cell_row_code
        and c.report_id in (select pairs.prev_id from pairs)
),

-- Columns printed in either year, for pairs where both rows exist.
report_columns as (
    select
        p.report_id,
        p.prev_id,
        p.prev_year,
        t.col_code
    from pairs as p
    inner join this_year as t on t.report_id = p.report_id
    where exists (select 1 from last_year as l where l.report_id = p.prev_id)
    union
    select
        p.report_id,
        p.prev_id,
        p.prev_year,
        l.col_code
    from pairs as p
    inner join last_year as l on l.report_id = p.prev_id
    where
        exists (select 1 from this_year as t where t.report_id = p.report_id)
),

compared as (
    select
        k.report_id,
        k.prev_year,
        k.col_code,
        t.value as in_v,
        l.value as out_v
    from report_columns as k
    left join this_year as t
        on t.report_id = k.report_id and t.col_code = k.col_code
    left join last_year as l
        on l.report_id = k.prev_id and l.col_code = k.col_code
),

failing as (
    select
        c.report_id,
        'carry_over' as rule,
        't3' as table_code,
        'carried_in' as row_code,
        c.col_code,
        cast(coalesce(c.out_v, 0) as decimal(18, 4)) as expected,
        cast(coalesce(c.in_v, 0) as decimal(18, 4)) as actual,
        'warn' as severity,
        '二、上年结转 = ' || c.prev_year || '年 四、结转下年度 for '
        || c.col_code || ': '
        || coalesce(regexp_replace(cast(c.in_v as varchar), '\.?0+$', ''), '空')
        || ' ≠ '
        || coalesce(
            regexp_replace(cast(c.out_v as varchar), '\.?0+$', ''), '空'
        ) as detail
    from compared as c
    where coalesce(c.in_v, 0) != coalesce(c.out_v, 0)
)

-- include: check_output
