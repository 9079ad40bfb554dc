-- name: i2_results
-- kind: check
-- description: Table 三, per column: （七）总计 = sum of the result rows
--   （一）…（六） (2019: one 其他处理 row; 2021: its three sub-rows).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per failing report and column; expected = the sum of the
--   result rows (blanks as 0), actual = the printed （七）总计; uncertain when
--   a blank on the smaller side could make it balance; not_assessable when
--   table 三 is missing.

with
-- include: check_scope
-- include: labels

-- One row per report and printed column of table 三 (t3_cols, migration
-- 006), which holds the sums over the 18 result rows both formats share
-- (（一）…（五）, granted … rejected.confirm), the 2019 single 其他处理 row,
-- the 2021 sub-rows and （七）总计.
sums as (
    select
        c.report_id,
        c.col_code,
        c.common_sum,
        c.common_printed,
        c.other_sum,
        c.other_printed,
        c.sub_sum,
        c.sub_printed,
        c.sub_cells > 0 as has_sub,
        c.result_total as total_v
    from t3_cols as c
    where
        c.result_cells > 0
        and c.report_id in (select scope.id from scope)
),

-- Table 三's own format decides which 其他处理 rows count; failing that the
-- report's format, then which rows were printed. The JSON is read once per
-- report, not once per column.
report_formats as (
    select
        sc.id,
        coalesce(
            case
                when json_extract_string(sc.table_formats, 't3')
                    in ('2019', '2021')
                    then json_extract_string(sc.table_formats, 't3')
            end,
            case when sc.format in ('2019', '2021') then sc.format end
        ) as t3_format
    from scope as sc
),

formats as (
    select
        s.*,
        coalesce(
            rf.t3_format,
            case when s.has_sub then '2021' else '2019' end
        ) as t3_format
    from sums as s
    inner join report_formats as rf on rf.id = s.report_id
),

-- A result cell that is missing counts as blank: 18 + 1 rows in 2019,
-- 18 + 3 in 2021.
compared as (
    select
        f.report_id,
        f.col_code,
        f.t3_format,
        f.total_v,
        coalesce(f.total_v, 0) as total,
        coalesce(f.common_sum, 0) + case
            when f.t3_format = '2019' then coalesce(f.other_sum, 0)
            else coalesce(f.sub_sum, 0)
        end as parts_sum,
        18 - f.common_printed + case
            when f.t3_format = '2019' then 1 - f.other_printed
            else 3 - f.sub_printed
        end as parts_blank
    from formats as f
),

unequal as (
    select *
    from compared as c
    where c.parts_sum != c.total
),

-- The non-zero result cells of each unequal column, for the detail: the
-- printed rows (t3_rows) of the few unequal reports, unpivoted.
unequal_rows as (
    select
        u.report_id,
        u.col_code,
        u.t3_format,
        t.row_code,
        case u.col_code
            when 'natural' then t.natural_person
            when 'commercial' then t.commercial_enterprise
            when 'research' then t.research_institution
            when 'social' then t.social_welfare_org
            when 'legal' then t.legal_service_org
            when 'other' then t.other_org
            when 'total' then t.total
            when 'legal_subtotal' then t.legal_subtotal
        end as value
    from unequal as u
    inner join t3_rows as t on t.report_id = u.report_id
    where
        t.report_id in (select unequal.report_id from unequal)
        and (
            t.row_code between 'granted'::cell_row_code
            and 'rejected.confirm'::cell_row_code
            or (u.t3_format = '2019' and t.row_code = 'other'::cell_row_code)
            or (
                u.t3_format = '2021'
                and t.row_code between 'other.no_correction'::cell_row_code
                and 'other.other'::cell_row_code
            )
        )
),

nonzero as (
    select
        x.report_id,
        x.col_code,
        string_agg(
            coalesce(l.short || ' ', '') || '[' || x.row_code || '] '
            || regexp_replace(cast(x.value as varchar), '\.?0+$', ''),
            ' + '
            order by x.row_code
        ) as parts
    from unequal_rows as x
    left join labels as l
        on l.table_code = 't3' and l.kind = 'row' and l.code = x.row_code
    where x.value != 0
    group by x.report_id, x.col_code
),

broken as (
    select
        u.report_id,
        'i2_results' as rule,
        't3' as table_code,
        'result_total' as row_code,
        u.col_code,
        cast(u.parts_sum as decimal(18, 6)) as expected,
        cast(u.total as decimal(18, 6)) as actual,
        case
            when (u.total < u.parts_sum and u.total_v is null)
                or (u.parts_sum < u.total and u.parts_blank > 0)
                then 'uncertain'
            else 'error'
        end as severity,
        '(七)总计 = sum of (一)…(六), ' || coalesce(l.short || ' ', '')
        || '[' || u.col_code || ']: printed '
        || coalesce(
            regexp_replace(cast(u.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ', rows sum to '
        || regexp_replace(cast(u.parts_sum as varchar), '\.?0+$', '')
        || coalesce(' (' || n.parts || ')', '')
        || case
            when u.parts_blank > 0
                then ', ' || u.parts_blank || ' result cells blank'
            else ''
        end as detail
    from unequal as u
    left join nonzero as n
        on n.report_id = u.report_id and n.col_code = u.col_code
    left join labels as l
        on l.table_code = 't3' and l.kind = 'col' and l.code = u.col_code
),

needed as (
    select
        'i2_results' as rule,
        't3' as table_code,
        '三' as label
),

needed_cells as (
    select sums.report_id
    from sums
),

-- include: not_assessable

-- include: check_output
