-- name: trend
-- kind: report
-- description: Per agency (or a whole region) over the years: requests
--   received, result shares, carried over, reviews and suits with their
--   corrected share, licensing / penalty / coercion decisions and fees.
-- params: agency: part of the agency name (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   by: agency (default: one row per agency and year) or region (one row
--   per year, summed over every matching agency)
-- returns: one row per agency (or region) and year, from the latest report
--   of each agency and year; shares are percentages of （七）总计, the
--   corrected share a percentage of reviews + suits. Blank cells count as 0
--   in sums.

with params as (
    select
        cast($agency as varchar) as agency,
        cast($region as varchar) as region,
        coalesce(cast($by as varchar), 'agency') as by_key
),

-- Materialized so that error() fires even when no report is in scope.
checked_params as materialized (
    select
        p.*,
        case
            when p.by_key not in ('agency', 'region')
                then error('trend: by must be agency or region, not '
                    || p.by_key)
        end as invalid
    from params as p
),

scope as (
    select
        r.id,
        case when p.by_key = 'region' then coalesce(p.region, 'all')
            else r.agency end as unit,
        case when p.by_key = 'region' then coalesce(p.region, '')
            else r.region_code end as region_code,
        r.year
    -- latest versions: report_facts.is_latest (migration 006)
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    cross join checked_params as p
    where
        r.year is not null
        and p.invalid is null
        and (p.agency is null or contains(r.agency, p.agency))
        and (p.region is null or starts_with(r.region_code, p.region))
),

-- include: report_figures

grouped as (
    select
        s.unit,
        any_value(s.region_code) as region_code,
        s.year,
        count(*) as reports,
        sum(f.received) as received,
        sum(f.carried_in) as carried_in,
        sum(f.processed) as processed,
        sum(f.granted) as granted,
        sum(f.partial) as partial,
        sum(f.denied) as denied,
        sum(f.unable) as unable,
        sum(f.rejected) as rejected,
        sum(f.carried_out) as carried_out,
        sum(f.reviews) as reviews,
        sum(f.suits) as suits,
        sum(f.corrected) as corrected,
        sum(f.licensing) as licensing,
        sum(f.penalty) as penalty,
        sum(f.coercion) as coercion,
        sum(f.fees_wan_yuan) as fees_wan_yuan
    from scope as s
    left join figures as f on f.report_id = s.id
    group by s.unit, s.year
)

-- Shares go through a DOUBLE division and are rounded to 0.01 %: they
-- describe, they never decide a balance.
select
    g.unit as agency,
    g.region_code,
    g.year,
    g.reports,
    g.received,
    g.carried_in,
    g.processed,
    cast(100 * g.granted / nullif(g.processed, 0) as decimal(7, 2))
        as granted_pct,
    cast(100 * g.partial / nullif(g.processed, 0) as decimal(7, 2))
        as partial_pct,
    cast(100 * g.denied / nullif(g.processed, 0) as decimal(7, 2))
        as denied_pct,
    cast(100 * g.unable / nullif(g.processed, 0) as decimal(7, 2))
        as unable_pct,
    cast(100 * g.rejected / nullif(g.processed, 0) as decimal(7, 2))
        as rejected_pct,
    g.carried_out,
    g.reviews,
    g.suits,
    cast(
        100 * g.corrected
        / nullif(coalesce(g.reviews, 0) + coalesce(g.suits, 0), 0)
        as decimal(7, 2)
    ) as corrected_pct,
    g.licensing,
    g.penalty,
    g.coercion,
    g.fees_wan_yuan
from grouped as g
order by g.unit, g.year
