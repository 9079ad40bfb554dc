-- include/report_figures: one row per report in scope (CTE scope: id)
-- with the totals trend and compare are made of; blank cells are left
-- out of the sums. Read from the fact tables of migration 006: table 三's
-- 总计 column (t3_cols), table 四 (t4_facts), table 二 (t2_rows). A figure
-- none of whose cells is printed is NULL; a report printing none of them
-- has no row.
figures as (
    select
        s.id as report_id,
        t3.new as received,
        t3.carried_in,
        t3.result_total as processed,
        t3.granted,
        t3.partial,
        t3.denied,
        t3.unable,
        t3.rejected,
        t3.carried_out,
        t4.review_total as reviews,
        case
            when
                t4.suit_direct_total is not null
                or t4.suit_after_review_total is not null
                then coalesce(t4.suit_direct_total, 0)
                + coalesce(t4.suit_after_review_total, 0)
        end as suits,
        case
            when
                t4.review_corrected is not null
                or t4.suit_direct_corrected is not null
                or t4.suit_after_review_corrected is not null
                then coalesce(t4.review_corrected, 0)
                + coalesce(t4.suit_direct_corrected, 0)
                + coalesce(t4.suit_after_review_corrected, 0)
        end as corrected,
        t2.licensing,
        t2.penalty,
        t2.coercion,
        t2.fees_wan_yuan
    from scope as s
    left join t3_cols as t3
        on t3.report_id = s.id and t3.col_code = 'total'::cell_col_code
    left join t4_facts as t4 on t4.report_id = s.id
    left join (
        select
            x.report_id,
            max(case when x.row_code = 'licensing'::cell_row_code
                then x.decisions end) as licensing,
            max(case when x.row_code = 'penalty'::cell_row_code
                then x.decisions end) as penalty,
            max(case when x.row_code = 'coercion'::cell_row_code
                then x.decisions end) as coercion,
            max(case when x.row_code = 'fees'::cell_row_code
                then x.amount_wan_yuan end) as fees_wan_yuan
        from t2_rows as x
        where
            x.row_code in (
                'licensing'::cell_row_code, 'penalty'::cell_row_code,
                'coercion'::cell_row_code, 'fees'::cell_row_code
            )
            and x.report_id in (select scope.id from scope)
        group by x.report_id
    ) as t2 on t2.report_id = s.id
),
