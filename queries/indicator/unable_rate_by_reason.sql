-- name: unable_rate_by_reason
-- description: 无法提供率 per reason: unable_rate.no_info (本机关不掌握),
--   unable_rate.need_creation (需另行制作), unable_rate.unclear (仍不明确).
-- formula: 三（四）n ÷ 三（七）总计 × 100, 总计 column, one indicator per
--   reason row n
-- numerator: the reason's row of 三（四）, 总计 column
-- denominator: 三（七）总计, 总计 column
-- unit: %
-- factor: 100
-- yields: unable_rate.no_info, unable_rate.need_creation, unable_rate.unclear
select
    'unable_rate.'
    || substr(cast(t.row_code as varchar), 8) as indicator,
    s.id as report_id,
    t.total as numerator,
    f.processed as denominator
from scope as s
inner join t3_rows as t
    on
        t.report_id = s.id
        and t.row_code between 'unable.no_info'::cell_row_code
        and 'unable.unclear'::cell_row_code
left join report_figures as f on f.report_id = s.id
