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

-- include: t3_cells

-- One pass over the cells: the 18 result rows both formats share, the
-- 2019 single 其他处理 row and the 2021 three sub-rows, summed apart.
sums as (
    select
        t3.report_id,
        t3.col_code,
        sum(coalesce(t3.value, 0)) filter (where t3.row_code in (
            'granted',
            'partial',
            'denied.state_secret',
            'denied.law_prohibited',
            'denied.three_safety',
            'denied.third_party',
            'denied.internal',
            'denied.process',
            'denied.enforcement',
            'denied.query',
            'unable.no_info',
            'unable.need_creation',
            'unable.unclear',
            'rejected.complaint',
            'rejected.duplicate',
            'rejected.publication',
            'rejected.excessive',
            'rejected.confirm'
        )) as common_sum,
        count(t3.value) filter (where t3.row_code in (
            'granted',
            'partial',
            'denied.state_secret',
            'denied.law_prohibited',
            'denied.three_safety',
            'denied.third_party',
            'denied.internal',
            'denied.process',
            'denied.enforcement',
            'denied.query',
            'unable.no_info',
            'unable.need_creation',
            'unable.unclear',
            'rejected.complaint',
            'rejected.duplicate',
            'rejected.publication',
            'rejected.excessive',
            'rejected.confirm'
        )) as common_printed,
        sum(coalesce(t3.value, 0)) filter (
            where t3.row_code = 'other'
        ) as other_sum,
        count(t3.value) filter (where t3.row_code = 'other') as other_printed,
        sum(coalesce(t3.value, 0)) filter (
            where t3.row_code like 'other.%'
        ) as sub_sum,
        count(t3.value) filter (
            where t3.row_code like 'other.%'
        ) as sub_printed,
        count(*) filter (where t3.row_code like 'other.%') > 0 as has_sub,
        max(t3.value) filter (where t3.row_code = 'result_total') as total_v
    from t3
    group by t3.report_id, t3.col_code
),

-- Table 三's own format decides which 其他处理 rows count; failing that the
-- report's format, then which rows were printed.
formats as (
    select
        s.*,
        coalesce(
            case
                when json_extract_string(sc.table_formats, 't3')
                    in ('2019', '2021')
                    then json_extract_string(sc.table_formats, 't3')
            end,
            case when sc.format in ('2019', '2021') then sc.format end,
            case when s.has_sub then '2021' else '2019' end
        ) as t3_format
    from sums as s
    inner join scope as sc on sc.id = s.report_id
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

broken as (
    select
        c.report_id,
        'i2_results' as rule,
        't3' as table_code,
        'result_total' as row_code,
        c.col_code,
        cast(c.parts_sum as decimal(18, 4)) as expected,
        cast(c.total as decimal(18, 4)) as actual,
        case
            when (c.total < c.parts_sum and c.total_v is null)
                or (c.parts_sum < c.total and c.parts_blank > 0)
                then 'uncertain'
            else 'error'
        end as severity,
        '(七)总计 = sum of (一)…(六) for ' || c.col_code || ': printed '
        || coalesce(
            regexp_replace(cast(c.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ', rows sum to '
        || regexp_replace(cast(c.parts_sum as varchar), '\.?0+$', '')
        || coalesce(' (' || (
            select
                string_agg(
                    x.row_code || ' '
                    || regexp_replace(cast(x.value as varchar), '\.?0+$', ''),
                    ' + '
                    order by x.row_code
                )
            from t3 as x
            where
                x.report_id = c.report_id
                and x.col_code = c.col_code
                and x.value != 0
                and x.row_code not in (
                    'new', 'carried_in', 'result_total', 'carried_out'
                )
                and (
                    c.t3_format = '2019' and x.row_code not like 'other.%'
                    or c.t3_format = '2021' and x.row_code != 'other'
                )
        ) || ')', '')
        || case
            when c.parts_blank > 0
                then ', ' || c.parts_blank || ' result cells blank'
            else ''
        end as detail
    from compared as c
    where c.parts_sum != c.total
),

needed as (
    select
        'i2_results' as rule,
        't3' as table_code,
        '三' as label
),

-- include: not_assessable

failing as (
    select * from broken
    union all by name
    select * from not_assessable
)

-- include: check_output
