-- 014_report_due: the publication deadline of 条例第四十九条 as one macro,
-- read by the deadline check and the freshness report. A name that ends
-- in 人民政府, 管委会, 管理委员会, 办事处, 镇, 乡 or 街道 is a government
-- (its own report due 3月31日 of the next year); anything else (…局,
-- …人民政府办公室, 城乡建设局) a department (due 1月31日).
create macro report_is_government(agency) as
    regexp_matches(
        coalesce(agency, ''),
        '(人民政府|管委会|管理委员会|办事处|镇|乡|街道)$'
    );

create macro report_due(agency, year) as
    case
        when report_is_government(agency) then make_date(year + 1, 3, 31)
        else make_date(year + 1, 1, 31)
    end;
