-- include/report_figures: one row per report in scope (CTE scope: id)
-- with the totals trend and compare are made of; blank cells are left
-- out of the sums.
-- Figures are numbered (1 received … 16 fees_wan_yuan, the order of the
-- sums below): comparing small integers per cell is cheaper than text.
figure_cells as (
    select *
    from (
        values
        ('t3', 'new', 'total', 1),
        ('t3', 'carried_in', 'total', 2),
        ('t3', 'result_total', 'total', 3),
        ('t3', 'granted', 'total', 4),
        ('t3', 'partial', 'total', 5),
        ('t3', 'denied.state_secret', 'total', 6),
        ('t3', 'denied.law_prohibited', 'total', 6),
        ('t3', 'denied.three_safety', 'total', 6),
        ('t3', 'denied.third_party', 'total', 6),
        ('t3', 'denied.internal', 'total', 6),
        ('t3', 'denied.process', 'total', 6),
        ('t3', 'denied.enforcement', 'total', 6),
        ('t3', 'denied.query', 'total', 6),
        ('t3', 'unable.no_info', 'total', 7),
        ('t3', 'unable.need_creation', 'total', 7),
        ('t3', 'unable.unclear', 'total', 7),
        ('t3', 'rejected.complaint', 'total', 8),
        ('t3', 'rejected.duplicate', 'total', 8),
        ('t3', 'rejected.publication', 'total', 8),
        ('t3', 'rejected.excessive', 'total', 8),
        ('t3', 'rejected.confirm', 'total', 8),
        ('t3', 'carried_out', 'total', 9),
        ('t4', 'all', 'review.total', 10),
        ('t4', 'all', 'suit_direct.total', 11),
        ('t4', 'all', 'suit_after_review.total', 11),
        ('t4', 'all', 'review.corrected', 12),
        ('t4', 'all', 'suit_direct.corrected', 12),
        ('t4', 'all', 'suit_after_review.corrected', 12),
        ('t2', 'licensing', 'decisions', 13),
        ('t2', 'penalty', 'decisions', 14),
        ('t2', 'coercion', 'decisions', 15),
        ('t2', 'fees', 'amount_wan_yuan', 16)
    ) as f (table_code, row_code, col_code, figure)
),

-- The join casts the few figure codes to the cells' ENUMs (migration 004)
-- rather than every cell's codes to text.
figures as (
    select
        c.report_id,
        sum(case when f.figure = 1 then c.value end) as received,
        sum(case when f.figure = 2 then c.value end) as carried_in,
        sum(case when f.figure = 3 then c.value end) as processed,
        sum(case when f.figure = 4 then c.value end) as granted,
        sum(case when f.figure = 5 then c.value end) as partial,
        sum(case when f.figure = 6 then c.value end) as denied,
        sum(case when f.figure = 7 then c.value end) as unable,
        sum(case when f.figure = 8 then c.value end) as rejected,
        sum(case when f.figure = 9 then c.value end) as carried_out,
        sum(case when f.figure = 10 then c.value end) as reviews,
        sum(case when f.figure = 11 then c.value end) as suits,
        sum(case when f.figure = 12 then c.value end) as corrected,
        sum(case when f.figure = 13 then c.value end) as licensing,
        sum(case when f.figure = 14 then c.value end) as penalty,
        sum(case when f.figure = 15 then c.value end) as coercion,
        sum(case when f.figure = 16 then c.value end)
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
