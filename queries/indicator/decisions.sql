-- name: decisions
-- description: 主动公开 decisions: decisions.licensing (行政许可),
--   decisions.penalty (行政处罚), decisions.coercion (行政强制).
-- formula: 二（五）（六）处理决定数量, per row
-- numerator: 二 处理决定数量 of the row
-- denominator: none
-- unit: 件
-- factor: none
-- yields: decisions.licensing, decisions.penalty, decisions.coercion
select
    'decisions.' || c.kind as indicator,
    s.id as report_id,
    c.value as numerator,
    null as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
cross join lateral (
    values ('licensing', f.licensing), ('penalty', f.penalty),
    ('coercion', f.coercion)
) as c (kind, value)
