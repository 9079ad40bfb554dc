-- name: received_per_10k
-- description: New requests per 10,000 residents, from the covariate
--   population (`nianbao import-covariates`) of the report's region and
--   year; a region's figure divides by the region's own population.
-- formula: 三 一、本年新收 ÷ covariates.population × 10000
-- numerator: 三 一、本年新收, 总计 column
-- denominator: covariates value named population (residents) for the
--   report's region_code and year
-- unit: per 10,000 residents
-- factor: 10000
-- covariate: population
select
    'received_per_10k' as indicator,
    s.id as report_id,
    f.received as numerator,
    cv.value as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
left join covariates as cv
    on
        cv.region_code = s.region_code
        and cv.year = s.year
        and cv.name = 'population'
