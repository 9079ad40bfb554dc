-- name: outliers
-- kind: report
-- description: Indicator values a researcher should look at before using
--   them: a jump from last year, a zero among busy peers, a share outside
--   0–100 %.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   agency: part of the agency name (empty = all);
--   indicator = granted_rate: an indicator, a file of several such as
--   denied_rate_by_reason, or all (every indicator);
--   yoy_high: flag a value above this × last year's (default 5);
--   yoy_low: flag a value below this × last year's (default 0.2);
--   zero_peers: flag a count of 0 when its peers' median exceeds this
--   (default 100);
--   min_n: ratios are compared across years only when both denominators
--   are at least this (default 30)
-- returns: one row per indicator, report and reason: yoy (value ÷ last
--   year's value of the same agency, exact to 0.01, beyond yoy_high or
--   yoy_low; last year's value must be above 0), zero_vs_peers (a count
--   of 0 where the median of its peers — same level, parent region and
--   year, itself included, whatever the filters keep — exceeds
--   zero_peers) or share_out_of_range (a
--   % below 0 or above 100).

with params as (
    select
        cast($region as varchar) as region,
        cast($agency as varchar) as agency,
        nullif(cast($indicator as varchar), 'all') as indicator,
        coalesce(cast($yoy_high as decimal(18, 6)), 5) as yoy_high,
        coalesce(cast($yoy_low as decimal(18, 6)), 0.2) as yoy_low,
        coalesce(cast($zero_peers as decimal(18, 6)), 100) as zero_peers,
        coalesce(cast($min_n as integer), 30) as min_n,
        cast($year as integer) - 1 as year_from,
        cast($year as integer) as year_to
),

checked_params as materialized (
    select
        p.*,
        case
            when p.yoy_low >= p.yoy_high
                then error('outliers: yoy_low must be below yoy_high')
        end as invalid
    from params as p
),

-- include: indicator_reports

-- the previous year's value of the same agency (id, else name)
yoy as (
    select
        c.*,
        prev.value as prev_value,
        exact_ratio(c.value, prev.value, 1) as ratio
    from per_report as c
    inner join per_report as prev
        on
            prev.indicator = c.indicator
            and coalesce(cast(prev.agency_id as varchar), prev.agency)
            = coalesce(cast(c.agency_id as varchar), c.agency)
            and prev.year = c.year - 1
    where c.ranked and prev.ranked and prev.value > 0
),

peer_medians as (
    select
        *,
        median(value) over (
            partition by indicator, year, level, parent_region
        ) as peer_median
    from per_report
    where factor is null and value is not null
),

flagged as (
    select
        y.*,
        null::decimal(18, 6) as peer_median,
        'yoy' as reason,
        y.indicator || ' ' || decimal_text(y.prev_value) || ' ('
        || (y.year - 1) || ') → ' || decimal_text(y.value) || ' ('
        || y.year || '): ×' || decimal_text(y.ratio) as detail
    from yoy as y
    cross join params as p
    where y.ratio > p.yoy_high or y.ratio < p.yoy_low
    union all by name
    select
        m.*,
        'zero_vs_peers' as reason,
        m.indicator || ' is 0 where its peers'' median is '
        || decimal_text(m.peer_median) as detail
    from peer_medians as m
    cross join params as p
    where m.value = 0 and m.peer_median > p.zero_peers
    union all by name
    select
        r.*,
        'share_out_of_range' as reason,
        r.indicator || ' = ' || decimal_text(r.value) || ' %: '
        || decimal_text(r.numerator) || ' of '
        || decimal_text(r.denominator) as detail
    from per_report as r
    where r.unit = '%' and (r.value < 0 or r.value > 100)
)

select
    f.reason,
    f.indicator,
    f.unit,
    f.agency_id,
    f.agency,
    f.level,
    f.region_code,
    f.year,
    f.report_id,
    f.numerator,
    f.denominator,
    f.value,
    f.prev_value,
    f.ratio,
    cast(f.peer_median as decimal(18, 6)) as peer_median,
    f.detail
from flagged as f
cross join params as p
-- peers out of the filters' scope count for medians, but are not printed
where f.in_scope and (p.year_to is null or f.year = p.year_to)
order by f.reason, f.indicator, f.agency, f.year
