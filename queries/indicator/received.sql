-- name: received
-- description: New requests received (一、本年新收), a count.
-- formula: 三 一、本年新收政府信息公开申请数量, 总计 column
-- numerator: 三 一、本年新收, 总计 column
-- denominator: none
-- unit: 件
-- factor: none
select
    'received' as indicator,
    s.id as report_id,
    f.received as numerator,
    null as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
