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

-- include: t3_cells

labels as (
    select *
    from (
        values
        ('natural', '自然人'),
        ('commercial', '商业企业'),
        ('research', '科研机构'),
        ('social', '社会公益组织'),
        ('legal', '法律服务机构'),
        ('other', '其他'),
        ('total', '总计'),
        ('legal_subtotal', '法人或其他组织小计')
    ) as l (col_code, label)
),

-- Codes compare as ENUM literals ('new'::cell_row_code, migration 004): a
-- plain 'new' would cast every cell's code to text.
-- A column the report never printed is all blank, 0 = 0: it cannot fail,
-- so grouping the printed cells is enough.
terms as (
    select
        t3.report_id,
        t3.col_code,
        max(case when t3.row_code = 'new'::cell_row_code then t3.value end)
            as new_v,
        max(
            case
                when t3.row_code = 'carried_in'::cell_row_code then t3.value
            end
        ) as in_v,
        max(
            case
                when t3.row_code = 'result_total'::cell_row_code then t3.value
            end
        ) as total_v,
        max(
            case
                when t3.row_code = 'carried_out'::cell_row_code then t3.value
            end
        ) as out_v
    from t3
    where t3.row_code in (
        'new'::cell_row_code, 'carried_in'::cell_row_code,
        'result_total'::cell_row_code, 'carried_out'::cell_row_code
    )
    group by t3.report_id, t3.col_code
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
        cast(s.lhs as decimal(18, 4)) as expected,
        cast(s.rhs as decimal(18, 4)) as actual,
        case
            when (s.lhs < s.rhs and s.lhs_blank)
                or (s.rhs < s.lhs and s.rhs_blank) then 'uncertain'
            else 'error'
        end as severity,
        '一+二 = (七)总计+四 for ' || coalesce(l.label, s.col_code) || ': '
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
    left join labels as l on l.col_code = s.col_code
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
