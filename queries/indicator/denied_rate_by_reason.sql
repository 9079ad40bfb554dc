-- name: denied_rate_by_reason
-- description: 不予公开率 per reason: denied_rate.state_secret …
--   denied_rate.query (国家秘密 … 行政查询事项).
-- formula: 三（三）n ÷ 三（七）总计 × 100, 总计 column, one indicator per
--   reason row n
-- numerator: the reason's row of 三（三）, 总计 column
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
-- yields: denied_rate.state_secret, denied_rate.law_prohibited,
--   denied_rate.three_safety, denied_rate.third_party, denied_rate.internal,
--   denied_rate.process, denied_rate.enforcement, denied_rate.query
select
    'denied_rate.'
    || substr(cast(t.row_code as varchar), 8) as indicator,
    s.id as report_id,
    t.total as numerator,
    f.processed as denominator
from scope as s
inner join t3_rows as t
    on
        t.report_id = s.id
        and t.row_code between 'denied.state_secret'::cell_row_code
        and 'denied.query'::cell_row_code
left join report_figures as f on f.report_id = s.id
