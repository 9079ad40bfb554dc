-- name: unable_rate
-- description: 无法提供率 over every request processed, all reasons.
-- formula: 三（四）无法提供 (sum of its 3 rows) ÷ 三（七）总计 × 100
-- numerator: 三（四）1…3, 总计 column, blanks left out
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
select
    'unable_rate' as indicator,
    s.id as report_id,
    f.unable as numerator,
    f.processed as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
