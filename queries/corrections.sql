-- name: corrections
-- kind: report
-- description: What researchers set by hand (nianbao correct, import
--   --agency/--year/--published): each correction with the page it
--   corrects, what the page gave and the report as it now stands.
-- params: year: statistical year of the corrected report (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per stored correction, newest first; extracted is what
--   the page's newest extraction gave for the field ('' = nothing),
--   superseded is true when a later correction of the same page and field
--   replaced it; agency, year and region_code are the newest report's.

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
),

-- The newest extraction of each corrected page.
newest as (
    select
        r.*
    from reports as r
    where r.page_sha256 in (select c.page_sha256 from corrections as c)
    qualify row_number() over (
        partition by r.page_sha256 order by r.id desc
    ) = 1
),

-- What each report's corrections column says it applied, per field.
applied as (
    select
        n.page_sha256,
        json_extract_string(e.value, '$.field') as field,
        json_extract_string(e.value, '$.extracted') as extracted,
        cast(json_extract_string(e.value, '$.correction_id') as bigint)
            as correction_id
    from newest as n
    cross join json_each(n.corrections) as e
)

select
    c.id as correction_id,
    c.created_at,
    c.origin,
    c.field,
    c.value,
    a.extracted,
    c.id < max(c.id) over (partition by c.page_sha256, c.field)
        as superseded,
    c.note,
    coalesce(c.url, n.source) as page,
    c.page_sha256,
    n.id as report_id,
    n.agency,
    n.year,
    n.region_code
from corrections as c
cross join params as p
left join newest as n on n.page_sha256 = c.page_sha256
left join applied as a
    on a.page_sha256 = c.page_sha256 and a.field = c.field
where
    (p.year is null or n.year = p.year)
    and (p.region is null or starts_with(n.region_code, p.region))
order by c.id desc
