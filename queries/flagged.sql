-- name: flagged
-- kind: report
-- description: Reports with error-severity check failures, as stored by the
--   last `nianbao check`: which rules fail and on which cells.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per flagged report (latest versions only) with its
--   failing rules, the number of failing cells and their details.

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
)

select
    f.report_id,
    f.agency,
    f.year,
    string_agg(distinct f.rule, ', ' order by f.rule) as rules,
    count(*) as failures,
    string_agg(
        f.detail, '; '
        order by f.rule, f.table_code, f.row_code, f.col_code
    ) as details,
    any_value(f.source) as source
from check_failures as f
cross join params as p
where
    f.severity = 'error'
    and (p.year is null or f.year = p.year)
    and (p.region is null or starts_with(f.region_code, p.region))
group by f.report_id, f.agency, f.year
order by f.agency, f.year, f.report_id
