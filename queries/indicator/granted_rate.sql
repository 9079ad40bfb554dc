-- name: granted_rate
-- description: 予以公开率 over every request processed.
-- formula: 三（一）予以公开 ÷ 三（七）总计 × 100, 总计 column
-- numerator: 三（一）予以公开, 总计 column
-- denominator: 三（七）总计, 总计 column (every request processed,
--   不予处理 and 其他处理 included)
-- unit: %
-- factor: 100
select
    'granted_rate' as indicator,
    s.id as report_id,
    f.granted as numerator,
    f.processed as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
