-- include/check_scope: the latest report of each agency and year within
-- $year and $region (NULL = no filter); shared by every check. The latest
-- versions are report_facts.is_latest (migration 006), the rows of the
-- latest_reports view without its two window passes over every report.
params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
),

scope as (
    select r.*
    from reports as r
    inner join report_facts as lf on lf.report_id = r.id
    cross join params as p
    where
        lf.is_latest
        and (p.year is null or r.year = p.year)
        and (p.region is null or starts_with(r.region_code, p.region))
),
