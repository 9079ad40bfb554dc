-- name: indicators
-- kind: report
-- description: The researchers' indicators (queries/indicator/, one file
--   each, its formula in its header; docs/indicators.md): per report with
--   peer rank and percentile, or per region rolled up.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   agency: part of the agency name (empty = all);
--   indicator = granted_rate: an indicator, a file of several such as
--   denied_rate_by_reason or correction_rate, or all (every indicator: a
--   million rows a year at national scale);
--   by {report|region} = report: one row per latest report, i.e. per
--   agency and year (report), or summed over the agencies of each region
--   (region);
--   region_digits {2|4|6} = 6: with by=region, the region code prefix
--   length to group by: 2 province, 4 city, 6 county;
--   min_n: smallest denominator that gets a peer rank and percentile
--   (default 30)
-- returns: one row per indicator and report (or region and year), by
--   indicator, region code, agency (id) and year. value =
--   factor × numerator ÷ denominator, exact DECIMAL rounded half away from
--   zero to 0.01 (macro exact_ratio); a count's value is its numerator;
--   NULL when the denominator is 0 or not printed (note says which). Peers
--   are the bodies of the same level under the same parent region (city:
--   its province; county: its city; township and department: its county)
--   with the same indicator and year and a denominator ≥ min_n, whatever
--   the region and agency filters keep (a county filtered alone is still
--   ranked among its city's counties): peer_rank
--   1 is the highest value (ties share), peer_percentile the share of
--   those peers with a lower value (100 × (rank from the bottom − 1) ÷
--   (peers − 1)). By region: numerator and denominator are sums over the
--   agencies that printed both (a covariate's denominator is the region's
--   own value, e.g. its population); agencies_published counts the region's
--   latest reports, agencies_reporting those with the figure.

with params as (
    select
        cast($region as varchar) as region,
        cast($agency as varchar) as agency,
        nullif(cast($indicator as varchar), 'all') as indicator,
        coalesce(cast($by as varchar), 'report') as by_key,
        coalesce(cast($region_digits as integer), 6) as digits,
        coalesce(cast($min_n as integer), 30) as min_n,
        cast($year as integer) as year_from,
        cast($year as integer) as year_to
),

-- Materialized so that error() fires even when no report is in scope.
checked_params as materialized (
    select
        p.*,
        -- by and region_digits are closed (header): nianbao checks them
        case
            when p.min_n < 0
                then error('indicators: min_n must be 0 or more')
        end as invalid
    from params as p
),

-- include: indicator_reports

-- One sort per peer group: the peers below a value (rank from the bottom
-- − 1) are those not at or above it, cume_dist() × peers of them in the
-- descending order (exact after round: a count over a count). Only the
-- ranked values, and only their keys, are sorted: the window carries what
-- it sorts, and agency names made it twice as slow.
ranks as (
    select
        report_id,
        indicator,
        count(*) over peers as peers,
        rank() over peers as peer_rank,
        exact_ratio(
            count(*) over peers
            - cast(round(cume_dist() over peers * count(*) over peers)
                as bigint),
            count(*) over peers - 1,
            100
        ) as peer_percentile
    from per_report
    where ranked and (select p.by_key from params as p) = 'report'
    window peers as (
        partition by indicator, year, level, parent_region
        order by value desc
        rows between unbounded preceding and unbounded following
    )
),

peer_ranks as (
    select
        v.*,
        k.peers,
        k.peer_rank,
        k.peer_percentile
    from per_report as v
    left join ranks as k
        on k.report_id = v.report_id and k.indicator = v.indicator
    where v.in_scope and (select p.by_key from params as p) = 'report'
),

region_rows as (
    select
        v.indicator,
        v.unit,
        v.factor,
        v.covariate,
        left(v.region_code, p.digits) as region_code,
        v.year,
        v.numerator,
        v.denominator
    from per_report as v
    cross join params as p
    where p.by_key = 'region' and v.in_scope
),

-- every latest report of the region counts as published
published as (
    select
        left(s.region_code, p.digits) as region_code,
        s.year,
        count(*) as agencies_published
    from scope as s
    cross join params as p
    where p.by_key = 'region' and s.in_scope
    group by left(s.region_code, p.digits), s.year
),

per_region as (
    select
        g.indicator,
        any_value(g.unit) as unit,
        any_value(g.factor) as factor,
        any_value(g.covariate) as covariate,
        g.region_code,
        g.year,
        count(*) filter (
            where
                g.numerator is not null
                and (
                    g.factor is null or g.covariate is not null
                    or g.denominator is not null
                )
        ) as agencies_reporting,
        cast(
            sum(g.numerator) filter (
                where
                    g.factor is null or g.covariate is not null
                    or g.denominator is not null
            ) as decimal(18, 6)
        ) as numerator,
        cast(
            sum(g.denominator) filter (where g.numerator is not null)
            as decimal(18, 6)
        ) as denominator
    from region_rows as g
    group by g.indicator, g.region_code, g.year
),

region_values as (
    select
        r.indicator,
        r.unit,
        r.region_code,
        r.year,
        pb.agencies_published,
        r.agencies_reporting,
        r.numerator,
        -- a covariate is the region's own figure, not a sum over agencies
        case
            when r.covariate is not null then cv.value
            else r.denominator
        end as denominator,
        r.factor
    from per_region as r
    inner join published as pb
        on pb.region_code = r.region_code and pb.year = r.year
    left join covariates as cv
        on
            r.covariate is not null
            and cv.region_code = rpad(r.region_code, 6, '0')
            and cv.year = r.year
            and cv.name = r.covariate
)

select
    pr.indicator,
    pr.unit,
    pr.agency_id,
    pr.agency,
    pr.level,
    pr.region_code,
    pr.year,
    pr.report_id,
    null::bigint as agencies_published,
    null::bigint as agencies_reporting,
    pr.numerator,
    pr.denominator,
    pr.value,
    pr.peers,
    pr.peer_rank,
    pr.peer_percentile,
    pr.note
from peer_ranks as pr
union all
select
    rv.indicator,
    rv.unit,
    null::bigint as agency_id,
    null as agency,
    null as level,
    rv.region_code,
    rv.year,
    null::bigint as report_id,
    rv.agencies_published,
    rv.agencies_reporting,
    rv.numerator,
    cast(rv.denominator as decimal(18, 6)) as denominator,
    case
        when rv.factor is null then rv.numerator
        else exact_ratio(rv.numerator, rv.denominator, rv.factor)
    end as value,
    null::bigint as peers,
    null::bigint as peer_rank,
    null::decimal(18, 2) as peer_percentile,
    case
        when rv.numerator is null then 'numerator not printed'
        when rv.factor is null then null
        when rv.denominator is null then 'denominator not printed'
        when rv.denominator = 0 then 'denominator is 0'
    end as note
from region_values as rv
-- a body's years together, under every name it printed (agency_id), by id
-- rather than by name: sorting 300,000 agency names cost 0.15 s
order by indicator, region_code, agency_id, year, report_id
