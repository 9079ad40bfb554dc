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
        c.table_code = 't4'::cell_table_code
        and c.report_id in (select scope.id from scope)
),

-- The fifteen columns: which group (with its label) and which part.
columns as (
    select *
    from (
        values
        ('review.upheld', 'review', '行政复议', 'upheld'),
        ('review.corrected', 'review', '行政复议', 'corrected'),
        ('review.other', 'review', '行政复议', 'other'),
        ('review.pending', 'review', '行政复议', 'pending'),
        ('review.total', 'review', '行政复议', 'total'),
        ('suit_direct.upheld', 'suit_direct', '未经复议直接起诉', 'upheld'),
        (
            'suit_direct.corrected', 'suit_direct', '未经复议直接起诉',
            'corrected'
        ),
        ('suit_direct.other', 'suit_direct', '未经复议直接起诉', 'other'),
        ('suit_direct.pending', 'suit_direct', '未经复议直接起诉', 'pending'),
        ('suit_direct.total', 'suit_direct', '未经复议直接起诉', 'total'),
        (
            'suit_after_review.upheld', 'suit_after_review', '复议后起诉',
            'upheld'
        ),
        (
            'suit_after_review.corrected', 'suit_after_review', '复议后起诉',
            'corrected'
        ),
        ('suit_after_review.other', 'suit_after_review', '复议后起诉', 'other'),
        (
            'suit_after_review.pending', 'suit_after_review', '复议后起诉',
            'pending'
        ),
        ('suit_after_review.total', 'suit_after_review', '复议后起诉', 'total')
    ) as k (col_code, grp, label, part)
),

-- A group the report never printed is all blank, 0 = 0: it cannot fail.
-- The join casts the fifteen codes to the cells' ENUM (migration 004), not
-- every cell's code to text.
terms as (
    select
        t4.report_id,
        k.grp,
        any_value(k.label) as label,
        max(case when k.part = 'upheld' then t4.value end) as up_v,
        max(case when k.part = 'corrected' then t4.value end) as corr_v,
        max(case when k.part = 'other' then t4.value end) as oth_v,
        max(case when k.part = 'pending' then t4.value end) as pend_v,
        max(case when k.part = 'total' then t4.value end) as total_v,
        count(case when k.part != 'total' then t4.value end) < 4
            as parts_blank
    from t4
    inner join columns as k
        on t4.col_code = cast(k.col_code as cell_col_code)
    group by t4.report_id, k.grp
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

needed_cells as (
    select terms.report_id
    from terms
),

-- include: not_assessable

-- include: check_output
