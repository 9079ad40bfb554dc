-- name: freshness
-- kind: report
-- description: How current the database is: per portal, the age of its
--   last successful fetch; per body, the years with no report after their
--   deadline.
-- params: year: only missing reports of this statistical year (empty =
--   all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   as_of: the date to measure from, YYYY-MM-DD (empty = today)
-- returns: kind portal: one row per configured portal, last_success = the
--   latest fetch of one of its pages without an error (NULL: never),
--   age_days from it to as_of. kind missing_report: one row per body and
--   year Y with no report for Y although the body published one for an
--   earlier year (so it is expected) and Y's deadline (条例第四十九条, the
--   rule of the deadline check: governments 3月31日, departments 1月31日 of
--   Y + 1) has passed by as_of; Y runs from the year after the body's
--   first report to the last year whose deadline has passed.

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region,
        coalesce(cast($as_of as date), current_date) as as_of
),

portal_rows as (
    select
        'portal' as kind,
        po.name,
        po.region_code,
        null::bigint as agency_id,
        null::integer as year,
        max(pg.fetched_at) as last_success,
        date_diff('day', cast(max(pg.fetched_at) as date), p.as_of)
            as age_days,
        null::date as due,
        case
            when max(pg.fetched_at) is null then 'never fetched without error'
        end as detail
    from portals as po
    cross join params as p
    left join pages as pg
        on
            pg.portal = po.name
            and pg.error is null
            and coalesce(pg.status, 200) < 400
    where p.region is null or starts_with(po.region_code, p.region)
    group by po.name, po.region_code, p.as_of
),

-- every body's latest reports: which years it published
published as (
    select
        coalesce(cast(r.agency_id as varchar), r.agency) as body,
        any_value(r.agency_id) as agency_id,
        any_value(a.level) as level,
        arg_max(r.agency, r.year) as agency,
        arg_max(r.region_code, r.year) as region_code,
        min(r.year) as first_year,
        list(distinct r.year) as years
    from reports as r
    inner join report_facts as f on f.report_id = r.id and f.is_latest
    left join agencies as a on a.id = r.agency_id
    cross join params as p
    where
        r.year is not null
        and coalesce(r.agency, '') <> ''
        and (p.region is null or starts_with(r.region_code, p.region))
    group by coalesce(cast(r.agency_id as varchar), r.agency)
),

expected as (
    select
        b.*,
        y.year,
        report_due(b.level, y.year) as due
    from published as b
    cross join params as p
    cross join lateral (
        select unnest(range(b.first_year + 1, year(p.as_of))) as year
    ) as y
    where
        (p.year is null or y.year = p.year)
        and report_due(b.level, y.year) < p.as_of
        and not list_contains(b.years, y.year)
),

missing_rows as (
    select
        'missing_report' as kind,
        e.agency as name,
        e.region_code,
        e.agency_id,
        e.year,
        null::timestamp as last_success,
        date_diff('day', e.due, p.as_of) as age_days,
        e.due,
        'no report for ' || e.year || ', due '
        || strftime(e.due, '%Y-%m-%d')
        || case
            when is_government(e.level) then ' (government)'
            else ' (department)'
        end
        || '; published for ' || e.first_year || ' and later' as detail
    from expected as e
    cross join params as p
)

select * from portal_rows
union all
select * from missing_rows
order by kind desc, region_code, name, year
