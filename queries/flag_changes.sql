-- name: flag_changes
-- kind: report
-- description: What changed between two `nianbao check` runs: flags that
--   are new, fixed or still open.
-- params: run: the newer run's id (empty = the latest run);
--   since: the older run's id (empty = the run before the newer one)
-- returns: one row per flag and change. A flag is an agency (its id, else
--   its name), year, rule and cell (and, for a flag naming no cell, its
--   detail): the same flag in a new report version is still_open. new: in
--   the newer run, not in the older; fixed: in the older run, and the
--   newer run covered its rule and report (rule, year and region) without
--   flagging it; still_open: in both. ack is the newer flag's
--   acknowledgement (confirmed, false_alarm).

with params as (
    select
        coalesce(
            cast($run as bigint), (select max(cr.id) from check_runs as cr)
        ) as new_run,
        cast($since as bigint) as since
),

runs as (
    select
        p.new_run,
        coalesce(
            p.since,
            (
                select max(cr.id) from check_runs as cr
                where cr.id < p.new_run
            )
        ) as old_run
    from params as p
),

flags as (
    select
        k.run_id,
        k.report_id,
        r.agency_id,
        k.agency,
        k.year,
        k.rule,
        k.severity,
        k.table_code,
        k.row_code,
        k.col_code,
        k.expected,
        k.actual,
        k.detail,
        k.fingerprint,
        k.attribution,
        r.region_code,
        md5(concat_ws(
            '|',
            coalesce(cast(r.agency_id as varchar), k.agency, ''),
            coalesce(cast(k.year as varchar), ''),
            k.rule,
            coalesce(k.table_code, ''),
            coalesce(k.row_code, ''),
            coalesce(k.col_code, ''),
            case when k.table_code is null then coalesce(k.detail, '') end
        )) as flag_key
    from check_results as k
    cross join runs as u
    left join reports as r on r.id = k.report_id
    where k.run_id in (u.new_run, u.old_run)
),

newer as (
    select f.* from flags as f
    cross join runs as u
    where f.run_id = u.new_run
),

older as (
    select f.* from flags as f
    cross join runs as u
    where f.run_id = u.old_run
),

-- the newer run's coverage: its rules over its year and region
covered as (
    select
        unnest(cr.rules) as rule,
        cr.year,
        cr.region
    from check_runs as cr
    cross join runs as u
    where cr.id = u.new_run
),

changes as (
    select
        'new' as change,
        n.*
    from newer as n
    where not exists (
        select 1 from older as o where o.flag_key = n.flag_key
    )
    union all
    select
        'still_open' as change,
        n.*
    from newer as n
    where exists (
        select 1 from older as o where o.flag_key = n.flag_key
    )
    union all
    select
        'fixed' as change,
        o.*
    from older as o
    where
        not exists (
            select 1 from newer as n where n.flag_key = o.flag_key
        )
        and exists (
            select 1 from covered as c
            where
                c.rule = o.rule
                and (c.year is null or c.year = o.year)
                and (
                    c.region is null
                    or starts_with(o.region_code, c.region)
                )
        )
)

select
    c.change,
    u.old_run,
    u.new_run,
    c.report_id,
    c.agency_id,
    c.agency,
    c.year,
    c.rule,
    c.severity,
    c.table_code,
    c.row_code,
    c.col_code,
    c.expected,
    c.actual,
    c.detail,
    c.attribution,
    c.fingerprint,
    a.status as ack
from changes as c
cross join runs as u
left join flag_acks as a on a.fingerprint = c.fingerprint
order by
    c.change, c.agency, c.year, c.rule, c.table_code, c.row_code,
    c.col_code, c.detail
