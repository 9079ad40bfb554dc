-- name: fees
-- description: 行政事业性收费 amount collected (2021 format), 万元.
-- formula: 二（八）本年收费金额（单位：万元）
-- numerator: 二 行政事业性收费 本年收费金额, 万元 as printed
-- denominator: none
-- unit: 万元
-- factor: none
select
    'fees' as indicator,
    s.id as report_id,
    f.fees_wan_yuan as numerator,
    null as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
