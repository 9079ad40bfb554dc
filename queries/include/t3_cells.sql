-- include/t3_cells: the cells of table 三 of the reports in scope.
t3 as (
    select
        c.report_id,
        c.row_code,
        c.col_code,
        c.value
    from cells as c
    where
        c.table_code = 't3'::cell_table_code
        and c.report_id in (select scope.id from scope)
),
