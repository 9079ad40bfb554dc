-- name: i3_total_column
-- kind: check
-- description: Table 三, per row: 总计 = 自然人 + the five 法人或其他组织
--   columns (blanks read as 0).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per failing report and row; expected = the sum of the six
--   applicant columns, actual = the printed 总计; uncertain when a blank on
--   the smaller side could make it balance; not_assessable when table 三 is
--   missing.

with
-- include: check_scope

-- include: t3_cells

-- Codes compare as ENUM literals (migration 004), not text.
-- Plain sums over CASE, not seven FILTERed aggregates: one pass, cheap at
-- national scale. A row without one of the six cells has a blank part.
sums as (
    select
        t3.report_id,
        t3.row_code,
        coalesce(sum(
            case when t3.col_code != 'total'::cell_col_code then t3.value end
        ), 0) as parts_sum,
        count(
            case when t3.col_code != 'total'::cell_col_code then t3.value end
        ) < 6 as parts_blank,
        max(
            case when t3.col_code = 'total'::cell_col_code then t3.value end
        ) as total_v
    from t3
    where t3.col_code in (
        'natural'::cell_col_code, 'commercial'::cell_col_code,
        'research'::cell_col_code, 'social'::cell_col_code,
        'legal'::cell_col_code, 'other'::cell_col_code,
        'total'::cell_col_code
    )
    group by t3.report_id, t3.row_code
),

unequal as (
    select
        s.*,
        coalesce(s.total_v, 0) as total
    from sums as s
    where s.parts_sum != coalesce(s.total_v, 0)
),

-- The cells of the unequal rows (a join on the few, from cells so that t3
-- is read once and never materialized),
-- then the six parts in print order for the detail ("空" = blank).
unequal_cells as (
    select
        x.report_id,
        x.row_code,
        x.col_code,
        x.value
    from cells as x
    inner join unequal as u
        on u.report_id = x.report_id and u.row_code = x.row_code
    where x.table_code = 't3'::cell_table_code
),

parts_text as (
    select
        u.report_id,
        u.row_code,
        string_agg(
            coalesce(
                regexp_replace(cast(x.value as varchar), '\.?0+$', ''), '空'
            ),
            '+'
            order by c.ord
        ) as parts
    from unequal as u
    cross join (
        values
        (1, 'natural'), (2, 'commercial'), (3, 'research'),
        (4, 'social'), (5, 'legal'), (6, 'other')
    ) as c (ord, col_code)
    left join unequal_cells as x
        on
            x.report_id = u.report_id
            and x.row_code = u.row_code
            and x.col_code = cast(c.col_code as cell_col_code)
    group by u.report_id, u.row_code
),

broken as (
    select
        u.report_id,
        'i3_total_column' as rule,
        't3' as table_code,
        u.row_code,
        'total' as col_code,
        cast(u.parts_sum as decimal(18, 4)) as expected,
        cast(u.total as decimal(18, 4)) as actual,
        case
            when (u.total < u.parts_sum and u.total_v is null)
                or (u.parts_sum < u.total and u.parts_blank)
                then 'uncertain'
            else 'error'
        end as severity,
        '总计 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他 for '
        || u.row_code || ': '
        || coalesce(
            regexp_replace(cast(u.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ' ≠ ' || p.parts as detail
    from unequal as u
    inner join parts_text as p
        on p.report_id = u.report_id and p.row_code = u.row_code
),

needed as (
    select
        'i3_total_column' as rule,
        't3' as table_code,
        '三' as label
),

needed_cells as (
    select sums.report_id
    from sums
),

-- include: not_assessable

-- include: check_output
