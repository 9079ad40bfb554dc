-- name: carried_over_share
-- description: Share of the year's caseload carried over to next year.
-- formula: 三 四、结转下年度 ÷ (一、本年新收 + 二、上年结转) × 100
-- numerator: 三 四、结转下年度继续办理, 总计 column
-- denominator: 三 一、本年新收 + 二、上年结转, 总计 column, a blank as 0
--   when the other is printed
-- unit: %
-- factor: 100
select
    'carried_over_share' as indicator,
    s.id as report_id,
    f.carried_out as numerator,
    case
        when f.received is not null or f.carried_in is not null
            then coalesce(f.received, 0) + coalesce(f.carried_in, 0)
    end as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
