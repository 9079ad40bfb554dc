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

terms as (
    select
        t3.report_id,
        t3.row_code,
        max(t3.value) filter (where t3.col_code = 'natural') as natural_v,
        max(t3.value) filter (where t3.col_code = 'commercial') as commercial_v,
        max(t3.value) filter (where t3.col_code = 'research') as research_v,
        max(t3.value) filter (where t3.col_code = 'social') as social_v,
        max(t3.value) filter (where t3.col_code = 'legal') as legal_v,
        max(t3.value) filter (where t3.col_code = 'other') as other_v,
        max(t3.value) filter (where t3.col_code = 'total') as total_v
    from t3
    group by t3.report_id, t3.row_code
),

sums as (
    select
        t.*,
        coalesce(t.natural_v, 0) + coalesce(t.commercial_v, 0)
        + coalesce(t.research_v, 0) + coalesce(t.social_v, 0)
        + coalesce(t.legal_v, 0) + coalesce(t.other_v, 0) as parts_sum,
        t.natural_v is null or t.commercial_v is null
        or t.research_v is null or t.social_v is null
        or t.legal_v is null or t.other_v is null as parts_blank,
        coalesce(t.total_v, 0) as total
    from terms as t
),

broken as (
    select
        s.report_id,
        'i3_total_column' as rule,
        't3' as table_code,
        s.row_code,
        'total' as col_code,
        cast(s.parts_sum as decimal(18, 4)) as expected,
        cast(s.total as decimal(18, 4)) as actual,
        case
            when (s.total < s.parts_sum and s.total_v is null)
                or (s.parts_sum < s.total and s.parts_blank)
                then 'uncertain'
            else 'error'
        end as severity,
        '总计 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他 for '
        || s.row_code || ': '
        || coalesce(
            regexp_replace(cast(s.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ' ≠ '
        || array_to_string(
            list_transform(
                [
                    s.natural_v, s.commercial_v, s.research_v,
                    s.social_v, s.legal_v, s.other_v
                ],
                lambda v: coalesce(
                    regexp_replace(cast(v as varchar), '\.?0+$', ''), '空'
                )
            ),
            '+'
        ) as detail
    from sums as s
    where s.parts_sum != s.total
),

needed as (
    select
        'i3_total_column' as rule,
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
