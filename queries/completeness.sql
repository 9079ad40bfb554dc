-- name: completeness
-- kind: check
-- description: Missing tables, blank cells, the 2019 format used for 2021 or
--   later, and missing sections (warn).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and finding: a missing table (table_code set),
--   blank cells of a table (actual = how many; detail lists them), an
--   outdated format, or missing sections. Reports before 2019 are skipped.

with
-- include: check_scope

-- Reports before 2019 had no national format to be complete against.
assessed as (
    select *
    from scope as s
    where coalesce(s.year, 9999) >= 2019
),

tables as (
    select *
    from (
        values ('t2', '二'), ('t3', '三'), ('t4', '四')
    ) as t (table_code, label)
),

table_cells as (
    select
        c.report_id,
        c.table_code,
        count(*) as cells,
        count(*) - count(c.value) as blanks
    from cells as c
    where c.report_id in (select assessed.id from assessed)
    group by c.report_id, c.table_code
),

-- Names of the blank cells where there are few (a mostly blank table
-- prints blanks for zeros, and naming 100 cells helps nobody).
blank_names as (
    select
        c.report_id,
        c.table_code,
        string_agg(
            c.row_code || '/' || c.col_code, ', '
            order by c.row_code, c.col_code
        ) as blank_cells
    from cells as c
    inner join table_cells as tc
        on tc.report_id = c.report_id and tc.table_code = c.table_code
    where
        c.value is null
        and tc.blanks between 1 and 20
    group by c.report_id, c.table_code
),

missing_tables as (
    select
        s.id as report_id,
        t.table_code,
        cast(null as decimal(18, 4)) as actual,
        'table ' || t.label || ' is missing' as detail
    from assessed as s
    cross join tables as t
    where not exists (
        select 1
        from table_cells as tc
        where
            tc.report_id = s.id
            and tc.table_code = cast(t.table_code as cell_table_code)
    )
),

blank_tables as (
    select
        tc.report_id,
        tc.table_code,
        cast(tc.blanks as decimal(18, 4)) as actual,
        tc.blanks || ' of ' || tc.cells || ' cells of table '
        || t.label || ' are blank'
        || coalesce(
            ': ' || b.blank_cells,
            ' (mostly blank: blanks probably stand for 0)'
        ) as detail
    from table_cells as tc
    inner join tables as t
        on cast(t.table_code as cell_table_code) = tc.table_code
    left join blank_names as b
        on b.report_id = tc.report_id and b.table_code = tc.table_code
    where tc.blanks > 0
),

outdated as (
    select
        s.id as report_id,
        cast(null as varchar) as table_code,
        cast(null as decimal(18, 4)) as actual,
        'outdated format: the 2019 (试行) tables used for ' || s.year
        || ' (tables: '
        || coalesce(
            nullif(
                array_to_string(
                    list_filter(
                        ['t2', 't3', 't4'],
                        lambda t:
                            json_extract_string(s.table_formats, t) = '2019'
                    ),
                    ', '
                ),
                ''
            ),
            'all'
        )
        || ')' as detail
    from assessed as s
    where
        s.year >= 2021
        and (
            s.format = '2019'
            or json_extract_string(s.table_formats, 't2') = '2019'
            or json_extract_string(s.table_formats, 't3') = '2019'
            or json_extract_string(s.table_formats, 't4') = '2019'
        )
),

section_numbers as (
    select
        se.report_id,
        list(distinct se.number) as numbers
    from sections as se
    where se.report_id in (select assessed.id from assessed)
    group by se.report_id
),

missing_sections as (
    select
        s.id as report_id,
        cast(null as varchar) as table_code,
        cast(6 - len(coalesce(sn.numbers, [])) as decimal(18, 4)) as actual,
        case
            when sn.numbers is null then 'no sections found'
            else 'sections missing: ' || array_to_string(
                list_filter(
                    ['一', '二', '三', '四', '五', '六'],
                    lambda x, i: not list_contains(sn.numbers, i)
                ),
                ', '
            )
        end as detail
    from assessed as s
    left join section_numbers as sn on sn.report_id = s.id
    where
        sn.numbers is null
        or not list_has_all(sn.numbers, [1, 2, 3, 4, 5, 6])
),

failing as (
    select
        f.report_id,
        'completeness' as rule,
        f.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        cast(null as decimal(18, 4)) as expected,
        f.actual,
        'warn' as severity,
        f.detail
    from (
        select * from missing_tables
        union all
        select * from blank_tables
        union all
        select * from outdated
        union all
        select * from missing_sections
    ) as f
)

-- include: check_output
