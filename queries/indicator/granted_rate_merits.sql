-- name: granted_rate_merits
-- description: 予以公开率 over the requests answered on the merits.
-- formula: 三（一） ÷ (三（一）+（二）+（三）+（四)) × 100, 总计 column
-- numerator: 三（一）予以公开, 总计 column
-- denominator: 三（一）予以公开 + （二）部分公开 + （三）不予公开 (8 rows) +
--   （四）无法提供 (3 rows), 总计 column, blanks as 0 when one is printed:
--   （七）总计 without （五）不予处理 and （六）其他处理
-- unit: %
-- factor: 100
select
    'granted_rate_merits' as indicator,
    s.id as report_id,
    f.granted as numerator,
    case
        when
            f.granted is not null or f.partial is not null
            or f.denied is not null or f.unable is not null
            then coalesce(f.granted, 0) + coalesce(f.partial, 0)
            + coalesce(f.denied, 0) + coalesce(f.unable, 0)
    end as denominator
from scope as s
inner join report_figures as f on f.report_id = s.id
