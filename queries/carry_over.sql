-- name: carry_over
-- kind: check
-- description: Across years, same agency: this year's 二、上年结转 = last
--   year's 四、结转下年度继续办理, per column of table 三 (a heuristic: warn).
-- params: year: statistical year of the later report (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per report and column whose carried_in differs from the
--   previous year's carried_out (blanks as 0); expected = last year's
--   carried_out, actual = this year's carried_in. Needs both years' latest
--   reports.

with
-- include: check_scope

-- include: previous_year

-- This year's row 二、上年结转 and last year's row 四、结转下年度 of table 三
-- (t3_rows, migration 006), for pairs where both are printed, one row per
-- column: a column printed in neither year is 0 = 0.
compared as (
    select
        p.report_id,
        p.prev_year,
        cast(c.col_code as cell_col_code) as col_code,
        c.in_v,
        c.out_v
    from pairs as p
    inner join t3_rows as t
        on
            t.report_id = p.report_id
            and t.row_code = 'carried_in'::cell_row_code
    inner join t3_rows as l
        on
            l.report_id = p.prev_id
            and l.row_code = 'carried_out'::cell_row_code
    cross join lateral (
        values
        ('natural', t.natural_person, l.natural_person),
        ('commercial', t.commercial_enterprise, l.commercial_enterprise),
        ('research', t.research_institution, l.research_institution),
        ('social', t.social_welfare_org, l.social_welfare_org),
        ('legal', t.legal_service_org, l.legal_service_org),
        ('other', t.other_org, l.other_org),
        ('total', t.total, l.total),
        ('legal_subtotal', t.legal_subtotal, l.legal_subtotal)
    ) as c (col_code, in_v, out_v)
),

failing as (
    select
        c.report_id,
        'carry_over' as rule,
        't3' as table_code,
        'carried_in' as row_code,
        c.col_code,
        cast(coalesce(c.out_v, 0) as decimal(18, 6)) as expected,
        cast(coalesce(c.in_v, 0) as decimal(18, 6)) as actual,
        'warn' as severity,
        '二、上年结转 = ' || c.prev_year || '年 四、结转下年度 for '
        || c.col_code || ': '
        || coalesce(regexp_replace(cast(c.in_v as varchar), '\.?0+$', ''), '空')
        || ' ≠ '
        || coalesce(
            regexp_replace(cast(c.out_v as varchar), '\.?0+$', ''), '空'
        ) as detail
    from compared as c
    where coalesce(c.in_v, 0) != coalesce(c.out_v, 0)
)

-- include: check_output
