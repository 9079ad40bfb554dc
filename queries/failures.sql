-- name: failures
-- kind: report
-- description: The failures stored by the last `nianbao check` on the
--   latest reports, in the shape and order `nianbao check` prints them.
-- params: rule: check name (empty = all);
--   year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   severity: error, uncertain, not_assessable or warn (empty = all);
--   report: report id, or ids separated by commas (empty = all)
-- returns: one row per failing report and cell, the columns of
--   `nianbao check` (check_failures: the latest check of each rule on each
--   current report); the site's per-rule CSV is this query's output.

with params as (
    select
        cast($rule as varchar) as rule,
        cast($year as integer) as year,
        cast($region as varchar) as region,
        cast($severity as varchar) as severity,
        cast($report as varchar) as report,
        list_transform(
            string_split(cast($report as varchar), ','),
            lambda x: try_cast(trim(x) as bigint)
        ) as ids
)

select
    f.report_id,
    f.agency,
    f.year,
    f.rule,
    f.table_code,
    f.row_code,
    f.col_code,
    f.expected,
    f.actual,
    f.difference,
    f.severity,
    f.detail,
    f.source,
    f.attribution,
    f.doubtful_cells,
    f.fingerprint,
    f.ack
from check_failures as f
cross join params as p
where
    (p.rule is null or f.rule = p.rule)
    and (p.year is null or f.year = p.year)
    and (p.region is null or starts_with(f.region_code, p.region))
    and (p.severity is null or f.severity = p.severity)
    and (p.report is null or list_contains(p.ids, f.report_id))
-- the order of warehouse.Check (checkOrder), detail breaking ties
order by
    f.agency, f.year, f.report_id, f.rule, f.table_code, f.row_code,
    f.col_code, f.detail
