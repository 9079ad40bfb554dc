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

t4 as (
    select
        c.report_id,
        c.col_code,
        c.value
    from cells as c
    where
        c.table_code = 't4'
        and c.report_id in (select scope.id from scope)
),

groups as (
    select *
    from (
        values
        ('review', '行政复议'),
        ('suit_direct', '未经复议直接起诉'),
        ('suit_after_review', '复议后起诉')
    ) as g (grp, label)
),

terms as (
    select
        r.report_id,
        g.grp,
        g.label,
        max(t4.value) filter (where t4.col_code = g.grp || '.upheld') as up_v,
        max(t4.value) filter (
            where t4.col_code = g.grp || '.corrected'
        ) as corr_v,
        max(t4.value) filter (where t4.col_code = g.grp || '.other') as oth_v,
        max(t4.value) filter (
            where t4.col_code = g.grp || '.pending'
        ) as pend_v,
        max(t4.value) filter (where t4.col_code = g.grp || '.total') as total_v
    from (select distinct t4.report_id from t4) as r
    cross join groups as g
    left join t4 on t4.report_id = r.report_id
    group by r.report_id, g.grp, g.label
),

sums as (
    select
        t.*,
        coalesce(t.up_v, 0) + coalesce(t.corr_v, 0) + coalesce(t.oth_v, 0)
        + coalesce(t.pend_v, 0) as parts_sum,
        t.up_v is null or t.corr_v is null or t.oth_v is null
        or t.pend_v is null as parts_blank,
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
        cast(s.parts_sum as decimal(18, 4)) as expected,
        cast(s.total as decimal(18, 4)) as actual,
        case
            when (s.total < s.parts_sum and s.total_v is null)
                or (s.parts_sum < s.total and s.parts_blank)
                then 'uncertain'
            else 'error'
        end as severity,
        s.label || ' 总计 = 维持+纠正+其他+尚未审结: '
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

-- include: not_assessable

failing as (
    select * from broken
    union all by name
    select * from not_assessable
)

-- include: check_output
