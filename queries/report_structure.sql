-- name: report_structure
-- kind: check
-- description: The six sections of the national format (一、总体情况 …
--   六、其他需要报告的事项, README's checks): missing, out of order, or
--   misnumbered (warn); no heading found at all (not_assessable).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and finding: a section missing (expected =
--   its number), printed out of order (expected = its number, actual =
--   its place among the headings), printed with another numeral or none
--   (expected = its number, actual = the numeral printed, NULL when none
--   or no heading at all), or no section heading found. A section is
--   known by its heading's words, whatever numeral it prints (format.md
--   §1 lists the variants). Reports before 2019 and in the pre-2019
--   format are skipped: the six sections came with the 2019 format.

with
-- include: check_scope

assessed as (
    select s.id
    from scope as s
    where
        coalesce(s.year, 9999) >= 2019
        and s.format is distinct from 'pre2019'
),

-- 七…十 too: a heading numbered too far is still read (extract)
numerals as (
    select ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as names
),

headings as (
    select
        se.report_id,
        se.number,
        se.heading,
        -- the order printed; sections loaded before migration 021 have
        -- none and count as printed in their order
        row_number() over (
            partition by se.report_id
            order by coalesce(se.position, se.number), se.number
        ) as place,
        list_position(
            n.names,
            regexp_extract(
                coalesce(se.heading, ''),
                '^[\s　]*([一二三四五六七八九十])' || '[\s　]*、', 1
            )
        ) as printed
    from sections as se
    cross join numerals as n
    where se.report_id in (select assessed.id from assessed)
),

no_headings as (
    select
        a.id as report_id,
        cast(null as integer) as number,
        cast(null as bigint) as actual,
        'not_assessable' as severity,
        'no section heading found' as detail
    from assessed as a
    where not exists (
        select 1 from headings as h where h.report_id = a.id
    )
),

missing as (
    select
        a.id as report_id,
        k.number,
        cast(null as bigint) as actual,
        'warn' as severity,
        'section ' || n.names[k.number] || ' ('
        || ['总体情况', '主动公开政府信息情况',
            '收到和处理政府信息公开申请情况',
            '政府信息公开行政复议、行政诉讼情况',
            '存在的主要问题及改进情况', '其他需要报告的事项'][k.number]
        || ') missing' as detail
    from assessed as a
    cross join (select unnest(range(1, 7)) as number) as k
    cross join numerals as n
    where
        exists (select 1 from headings as h where h.report_id = a.id)
        and not exists (
            select 1
            from headings as h
            where h.report_id = a.id and h.number = k.number
        )
),

-- A section printed after one with a higher number.
out_of_order as (
    select
        h.report_id,
        h.number,
        h.place as actual,
        'warn' as severity,
        'section ' || n.names[h.number] || ' printed after section '
        || n.names[h.before] || ' (heading ' || h.place || ' of '
        || h.headings || ')' as detail
    from (
        select
            *,
            max(number) over (
                partition by report_id order by place
                rows between unbounded preceding and 1 preceding
            ) as before,
            count(*) over (partition by report_id) as headings
        from headings
    ) as h
    cross join numerals as n
    where h.number < h.before
),

misnumbered as (
    select
        h.report_id,
        h.number,
        h.printed as actual,
        'warn' as severity,
        case
            when coalesce(h.heading, '') = ''
                then 'section ' || n.names[h.number]
                || ' has no heading: its prose starts the report'
            when h.printed is null
                then 'section ' || n.names[h.number]
                || ' heading printed without its numeral: ' || h.heading
            else 'section ' || n.names[h.number] || ' numbered '
                || n.names[h.printed] || ': ' || h.heading
        end as detail
    from headings as h
    cross join numerals as n
    where h.printed is distinct from h.number
),

failing as (
    select
        f.report_id,
        'report_structure' as rule,
        cast(null as varchar) as table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        cast(f.number as decimal(18, 6)) as expected,
        cast(f.actual as decimal(18, 6)) as actual,
        f.severity,
        f.detail
    from (
        select * from no_headings
        union all
        select * from missing
        union all
        select * from out_of_order
        union all
        select * from misnumbered
    ) as f
)

-- include: check_output
