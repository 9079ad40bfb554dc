-- name: trend
-- kind: report
-- description: Per agency (or a whole region) over the years: requests
--   received, result shares, carried over, reviews and suits with their
--   corrected share, licensing / penalty / coercion decisions and fees.
-- params: agency: part of the agency name (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   by {agency|region|regions|province|city|county} = agency: one row per
--   agency and year (agency), one row per year summed over every matching
--   agency (region), one row per region code and year summed over the
--   agencies of that exact code (regions), or one row per region of that
--   level and year, each including every region below it: a city includes
--   its counties (province, city, county)
-- returns: one row per agency (agencies.id; agency is the name it last
--   printed: a renamed body is one line)
--   and year, from the latest report of each agency and year, or one row
--   per region and year (named from the regions table; a report whose
--   region lies above the level counts in its own region's row); shares
--   are percentages of （七）总计, the
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
            when
                p.by_key not in (
                    'agency', 'region', 'regions', 'province', 'city',
                    'county'
                )
                then error(
                    'trend: by must be agency, region, regions, province,'
                    || ' city or county, not ' || p.by_key
                )
        end as invalid
    from params as p
),

scope as (
    select
        r.id,
        r.agency_id,
        r.agency,
        -- A body renamed in the reforms (环境保护局 → 生态环境局) is one
        -- agency id: its line is named as it last printed its name.
        arg_max(r.agency, r.year) over (
            partition by coalesce(cast(r.agency_id as varchar), r.agency)
        ) as current_name,
        r.region_code,
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

-- latest_reports holds one report per agency and year: per agency, each
-- report is its own row, and nothing needs summing.
per_agency as (
    select
        s.agency_id,
        s.current_name as unit,
        s.region_code,
        s.year,
        1 as reports,
        f.received,
        f.carried_in,
        f.processed,
        f.granted,
        f.partial,
        f.denied,
        f.unable,
        f.rejected,
        f.carried_out,
        f.reviews,
        f.suits,
        f.corrected,
        f.licensing,
        f.penalty,
        f.coercion,
        f.fees_wan_yuan
    from scope as s
    cross join checked_params as p
    left join report_figures as f on f.report_id = s.id
    where p.by_key = 'agency'
),

-- Each report's unit when grouping by region: the whole scope (by=region),
-- the region of the chosen level it lies in (regions table, migration
-- 008; a code not in the table stands for itself), or its own code
-- (by=regions and by=county).
units as (
    select
        s.id,
        s.year,
        case p.by_key
            when 'region' then coalesce(p.region, '')
            when 'province' then coalesce(g.province_code, s.region_code)
            when 'city'
                then coalesce(g.city_code, g.province_code, s.region_code)
            else s.region_code
        end as unit_code
    from scope as s
    cross join checked_params as p
    left join regions as g on g.code = s.region_code
    where p.by_key in ('region', 'regions', 'province', 'city', 'county')
),

-- Sums stay DECIMAL(18, 6): a region's total of printed counts is far
-- from 10^12, and a cast that overflowed would fail, not round.
per_region as (
    select
        null::bigint as agency_id,
        coalesce(
            -- by=regions names each unit by its code, the others by name
            case when any_value(p.by_key) = 'regions' then u.unit_code end,
            any_value(g.name),
            nullif(u.unit_code, ''),
            case
                when any_value(p.by_key) = 'region' then 'all'
                else 'unknown'
            end
        ) as unit,
        coalesce(any_value(g.code), u.unit_code) as region_code,
        u.year,
        count(*) as reports,
        cast(sum(f.received) as decimal(18, 6)) as received,
        cast(sum(f.carried_in) as decimal(18, 6)) as carried_in,
        cast(sum(f.processed) as decimal(18, 6)) as processed,
        cast(sum(f.granted) as decimal(18, 6)) as granted,
        cast(sum(f.partial) as decimal(18, 6)) as partial,
        cast(sum(f.denied) as decimal(18, 6)) as denied,
        cast(sum(f.unable) as decimal(18, 6)) as unable,
        cast(sum(f.rejected) as decimal(18, 6)) as rejected,
        cast(sum(f.carried_out) as decimal(18, 6)) as carried_out,
        cast(sum(f.reviews) as decimal(18, 6)) as reviews,
        cast(sum(f.suits) as decimal(18, 6)) as suits,
        cast(sum(f.corrected) as decimal(18, 6)) as corrected,
        cast(sum(f.licensing) as decimal(18, 6)) as licensing,
        cast(sum(f.penalty) as decimal(18, 6)) as penalty,
        cast(sum(f.coercion) as decimal(18, 6)) as coercion,
        cast(sum(f.fees_wan_yuan) as decimal(18, 6)) as fees_wan_yuan
    from units as u
    cross join checked_params as p
    left join regions as g on g.prefix = u.unit_code or g.code = u.unit_code
    left join report_figures as f on f.report_id = u.id
    group by u.year, u.unit_code
),

grouped as (
    select * from per_agency
    union all
    select * from per_region
)

-- Shares go through a DOUBLE division and are rounded to 0.01 %: they
-- describe, they never decide a balance.
select
    g.unit as agency,
    g.agency_id,
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
order by g.unit, g.year, g.agency_id
