-- name: coverage
-- kind: report
-- description: Which configured portals and agencies have a report for which
--   years, and the gaps.
-- params: region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per agency (with its portal) holding the years it has a
--   report for and the years missing between the first and the last year
--   seen anywhere in scope (2019 onward); a report whose agency is unknown
--   is a row of its own, "(agency unknown) " and its page; plus one row
--   per configured portal that has no report at all.

with params as (
    select cast($region as varchar) as region
),

scope as (
    select
        r.id,
        -- Reports without an agency are never lumped into one row: each
        -- stands alone, named by its page, until it is corrected.
        coalesce(
            nullif(r.agency, ''), '(agency unknown) ' || r.source
        ) as agency,
        r.portal,
        r.region_code,
        r.year
    -- latest versions: report_facts.is_latest (migration 006)
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    cross join params as p
    where
        r.year is not null
        and (p.region is null or starts_with(r.region_code, p.region))
),

span as (
    select
        greatest(min(s.year), 2019) as first_year,
        max(s.year) as last_year
    from scope as s
),

agencies_seen as (
    select
        s.agency,
        string_agg(distinct s.portal, ', ') as portal,
        any_value(s.region_code) as region_code,
        list(distinct s.year order by s.year) as years,
        count(*) as reports
    from scope as s
    group by s.agency
),

with_gaps as (
    select
        a.*,
        list_filter(
            range(sp.first_year, sp.last_year + 1),
            lambda y: not list_contains(a.years, y)
        ) as missing
    from agencies_seen as a
    cross join span as sp
),

idle_portals as (
    select
        po.name as portal,
        po.region_code
    from portals as po
    cross join params as p
    where
        (p.region is null or starts_with(po.region_code, p.region))
        and not exists (
            select 1
            -- latest versions: report_facts.is_latest (migration 006)
            from reports as r
            inner join report_facts as lf
                on lf.report_id = r.id and lf.is_latest
            where r.portal = po.name
        )
)

select
    w.portal,
    w.agency,
    w.region_code,
    w.reports,
    w.years[1] as first_year,
    w.years[-1] as last_year,
    array_to_string(w.years, ', ') as years,
    array_to_string(w.missing, ', ') as missing_years,
    len(w.missing) as gaps
from with_gaps as w
union all
select
    i.portal,
    cast(null as varchar) as agency,
    i.region_code,
    0 as reports,
    cast(null as integer) as first_year,
    cast(null as integer) as last_year,
    '' as years,
    'no report found' as missing_years,
    cast(null as bigint) as gaps
from idle_portals as i
order by gaps desc nulls first, agency, portal
