-- name: i4_review_suit
-- kind: check
-- description: Table 四: for 行政复议, 未经复议直接起诉 and 复议后起诉,
--   总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (blanks read as 0).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per failing report and group; col_code is the group's
--   total column, expected = the sum of its four parts, actual = the printed
--   总计; uncertain when a blank on the smaller side could make it balance;
--   not_assessable when table 四 is missing.

with
-- include: check_scope

-- Table 四 of the reports in scope (t4_facts, migration 006), one row per
-- group the report printed: a group never printed is all blank, 0 = 0, and
-- cannot fail.
terms as (
    select
        t.report_id,
        g.grp,
        g.label,
        g.up_v,
        g.corr_v,
        g.oth_v,
        g.pend_v,
        g.total_v,
        g.up_v is null or g.corr_v is null or g.oth_v is null
        or g.pend_v is null as parts_blank
    from t4_facts as t
    cross join lateral (
        values
        (
            'review', '行政复议', t.review_cells, t.review_upheld,
            t.review_corrected, t.review_other, t.review_pending,
            t.review_total
        ),
        (
            'suit_direct', '未经复议直接起诉', t.suit_direct_cells,
            t.suit_direct_upheld, t.suit_direct_corrected,
            t.suit_direct_other, t.suit_direct_pending, t.suit_direct_total
        ),
        (
            'suit_after_review', '复议后起诉', t.suit_after_review_cells,
            t.suit_after_review_upheld, t.suit_after_review_corrected,
            t.suit_after_review_other, t.suit_after_review_pending,
            t.suit_after_review_total
        )
    ) as g (grp, label, cells, up_v, corr_v, oth_v, pend_v, total_v)
    where
        g.cells > 0
        and t.report_id in (select scope.id from scope)
),

sums as (
    select
        t.*,
        coalesce(t.up_v, 0) + coalesce(t.corr_v, 0) + coalesce(t.oth_v, 0)
        + coalesce(t.pend_v, 0) as parts_sum,
        coalesce(t.total_v, 0) as total
    from terms as t
),

broken as (
    select
        s.report_id,
        'i4_review_suit' as rule,
        't4' as table_code,
        'all' as row_code,
        s.grp || '.total' as col_code,
        cast(s.parts_sum as decimal(18, 6)) as expected,
        cast(s.total as decimal(18, 6)) as actual,
        case
            when (s.total < s.parts_sum and s.total_v is null)
                or (s.parts_sum < s.total and s.parts_blank)
                then 'uncertain'
            else 'error'
        end as severity,
        s.label || ' [' || s.grp || '.total] 总计 = 维持+纠正+其他+尚未审结: '
        || coalesce(
            regexp_replace(cast(s.total_v as varchar), '\.?0+$', ''), '空'
        )
        || ' ≠ '
        || array_to_string(
            list_transform(
                [s.up_v, s.corr_v, s.oth_v, s.pend_v],
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
        'i4_review_suit' as rule,
        't4' as table_code,
        '四' as label
),

needed_cells as (
    select terms.report_id
    from terms
),

-- include: not_assessable

-- include: check_output
