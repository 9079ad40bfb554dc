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
-- include: labels

-- One row per printed row of table 三 (t3_rows, migration 006); a row
-- without one of the six applicant cells has a blank part. Kept narrow:
-- it covers every row of every report in scope.
sums as (
    select
        t.report_id,
        t.row_code,
        coalesce(t.natural_person, 0) + coalesce(t.commercial_enterprise, 0)
        + coalesce(t.research_institution, 0)
        + coalesce(t.social_welfare_org, 0)
        + coalesce(t.legal_service_org, 0) + coalesce(t.other_org, 0)
            as parts_sum,
        t.natural_person is null or t.commercial_enterprise is null
        or t.research_institution is null or t.social_welfare_org is null
        or t.legal_service_org is null or t.other_org is null as parts_blank,
        t.total as total_v
    from t3_rows as t
    where
        t.main_cells > 0
        and t.report_id in (select scope.id from scope)
),

unequal as (
    select
        s.*,
        coalesce(s.total_v, 0) as total
    from sums as s
    where s.parts_sum != coalesce(s.total_v, 0)
),

-- The six parts of the few unequal rows in print order, for the detail
-- ("空" = blank).
parts_text as (
    select
        u.report_id,
        u.row_code,
        array_to_string(
            list_transform(
                [
                    t.natural_person, t.commercial_enterprise,
                    t.research_institution, t.social_welfare_org,
                    t.legal_service_org, t.other_org
                ],
                lambda v: coalesce(
                    regexp_replace(cast(v as varchar), '\.?0+$', ''), '空'
                )
            ),
            '+'
        ) as parts
    from unequal as u
    inner join t3_rows as t
        on t.report_id = u.report_id and t.row_code = u.row_code
    where t.report_id in (select unequal.report_id from unequal)
),

broken as (
    select
        u.report_id,
        'i3_total_column' as rule,
        't3' as table_code,
        u.row_code,
        'total' as col_code,
        cast(u.parts_sum as decimal(18, 6)) as expected,
        cast(u.total as decimal(18, 6)) as actual,
        case
            when (u.total < u.parts_sum and u.total_v is null)
                or (u.parts_sum < u.total and u.parts_blank)
                then 'uncertain'
            else 'error'
        end as severity,
        '总计 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他, '
        || coalesce(l.short || ' ', '') || '[' || u.row_code || ']: '
        || coalesce(
            regexp_replace(cast(u.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ' ≠ ' || p.parts as detail
    from unequal as u
    inner join parts_text as p
        on p.report_id = u.report_id and p.row_code = u.row_code
    left join labels as l
        on l.table_code = 't3' and l.kind = 'row' and l.code = u.row_code
),

needed as (
    select
        'i3_total_column' as rule,
        't3' as table_code,
        '三' as label
),

-- Reports printing any of the seven columns (t3_cols is per column).
needed_cells as (
    select c.report_id
    from t3_cols as c
    where c.col_code between 'natural'::cell_col_code and 'total'::cell_col_code
),

-- include: not_assessable

-- include: check_output
