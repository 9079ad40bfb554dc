-- include/check_output: every check's rows in the one shape (CTE failing:
-- report_id, rule, table_code, row_code, col_code, expected, actual,
-- severity, detail).
select
    s.id as report_id,
    s.agency,
    s.year,
    f.rule,
    f.table_code,
    f.row_code,
    f.col_code,
    f.expected,
    f.actual,
    f.actual - f.expected as difference,
    f.severity,
    f.detail,
    s.source
from scope as s
inner join failing as f on f.report_id = s.id
order by
    s.agency, s.year, s.id, f.table_code, f.row_code, f.col_code, f.detail
