-- name: suit_per_100
-- description: 行政诉讼 cases (direct and after review) per 100 new
--   requests.
-- formula: (四 未经复议直接起诉 总计 + 复议后起诉 总计) ÷ 三 一、本年新收 × 100
-- numerator: 四 行政诉讼: 直接起诉 总计 + 复议后起诉 总计 (a blank as 0
--   when the other is printed)
-- denominator: 三 一、本年新收政府信息公开申请数量, 总计 column
-- unit: per 100 new requests
-- factor: 100
select
    'suit_per_100' as indicator,
    s.id as report_id,
    f.suits as numerator,
    f.received as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
