-- name: i1_balance
-- kind: check
-- description: Table 三, per column: 一 + 二 = （七）总计 + 四
--   (blanks read as 0).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per failing report and column; expected = 一+二,
--   actual = （七）总计+四; uncertain when a blank on the smaller side could
--   make it balance; not_assessable when table 三 is missing.

with
-- include: check_scope
-- include: labels

-- One row per report and printed column of table 三 (t3_cols, migration
-- 006). A column the report never printed is all blank, 0 = 0: it cannot
-- fail, so the printed columns are enough.
terms as (
    select
        c.report_id,
        c.col_code,
        c.new as new_v,
        c.carried_in as in_v,
        c.result_total as total_v,
        c.carried_out as out_v
    from t3_cols as c
    where
        c.balance_cells > 0
        and c.report_id in (select scope.id from scope)
),

sums as (
    select
        t.*,
        coalesce(t.new_v, 0) + coalesce(t.in_v, 0) as lhs,
        coalesce(t.total_v, 0) + coalesce(t.out_v, 0) as rhs,
        t.new_v is null or t.in_v is null as lhs_blank,
        t.total_v is null or t.out_v is null as rhs_blank
    from terms as t
),

broken as (
    select
        s.report_id,
        'i1_balance' as rule,
        't3' as table_code,
        cast(null as varchar) as row_code,
        s.col_code,
        cast(s.lhs as decimal(18, 6)) as expected,
        cast(s.rhs as decimal(18, 6)) as actual,
        case
            when (s.lhs < s.rhs and s.lhs_blank)
                or (s.rhs < s.lhs and s.rhs_blank) then 'uncertain'
            else 'error'
        end as severity,
        '一+二 = (七)总计+四, ' || coalesce(l.short || ' ', '')
        || '[' || s.col_code || ']: '
        || coalesce(
            regexp_replace(cast(s.new_v as varchar), '\.?0+$', ''), '空'
        )
        || '+'
        || coalesce(
            regexp_replace(cast(s.in_v as varchar), '\.?0+$', ''), '空'
        )
        || ' ≠ '
        || coalesce(
            regexp_replace(cast(s.total_v as varchar), '\.?0+$', ''), '空'
        )
        || '+'
        || coalesce(
            regexp_replace(cast(s.out_v as varchar), '\.?0+$', ''), '空'
        )
        as detail
    from sums as s
    left join labels as l
        on l.table_code = 't3' and l.kind = 'col' and l.code = s.col_code
    where s.lhs != s.rhs
),

needed as (
    select
        'i1_balance' as rule,
        't3' as table_code,
        '三' as label
),

needed_cells as (
    select terms.report_id
    from terms
),

-- include: not_assessable

-- include: check_output
