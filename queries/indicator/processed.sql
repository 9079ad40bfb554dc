-- name: processed
-- description: Requests processed (（七）总计), a count.
-- formula: 三（七）总计, 总计 column
-- numerator: 三（七）总计, 总计 column
-- denominator: none
-- unit: 件
-- factor: none
select
    'processed' as indicator,
    s.id as report_id,
    f.processed as numerator,
    null as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
