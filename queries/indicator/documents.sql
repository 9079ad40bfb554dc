-- name: documents
-- description: 主动公开 documents of 第二十条第（一）项
--   (规章 + 行政规范性文件): documents.made (本年制发),
--   documents.repealed (本年废止), documents.in_force (现行有效).
--   2021 format; the 2019 format's columns mean other things
--   (新制作/新公开/对外公开总数) and are left out.
-- formula: 二（一）规章 + 行政规范性文件, per column
-- numerator: 二 规章 + 行政规范性文件 of the column, blanks left out
-- denominator: none
-- unit: 件
-- factor: none
-- yields: documents.made, documents.repealed, documents.in_force
select
    'documents.' || c.col as indicator,
    s.id as report_id,
    c.value as numerator,
    null as denominator
from scope as s
inner join (
    select
        t.report_id,
        sum(t.made) as made,
        sum(t.repealed) as repealed,
        sum(t.in_force) as in_force
    from t2_rows as t
    where
        t.row_code in ('rules'::cell_row_code, 'normative'::cell_row_code)
        and t.report_id in (select scope.id from scope)
    group by t.report_id
) as d on d.report_id = s.id
cross join lateral (
    values ('made', d.made), ('repealed', d.repealed),
    ('in_force', d.in_force)
) as c (col, value)
