-- name: partial_rate
-- description: 部分公开率 over every request processed.
-- formula: 三（二）部分公开 ÷ 三（七）总计 × 100, 总计 column
-- numerator: 三（二）部分公开, 总计 column
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
select
    'partial_rate' as indicator,
    s.id as report_id,
    f.partial as numerator,
    f.processed as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
