-- name: stock_roll_forward
-- kind: check
-- description: Table 二 (2021 format), 规章 and 行政规范性文件: 现行有效件数 =
--   last year's 现行有效件数 + 本年制发件数 − 本年废止件数 (a heuristic:
--   amendments break it; warn).
-- params: year: statistical year of the later report (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and row (rules, normative) that does not roll
--   forward; expected = last year's in_force + made − repealed (blanks as
--   0), actual = this year's in_force. Needs both years' in_force printed.

with
-- include: check_scope

-- include: previous_year

-- Table 二's rows 规章 and 行政规范性文件 (t2_rows, migration 006) of
-- both years.
t2 as (
    select
        t.report_id,
        t.row_code,
        t.made,
        t.repealed,
        t.in_force
    from t2_rows as t
    where
        t.row_code in ('rules'::cell_row_code, 'normative'::cell_row_code)
        and (
            t.report_id in (select pairs.report_id from pairs)
            or t.report_id in (select pairs.prev_id from pairs)
        )
),

compared as (
    select
        p.report_id,
        this.row_code,
        prev.in_force as prev_in_force,
        this.made,
        this.repealed,
        this.in_force,
        prev.in_force + coalesce(this.made, 0)
        - coalesce(this.repealed, 0) as rolled
    from pairs as p
    inner join t2 as this on this.report_id = p.report_id
    inner join t2 as prev
        on prev.report_id = p.prev_id and prev.row_code = this.row_code
    where this.in_force is not null and prev.in_force is not null
),

failing as (
    select
        c.report_id,
        'stock_roll_forward' as rule,
        't2' as table_code,
        c.row_code,
        'in_force' as col_code,
        cast(c.rolled as decimal(18, 6)) as expected,
        cast(c.in_force as decimal(18, 6)) as actual,
        'warn' as severity,
        '现行有效 = 上年现行有效+本年制发−本年废止 for ' || c.row_code || ': '
        || regexp_replace(cast(c.in_force as varchar), '\.?0+$', '')
        || ' ≠ '
        || regexp_replace(cast(c.prev_in_force as varchar), '\.?0+$', '')
        || '+'
        || coalesce(
            regexp_replace(cast(c.made as varchar), '\.?0+$', ''), '空'
        )
        || '−'
        || coalesce(
            regexp_replace(cast(c.repealed as varchar), '\.?0+$', ''), '空'
        ) as detail
    from compared as c
    where c.rolled != c.in_force
)

-- include: check_output
