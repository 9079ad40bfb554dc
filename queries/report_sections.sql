-- name: report_sections
-- kind: report
-- description: The prose of reports: the six numbered sections as printed.
-- params: report: report id, or ids separated by commas (empty = every
--   latest report);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and section (number 1..6 for 一..六), with
--   the heading and text as printed.

with params as (
    select
        cast($report as varchar) as report,
        list_transform(
            string_split(cast($report as varchar), ','),
            lambda x: try_cast(trim(x) as bigint)
        ) as ids,
        cast($region as varchar) as region
)

select
    s.report_id,
    s.number,
    s.heading,
    s.text
from sections as s
inner join reports as r on r.id = s.report_id
inner join report_facts as lf on lf.report_id = r.id
cross join params as p
where
    (
        (p.report is null and lf.is_latest)
        -- a hash join on the ids: list_contains per row costs rows × ids
        or r.id in (select unnest(q.ids) from params as q)
    )
    and (p.region is null or starts_with(r.region_code, p.region))
order by s.report_id, s.number
