-- name: revisions
-- kind: report
-- description: Reports whose published page changed after it was first
--   captured: each version change with its dates and the cells it changed.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per change (old page bytes → new page bytes) per agency
--   and year, from the report_revisions view; changed lists the cells whose
--   value changed, appeared or disappeared (∅ = no cell).

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
)

select
    v.agency,
    v.year,
    v.revision,
    v.old_report_id,
    v.new_report_id,
    v.old_captured_at,
    v.new_captured_at,
    v.old_published_at,
    v.new_published_at,
    v.changed_cells,
    v.changed,
    r.source
from report_revisions as v
inner join reports as r on r.id = v.new_report_id
cross join params as p
where
    (p.year is null or v.year = p.year)
    and (p.region is null or starts_with(r.region_code, p.region))
order by v.agency, v.year, v.revision
