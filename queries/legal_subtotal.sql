-- name: legal_subtotal
-- kind: check
-- description: Table 三, where a report prints the extra 法人或其他组织小计
--   column: it equals the sum of the five 法人 columns.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per failing report and row; expected = 商业企业 + 科研机构
--   + 社会公益组织 + 法律服务机构 + 其他 (blanks as 0), actual = the printed
--   小计; uncertain when a blank part could make it balance.

with
-- include: check_scope

-- Table 三's printed rows (t3_rows, migration 006), only of reports that
-- print the column: most never do.
terms as (
    select
        t.report_id,
        t.row_code,
        t.commercial_enterprise as commercial_v,
        t.research_institution as research_v,
        t.social_welfare_org as social_v,
        t.legal_service_org as legal_v,
        t.other_org as other_v,
        t.legal_subtotal as subtotal
    from t3_rows as t
    where
        t.report_id in (select scope.id from scope)
        and t.report_id in (
            select x.report_id
            from t3_rows as x
            where x.legal_subtotal is not null
        )
),

sums as (
    select
        t.*,
        coalesce(t.commercial_v, 0) + coalesce(t.research_v, 0)
        + coalesce(t.social_v, 0) + coalesce(t.legal_v, 0)
        + coalesce(t.other_v, 0) as parts_sum,
        t.commercial_v is null or t.research_v is null
        or t.social_v is null or t.legal_v is null
        or t.other_v is null as parts_blank
    from terms as t
    -- Only where the report printed the column.
    where t.subtotal is not null
),

failing as (
    select
        s.report_id,
        'legal_subtotal' as rule,
        't3' as table_code,
        s.row_code,
        'legal_subtotal' as col_code,
        cast(s.parts_sum as decimal(18, 6)) as expected,
        cast(s.subtotal as decimal(18, 6)) as actual,
        case
            when s.parts_sum < s.subtotal and s.parts_blank then 'uncertain'
            else 'error'
        end as severity,
        '小计 = 商业企业+科研机构+社会公益组织+法律服务机构+其他 for '
        || s.row_code || ': '
        || regexp_replace(cast(s.subtotal as varchar), '\.?0+$', '')
        || ' ≠ '
        || array_to_string(
            list_transform(
                [
                    s.commercial_v, s.research_v, s.social_v, s.legal_v,
                    s.other_v
                ],
                lambda v: coalesce(
                    regexp_replace(cast(v as varchar), '\.?0+$', ''), '空'
                )
            ),
            '+'
        ) as detail
    from sums as s
    where s.parts_sum != s.subtotal
)

-- include: check_output
