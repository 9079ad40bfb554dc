-- name: rejected_rate
-- description: 不予处理率 over every request processed.
-- formula: 三（五）不予处理 (sum of its 5 rows) ÷ 三（七）总计 × 100
-- numerator: 三（五）1…5, 总计 column, blanks left out
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
select
    'rejected_rate' as indicator,
    s.id as report_id,
    f.rejected as numerator,
    f.processed as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
