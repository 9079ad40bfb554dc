-- 020_indicator_facts: every indicator of queries/indicator/ that no
-- covariate divides, one row per report and indicator, made at load with
-- the other derived tables (facts.go, from queries.IndicatorFactsSQL), so
-- the indicators and outliers reports read rows instead of computing 33
-- indicators for every report on each run (300,000 reports: 10 million
-- rows, seconds saved per query). Indicators divided by a covariate
-- (received_per_10k) are still computed by the query: covariates are
-- imported apart from reports.
create table indicator_facts (
    report_id   bigint not null,
    indicator   varchar not null,            -- granted_rate, denied_rate.state_secret …
    file        varchar not null,            -- the file of queries/indicator/ it comes from
    unit        varchar not null,
    factor      integer,                     -- NULL for a count
    numerator   decimal(18, 6),
    denominator decimal(18, 6),
    value       decimal(18, 6)               -- exact_ratio(numerator, denominator, factor), or the count
);

-- The derived tables are rebuilt by the refresh every read-write open runs
-- (facts.go): emptied here, every report lacks its facts, and they are made
-- again, indicator_facts with them.
delete from t3_rows;
delete from t3_cols;
delete from t4_facts;
delete from t2_rows;
delete from report_figures;
delete from report_facts;
