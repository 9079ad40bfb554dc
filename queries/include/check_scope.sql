-- include/check_scope: the latest report of each agency and year within
-- $year and $region (NULL = no filter); shared by every check.
params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
),

scope as (
    select r.*
    from latest_reports as r
    cross join params as p
    where
        (p.year is null or r.year = p.year)
        and (p.region is null or starts_with(r.region_code, p.region))
),
