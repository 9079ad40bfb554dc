-- name: changes
-- kind: report
-- description: What the latest run brought: reports first captured and
--   pages revised (flags new or fixed since the previous check: see
--   flag_changes).
-- params: since: a timestamp, e.g. 2026-03-01 (empty = the start of the
--   latest crawl, extract, import or schedule run, or with no run recorded
--   the day before the latest extraction)
-- returns: one row per change: change is new (a first report for its
--   agency and year) or revised (changed bytes of a report already held),
--   with the report, when it was captured and what changed.

with params as (
    select try_cast($since as timestamp) as since
),

window_start as (
    select coalesce(
        (select p.since from params as p),
        (
            select max(c.started_at)
            from crawl_runs as c
            where c.kind in ('crawl', 'extract', 'import', 'schedule')
        ),
        (select max(r.extracted_at) from reports as r) - interval 1 day
    ) as since
),

latest as (
    select r.*
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
),

revised as (
    select
        v.new_report_id as report_id,
        v.new_captured_at as at,
        v.changed_cells,
        v.changed
    from report_revisions as v
    cross join window_start as w
    where v.new_captured_at >= w.since
),

fresh as (
    select
        l.id as report_id,
        coalesce(l.captured_at, l.extracted_at) as at
    from latest as l
    cross join window_start as w
    where
        coalesce(l.captured_at, l.extracted_at) >= w.since
        and l.id not in (select v.report_id from revised as v)
),

changed as (
    select
        'new' as change,
        f.report_id,
        f.at,
        cast(null as varchar) as detail
    from fresh as f
    union all
    select
        'revised' as change,
        v.report_id,
        v.at,
        v.changed_cells || ' cells changed: ' || v.changed as detail
    from revised as v
)

select
    c.change,
    c.report_id,
    l.agency,
    l.region_code,
    l.year,
    c.at,
    c.detail
from changed as c
inner join latest as l on l.id = c.report_id
order by change desc, agency, year, report_id
