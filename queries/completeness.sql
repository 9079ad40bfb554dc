-- name: completeness
-- kind: check
-- description: Missing tables, blank cells, the 2019 format used for 2021 or
--   later, and unknown publication dates (warn); sections are
--   report_structure's.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and finding: a missing table (table_code set),
--   blank cells of a table (actual = how many; detail lists them), an
--   outdated format, or an unknown publication date
--   (the deadline check cannot judge it; set it with nianbao correct or
--   import --published). Reports before 2019 are skipped.

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

-- Cell and blank counts per report and table (report_facts, migration
-- 006); a table without cells is missing. Where there are few blanks
-- (1 to 20) report_facts also names them: a mostly blank table prints
-- blanks for zeros, and naming 100 cells helps nobody.
table_cells as (
    select
        f.report_id,
        cast(t.table_code as cell_table_code) as table_code,
        t.cells,
        t.blanks,
        t.blank_names
    from report_facts as f
    cross join lateral (
        values
        ('t2', f.t2_cells, f.t2_blanks, f.t2_blank_names),
        ('t3', f.t3_cells, f.t3_blanks, f.t3_blank_names),
        ('t4', f.t4_cells, f.t4_blanks, f.t4_blank_names)
    ) as t (table_code, cells, blanks, blank_names)
    where
        t.cells > 0
        and f.report_id in (select assessed.id from assessed)
),

missing_tables as (
    select
        s.id as report_id,
        t.table_code,
        cast(null as decimal(18, 6)) as actual,
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
        cast(tc.blanks as decimal(18, 6)) as actual,
        tc.blanks || ' of ' || tc.cells || ' cells of table '
        || t.label || ' are blank'
        || coalesce(
            ': ' || tc.blank_names,
            ' (mostly blank: blanks probably stand for 0)'
        ) as detail
    from table_cells as tc
    inner join tables as t
        on cast(t.table_code as cell_table_code) = tc.table_code
    where tc.blanks > 0
),

outdated as (
    select
        s.id as report_id,
        cast(null as varchar) as table_code,
        cast(null as decimal(18, 6)) as actual,
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

unknown_dates as (
    select
        s.id as report_id,
        cast(null as varchar) as table_code,
        cast(null as decimal(18, 6)) as actual,
        'publication date unknown' as detail
    from assessed as s
    where s.published_at is null
),

failing as (
    select
        f.report_id,
        'completeness' as rule,
        f.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        cast(null as decimal(18, 6)) as expected,
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
        select * from unknown_dates
    ) as f
)

-- include: check_output
