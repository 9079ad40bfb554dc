-- include/report_figures: one row per report in scope (CTE scope: id)
-- with the totals trend and compare are made of; blank cells are left
-- out of the sums.
figures as (
    select
        c.report_id,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'new' and c.col_code = 'total') as received,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'carried_in' and c.col_code = 'total')
            as carried_in,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'result_total' and c.col_code = 'total')
            as processed,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'granted' and c.col_code = 'total') as granted,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'partial' and c.col_code = 'total') as partial,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code like 'denied.%' and c.col_code = 'total') as denied,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code like 'unable.%' and c.col_code = 'total') as unable,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code like 'rejected.%' and c.col_code = 'total')
            as rejected,
        sum(c.value) filter (where c.table_code = 't3'
            and c.row_code = 'carried_out' and c.col_code = 'total')
            as carried_out,
        sum(c.value) filter (where c.table_code = 't4'
            and c.col_code = 'review.total') as reviews,
        sum(c.value) filter (where c.table_code = 't4'
            and c.col_code in ('suit_direct.total', 'suit_after_review.total'))
            as suits,
        sum(c.value) filter (where c.table_code = 't4'
            and c.col_code like '%.corrected') as corrected,
        sum(c.value) filter (where c.table_code = 't2'
            and c.row_code = 'licensing' and c.col_code = 'decisions')
            as licensing,
        sum(c.value) filter (where c.table_code = 't2'
            and c.row_code = 'penalty' and c.col_code = 'decisions')
            as penalty,
        sum(c.value) filter (where c.table_code = 't2'
            and c.row_code = 'coercion' and c.col_code = 'decisions')
            as coercion,
        sum(c.value) filter (where c.table_code = 't2'
            and c.row_code = 'fees' and c.col_code = 'amount_wan_yuan')
            as fees_wan_yuan
    from cells as c
    where c.report_id in (select scope.id from scope)
    group by c.report_id
),
