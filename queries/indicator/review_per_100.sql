-- name: review_per_100
-- description: 行政复议 cases per 100 new requests.
-- formula: 四 行政复议 总计 ÷ 三 一、本年新收 × 100
-- numerator: 四 行政复议 总计
-- denominator: 三 一、本年新收政府信息公开申请数量, 总计 column
-- unit: per 100 new requests
-- factor: 100
select
    'review_per_100' as indicator,
    s.id as report_id,
    f.reviews as numerator,
    f.received as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
