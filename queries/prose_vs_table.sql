-- name: prose_vs_table
-- kind: check
-- description: Totals stated in the prose of sections 一, 三 and 四
--   (收到…申请N件, 上年结转N件, 行政复议N件, 行政诉讼N件) against the table
--   cells (a heuristic: warn).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and stated total that differs from its table;
--   expected = the number in the prose, actual = the table (blanks as 0).
--   收到 may count 一 alone or 一 + 二; either passes.

with
-- include: check_scope

-- Constant patterns, so each is compiled once.
matches as (
    select
        se.report_id,
        se.number,
        regexp_extract(
            se.text, '收到[^。；;]{0,20}?申请[^0-9。；;，,]{0,3}?(\d+)\s*件', 1
        ) as received,
        regexp_extract(
            se.text, '上年结转[^0-9。；;，,]{0,10}?(\d+)\s*件', 1
        ) as carried,
        regexp_extract(
            se.text, '行政复议[^0-9。；;，,]{0,8}?(\d+)\s*[件起宗]', 1
        ) as review,
        regexp_extract(
            se.text, '行政诉讼[^0-9。；;，,]{0,8}?(\d+)\s*[件起宗]', 1
        ) as suit
    from sections as se
    where
        se.number in (1, 3, 4)
        and se.report_id in (select scope.id from scope)
),

-- The first statement of each kind, in section order.
stated as (
    select
        m.report_id,
        u.claim,
        arg_min(u.number_text, m.number) as number_text
    from matches as m
    cross join lateral (
        values
        ('received', m.received),
        ('carried', m.carried),
        ('review', m.review),
        ('suit', m.suit)
    ) as u (claim, number_text)
    where u.number_text != ''
    group by m.report_id, u.claim
),

-- The totals the prose restates, from the fact tables (migrations 006,
-- 007): table 三's 总计 column (t3_cols), table 四 (t4_facts) and its two
-- suits added up (report_figures). A report printing none of a table's
-- totals counts as lacking that table.
tables as (
    select
        st.report_id,
        t3.new as new_total,
        t3.carried_in as carried_total,
        t4.review_total,
        fg.suits as suit_total,
        coalesce(t3.intake_cells, 0) > 0 as has_t3,
        coalesce(t4.total_cells, 0) > 0 as has_t4
    from (select distinct stated.report_id from stated) as st
    left join t3_cols as t3
        on t3.report_id = st.report_id
        and t3.col_code = 'total'::cell_col_code
    left join t4_facts as t4 on t4.report_id = st.report_id
    left join report_figures as fg on fg.report_id = st.report_id
    where coalesce(t3.intake_cells, 0) > 0 or coalesce(t4.total_cells, 0) > 0
),

compared as (
    select
        st.report_id,
        st.claim,
        cast(st.number_text as decimal(18, 6)) as stated,
        case st.claim
            when 'received' then coalesce(t.new_total, 0)
            when 'carried' then coalesce(t.carried_total, 0)
            when 'review' then coalesce(t.review_total, 0)
            else coalesce(t.suit_total, 0)
        end as in_table,
        coalesce(t.new_total, 0) + coalesce(t.carried_total, 0) as received_all
    from stated as st
    inner join tables as t on t.report_id = st.report_id
    where
        (st.claim in ('received', 'carried') and t.has_t3)
        or (st.claim in ('review', 'suit') and t.has_t4)
),

failing as (
    select
        c.report_id,
        'prose_vs_table' as rule,
        case when c.claim in ('received', 'carried') then 't3' else 't4' end
            as table_code,
        case c.claim
            when 'received' then 'new'
            when 'carried' then 'carried_in'
            else 'all'
        end as row_code,
        case c.claim
            when 'review' then 'review.total'
            when 'suit' then 'suit_direct.total+suit_after_review.total'
            else 'total'
        end as col_code,
        c.stated as expected,
        cast(c.in_table as decimal(18, 6)) as actual,
        'warn' as severity,
        case c.claim
            when 'received' then '收到申请'
            when 'carried' then '上年结转'
            when 'review' then '行政复议'
            else '行政诉讼'
        end
        || ': prose says '
        || regexp_replace(cast(c.stated as varchar), '\.?0+$', '')
        || '件, table says '
        || regexp_replace(cast(c.in_table as varchar), '\.?0+$', '')
        as detail
    from compared as c
    where
        c.stated != c.in_table
        and not (c.claim = 'received' and c.stated = c.received_all)
)

-- include: check_output
