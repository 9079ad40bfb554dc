-- 007_figures: one row per report with the figures trend and compare are
-- made of, so a national trend reads one narrow table instead of joining
-- three fact tables and pivoting table 二 on every run. Derived like the
-- tables of 006 (facts.go fills it in the same pass, from t3_cols,
-- t4_facts and t2_rows). Blank cells are left out of sums; a figure none of
-- whose cells is printed is NULL.
create table report_figures (
    report_id     bigint not null,
    received      decimal(18, 4),   -- 三 一、本年新收, 总计 column
    carried_in    decimal(18, 4),   -- 二、上年结转
    processed     decimal(18, 4),   -- （七）总计
    granted       decimal(18, 4),   -- （一）予以公开
    partial       decimal(18, 4),   -- （二）部分公开
    denied        decimal(18, 4),   -- （三）不予公开, its 8 rows
    unable        decimal(18, 4),   -- （四）无法提供, its 3 rows
    rejected      decimal(18, 4),   -- （五）不予处理, its 5 rows
    carried_out   decimal(18, 4),   -- 四、结转下年度
    reviews       decimal(18, 4),   -- 四 行政复议 总计
    suits         decimal(18, 4),   -- 行政诉讼 总计, direct + after review
    corrected     decimal(18, 4),   -- 结果纠正, review + both suits
    licensing     decimal(18, 4),   -- 二 行政许可 decisions
    penalty       decimal(18, 4),   -- 行政处罚
    coercion      decimal(18, 4),   -- 行政强制
    fees_wan_yuan decimal(18, 4)    -- 行政事业性收费, 万元
);

-- The derived tables are rebuilt by the refresh every read-write open runs
-- (facts.go): emptied here, every report lacks its facts, and they are made
-- again with the figures, from the one definition in facts.go.
delete from t3_rows;
delete from t3_cols;
delete from t4_facts;
delete from t2_rows;
delete from report_facts;
