-- name: compare
-- kind: report
-- description: All agencies of a region (or of one level) for one year,
--   ranked on a metric.
-- params: year: statistical year (empty = the latest year in scope);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   level {province|city|county|township|department}: the agencies' level
--   (empty = all);
--   metric {received|carried_in|processed|granted_pct|partial_pct|
--   denied_pct|unable_pct|rejected_pct|carried_out|reviews|suits|
--   corrected_pct|licensing|penalty|coercion|fees_wan_yuan} = received:
--   the figure agencies are ranked on
-- returns: one row per agency, highest value first (rank 1; ties share a
--   rank; agencies without the figure last), with received and processed
--   for context. Shares are percentages of （七）总计 (corrected_pct: of
--   reviews + suits).

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region,
        cast($level as varchar) as level,
        coalesce(cast($metric as varchar), 'received') as metric
),

-- Materialized so that error() fires even when no report is in scope.
checked_params as materialized (
    select
        p.*,
        case
            when p.metric not in (
                'received', 'carried_in', 'processed', 'granted_pct',
                'partial_pct', 'denied_pct', 'unable_pct', 'rejected_pct',
                'carried_out', 'reviews', 'suits', 'corrected_pct',
                'licensing', 'penalty', 'coercion', 'fees_wan_yuan'
            ) then error('compare: unknown metric ' || p.metric
                || '; valid: received, carried_in, processed, granted_pct, '
                || 'partial_pct, denied_pct, unable_pct, rejected_pct, '
                || 'carried_out, reviews, suits, corrected_pct, licensing, '
                || 'penalty, coercion, fees_wan_yuan')
        end as invalid
    from params as p
),

candidates as (
    select
        r.id,
        r.agency,
        r.region_code,
        a.level,
        r.year
    -- latest versions: report_facts.is_latest (migration 006)
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    cross join checked_params as p
    left join agencies as a on a.id = r.agency_id
    where
        r.year is not null
        and p.invalid is null
        and (p.region is null or starts_with(r.region_code, p.region))
        and (p.level is null or a.level = p.level)
),

scope as (
    select c.*
    from candidates as c
    cross join params as p
    where c.year = coalesce(p.year, (select max(x.year) from candidates as x))
),

metrics as (
    select
        s.agency,
        s.region_code,
        s.level,
        s.year,
        f.received,
        f.processed,
        -- Shares go through a DOUBLE division, rounded to 0.01 %: they
        -- describe, they never decide a balance.
        case p.metric
            when 'received' then f.received
            when 'carried_in' then f.carried_in
            when 'processed' then f.processed
            when 'granted_pct' then
                cast(100 * f.granted / nullif(f.processed, 0) as decimal(7, 2))
            when 'partial_pct' then
                cast(100 * f.partial / nullif(f.processed, 0) as decimal(7, 2))
            when 'denied_pct' then
                cast(100 * f.denied / nullif(f.processed, 0) as decimal(7, 2))
            when 'unable_pct' then
                cast(100 * f.unable / nullif(f.processed, 0) as decimal(7, 2))
            when 'rejected_pct' then
                cast(
                    100 * f.rejected / nullif(f.processed, 0) as decimal(7, 2)
                )
            when 'carried_out' then f.carried_out
            when 'reviews' then f.reviews
            when 'suits' then f.suits
            when 'corrected_pct' then
                cast(
                    100 * f.corrected / nullif(
                        coalesce(f.reviews, 0) + coalesce(f.suits, 0), 0
                    ) as decimal(7, 2)
                )
            when 'licensing' then f.licensing
            when 'penalty' then f.penalty
            when 'coercion' then f.coercion
            when 'fees_wan_yuan' then f.fees_wan_yuan
        end as value,
        p.metric
    from scope as s
    cross join params as p
    left join report_figures as f on f.report_id = s.id
)

select
    rank() over (order by m.value desc nulls last) as rank,
    m.agency,
    m.region_code,
    m.level,
    m.year,
    m.metric,
    cast(m.value as decimal(18, 6)) as value,
    m.received,
    m.processed
from metrics as m
order by rank, m.agency
