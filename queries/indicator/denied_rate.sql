-- name: denied_rate
-- description: 不予公开率 over every request processed, all reasons.
-- formula: 三（三）不予公开 (sum of its 8 rows) ÷ 三（七）总计 × 100
-- numerator: 三（三）1…8, 总计 column, blanks left out
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
select
    'denied_rate' as indicator,
    s.id as report_id,
    f.denied as numerator,
    f.processed as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
