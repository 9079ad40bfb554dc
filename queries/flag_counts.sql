-- name: flag_counts
-- kind: report
-- description: How many latest reports each rule flags, per severity, as
--   stored by the last `nianbao check`.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per rule and severity with the number of reports and
--   of failing rows (cells).

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
)

select
    f.rule,
    f.severity,
    count(distinct f.report_id) as reports,
    count(*) as failures
from check_failures as f
cross join params as p
where
    (p.year is null or f.year = p.year)
    and (p.region is null or starts_with(f.region_code, p.region))
group by f.rule, f.severity
order by f.rule, f.severity
