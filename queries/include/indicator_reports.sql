-- include/indicator_reports: the indicators of the latest reports in
-- scope, one row per indicator and report (CTE per_report), with the
-- peer group and whether the value may be ranked (min-N guard). Needs a
-- CTE checked_params with year_from, year_to, region, agency, indicator
-- (NULL = all), min_n and invalid (NULL when the parameters are valid),
-- and the parameter $indicator. The values are table indicator_facts,
-- made per report at load (IndicatorFactsSQL in queries/indicators.go).
--
-- A body's peers are its peers whatever the filter: --region 410711 keeps
-- 牧野区 ranked among the counties of 新乡, not alone. per_report holds
-- the reports the filters keep (in_scope) and, for ranking, the other
-- members of their peer groups (not in_scope): a query ranks over all
-- rows and prints those in scope.
years_reports as (
    select
        r.id,
        r.agency_id,
        r.agency,
        r.region_code,
        r.year,
        a.level,
        -- the region whose bodies of one level are peers
        case a.level
            when 'province' then ''
            when 'city' then left(r.region_code, 2)
            when 'county' then left(r.region_code, 4)
            else r.region_code
        end as parent_region,
        (p.region is null or starts_with(r.region_code, p.region))
        and (p.agency is null or contains(r.agency, p.agency)) as in_scope
    -- latest versions: report_facts.is_latest (migration 006)
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    cross join checked_params as p
    left join agencies as a on a.id = r.agency_id
    where
        r.year is not null
        and p.invalid is null
        and (p.year_from is null or r.year >= p.year_from)
        and (p.year_to is null or r.year <= p.year_to)
),

-- the peer groups of the reports in scope
scope_groups as (
    select distinct
        y.year,
        coalesce(y.level, '') as level,
        y.parent_region
    from years_reports as y
    where y.in_scope
),

-- the reports in scope and their peers
scope as (
    select y.*
    from years_reports as y
    where
        y.in_scope
        or (y.year, coalesce(y.level, ''), y.parent_region) in (
            select (g.year, g.level, g.parent_region) from scope_groups as g
        )
),

-- include: indicator_values

per_report as (
    select
        v.indicator,
        v.unit,
        v.factor,
        v.covariate,
        s.agency_id,
        s.agency,
        s.level,
        s.region_code,
        s.parent_region,
        s.year,
        s.id as report_id,
        s.in_scope,
        v.numerator,
        v.denominator,
        v.value,
        case
            when v.numerator is null then 'numerator not printed'
            when v.factor is null then null
            when v.denominator is null then 'denominator not printed'
            when v.denominator = 0 then 'denominator is 0'
            when v.denominator < p.min_n
                then 'denominator below ' || p.min_n
                || ': rank suppressed'
        end as note,
        v.numerator is not null
        and (
            v.factor is null
            or (v.denominator <> 0 and v.denominator >= p.min_n)
        ) as ranked
    from indicator_values as v
    inner join scope as s on s.id = v.report_id
    cross join checked_params as p
),
