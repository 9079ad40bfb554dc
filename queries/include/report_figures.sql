-- include/report_figures: one row per report in scope (CTE scope: id)
-- with the totals trend and compare are made of; blank cells are left
-- out of the sums.
figure_cells as (
    select *
    from (
        values
        ('t3', 'new', 'total', 'received'),
        ('t3', 'carried_in', 'total', 'carried_in'),
        ('t3', 'result_total', 'total', 'processed'),
        ('t3', 'granted', 'total', 'granted'),
        ('t3', 'partial', 'total', 'partial'),
        ('t3', 'denied.state_secret', 'total', 'denied'),
        ('t3', 'denied.law_prohibited', 'total', 'denied'),
        ('t3', 'denied.three_safety', 'total', 'denied'),
        ('t3', 'denied.third_party', 'total', 'denied'),
        ('t3', 'denied.internal', 'total', 'denied'),
        ('t3', 'denied.process', 'total', 'denied'),
        ('t3', 'denied.enforcement', 'total', 'denied'),
        ('t3', 'denied.query', 'total', 'denied'),
        ('t3', 'unable.no_info', 'total', 'unable'),
        ('t3', 'unable.need_creation', 'total', 'unable'),
        ('t3', 'unable.unclear', 'total', 'unable'),
        ('t3', 'rejected.complaint', 'total', 'rejected'),
        ('t3', 'rejected.duplicate', 'total', 'rejected'),
        ('t3', 'rejected.publication', 'total', 'rejected'),
        ('t3', 'rejected.excessive', 'total', 'rejected'),
        ('t3', 'rejected.confirm', 'total', 'rejected'),
        ('t3', 'carried_out', 'total', 'carried_out'),
        ('t4', 'all', 'review.total', 'reviews'),
        ('t4', 'all', 'suit_direct.total', 'suits'),
        ('t4', 'all', 'suit_after_review.total', 'suits'),
        ('t4', 'all', 'review.corrected', 'corrected'),
        ('t4', 'all', 'suit_direct.corrected', 'corrected'),
        ('t4', 'all', 'suit_after_review.corrected', 'corrected'),
        ('t2', 'licensing', 'decisions', 'licensing'),
        ('t2', 'penalty', 'decisions', 'penalty'),
        ('t2', 'coercion', 'decisions', 'coercion'),
        ('t2', 'fees', 'amount_wan_yuan', 'fees_wan_yuan')
    ) as f (table_code, row_code, col_code, figure)
),

-- The join casts the few figure codes to the cells' ENUMs (migration 004)
-- rather than every cell's codes to text.
figures as (
    select
        c.report_id,
        sum(case when f.figure = 'received' then c.value end) as received,
        sum(case when f.figure = 'carried_in' then c.value end) as carried_in,
        sum(case when f.figure = 'processed' then c.value end) as processed,
        sum(case when f.figure = 'granted' then c.value end) as granted,
        sum(case when f.figure = 'partial' then c.value end) as partial,
        sum(case when f.figure = 'denied' then c.value end) as denied,
        sum(case when f.figure = 'unable' then c.value end) as unable,
        sum(case when f.figure = 'rejected' then c.value end) as rejected,
        sum(case when f.figure = 'carried_out' then c.value end) as carried_out,
        sum(case when f.figure = 'reviews' then c.value end) as reviews,
        sum(case when f.figure = 'suits' then c.value end) as suits,
        sum(case when f.figure = 'corrected' then c.value end) as corrected,
        sum(case when f.figure = 'licensing' then c.value end) as licensing,
        sum(case when f.figure = 'penalty' then c.value end) as penalty,
        sum(case when f.figure = 'coercion' then c.value end) as coercion,
        sum(case when f.figure = 'fees_wan_yuan' then c.value end)
            as fees_wan_yuan
    from cells as c
    inner join figure_cells as f
        on
            c.table_code = cast(f.table_code as cell_table_code)
            and c.row_code = cast(f.row_code as cell_row_code)
            and c.col_code = cast(f.col_code as cell_col_code)
    where c.report_id in (select scope.id from scope)
    group by c.report_id
),
