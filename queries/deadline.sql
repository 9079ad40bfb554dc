-- name: deadline
-- kind: check
-- description: Publication deadline (条例第四十九条): departments by 1月31日,
--   governments' own reports by 3月31日 of the next year, from published_at.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per late report (warn: government vs department is
--   the agency's level, read from its name: a 人民政府, 管委会 or a
--   township's 镇, 乡, 街道 is a government); expected = 0, actual =
--   difference = days late. A report whose publication date is unknown
--   cannot be late: completeness names it once.

with
-- include: check_scope

-- The deadline rule is the macros is_government and report_due on
-- agencies.level (warehouse migration 019, warehouse.AgencyLevel), shared
-- with the freshness report and the indicators' peers.
deadlines as (
    select
        s.id,
        s.agency,
        s.year,
        s.published_at,
        is_government(a.level) as is_government,
        report_due(a.level, s.year) as due
    from scope as s
    left join agencies as a on a.id = s.agency_id
    where s.year is not null and s.published_at is not null
),

failing as (
    select
        d.id as report_id,
        'deadline' as rule,
        cast(null as varchar) as table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as col_code,
        -- expected 0 days late, actual the days late: difference = delay.
        cast(0 as decimal(18, 6)) as expected,
        cast(date_diff('day', d.due, d.published_at) as decimal(18, 6))
            as actual,
        'warn' as severity,
        'published ' || strftime(d.published_at, '%Y-%m-%d')
        || ', due ' || strftime(d.due, '%Y-%m-%d') || ' ('
        || case
            when d.is_government then 'government, 3月31日'
            else 'department, 1月31日'
        end
        || '): ' || date_diff('day', d.due, d.published_at)
        || ' days late' as detail
    from deadlines as d
    where d.published_at > d.due
)

-- include: check_output
