-- include/not_assessable: a report in scope without any cell of the table
-- the rule needs cannot be assessed; failing = broken + those. Needs the
-- CTEs needed (rule, table_code, label), needed_cells (report_id of each
-- report in scope with that table) and broken (the check's failing rows).
-- Reports before 2019 are skipped: the national format did not exist.
not_assessable as (
    select
        s.id as report_id,
        n.rule,
        n.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        cast(null as decimal(18, 6)) as expected,
        cast(null as decimal(18, 6)) as actual,
        'not_assessable' as severity,
        'table ' || n.label || ' is missing from the report' as detail
    from scope as s
    cross join needed as n
    where
        not exists (
            select 1
            from needed_cells as x
            where x.report_id = s.id
        )
        -- Before 2019 there was no national table to miss.
        and coalesce(s.year, 9999) >= 2019
        and s.format is distinct from 'pre2019'
),

failing as (
    select * from broken
    union all by name
    select * from not_assessable
)
