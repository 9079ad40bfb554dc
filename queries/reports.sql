-- name: reports
-- kind: report
-- description: The latest version of every report, with what it was read
--   from (source_kind: html, pdf, docx, …) and how much of it was read:
--   cells, blank cells, sections, warnings, stored check failures.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   agency: part of the agency name (empty = all)
-- returns: one row per agency and year (its latest report); errors and
--   warnings count the failures stored by the last `nianbao check`.

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region,
        cast($agency as varchar) as agency
),

scope as (
    select r.*
    -- latest versions: report_facts.is_latest (migration 006)
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    cross join params as p
    where
        (p.year is null or r.year = p.year)
        and (p.region is null or starts_with(r.region_code, p.region))
        and (p.agency is null or contains(r.agency, p.agency))
),

cell_counts as (
    select
        f.report_id,
        cast(f.t2_cells + f.t3_cells + f.t4_cells as bigint) as cells,
        cast(f.t2_blanks + f.t3_blanks + f.t4_blanks as bigint)
            as blank_cells
    from report_facts as f
    where f.report_id in (select scope.id from scope)
),

section_counts as (
    select
        f.report_id,
        cast(f.sections as bigint) as sections
    from report_facts as f
    where
        f.sections > 0
        and f.report_id in (select scope.id from scope)
),

failure_counts as (
    select
        f.report_id,
        count(*) filter (where f.severity = 'error') as errors,
        count(*) filter (where f.severity != 'error') as other_flags
    -- check_failures restricted to reports in scope (all latest): the
    -- latest check of each rule on each report.
    from (
        select k.report_id, k.severity
        from check_results as k
        where k.report_id in (select scope.id from scope)
        qualify
            k.checked_at
            = max(k.checked_at) over (partition by k.rule, k.report_id)
    ) as f
    group by f.report_id
)

select
    s.id as report_id,
    s.agency,
    s.region_code,
    s.year,
    s.format,
    s.source_kind,
    s.published_at,
    coalesce(cc.cells, 0) as cells,
    coalesce(cc.blank_cells, 0) as blank_cells,
    coalesce(sc.sections, 0) as sections,
    coalesce(json_array_length(s.warnings), 0) as warnings,
    coalesce(fc.errors, 0) as errors,
    coalesce(fc.other_flags, 0) as other_flags,
    s.source
from scope as s
left join cell_counts as cc on cc.report_id = s.id
left join section_counts as sc on sc.report_id = s.id
left join failure_counts as fc on fc.report_id = s.id
order by s.agency, s.year
