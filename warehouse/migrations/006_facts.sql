-- 006_facts: fact tables derived from cells at load time, so the canned
-- checks and comparisons read a few million pivoted rows instead of grouping
-- tens of millions of cells on every run. They hold nothing cells do not:
-- DB.LoadReports fills them for the reports it adds (one set-based INSERT
-- per table), and every read-write Open, Run and Check first fills them for
-- reports that lack them — which is how an older file is backfilled.
-- Values are DECIMAL(18,4) with NULL kept (a blank cell, or no cell).

-- One row per report: its place among the versions of its agency and year
-- (is_latest mirrors the latest_reports view), its cell counts and its
-- sections.
create table report_facts (
    report_id   bigint not null,
    agency_id   bigint,                       -- as when the row was made
    part_key    varchar,                      -- latest_reports' partition
    part_year   integer,
    is_latest   boolean not null default false,
    t2_cells    integer not null default 0,
    t2_blanks   integer not null default 0,
    t3_cells    integer not null default 0,
    t3_blanks   integer not null default 0,
    t4_cells    integer not null default 0,
    t4_blanks   integer not null default 0,
    -- "row/col, …" of a table's blank cells when there are 1 to 20
    t2_blank_names varchar,
    t3_blank_names varchar,
    t4_blank_names varchar,
    sections    integer not null default 0,   -- rows in sections
    section_numbers integer[]                 -- their distinct numbers, sorted
);

-- Table 三, one row per report and printed row, one column per applicant
-- column; cells counts the row's cells (blanks the blank ones), main_cells
-- those of the seven columns 自然人 … 总计.
create table t3_rows (
    report_id             bigint not null,
    row_code              cell_row_code not null,
    natural_person        decimal(18, 4),
    commercial_enterprise decimal(18, 4),
    research_institution  decimal(18, 4),
    social_welfare_org    decimal(18, 4),
    legal_service_org     decimal(18, 4),
    other_org             decimal(18, 4),
    total                 decimal(18, 4),
    legal_subtotal        decimal(18, 4),
    cells                 smallint not null,
    blanks                smallint not null,    -- of those, blank
    main_cells            smallint not null
);

-- Table 三, one row per report and printed column: the balance rows and
-- the sums of the result rows the checks and comparisons need.
create table t3_cols (
    report_id      bigint not null,
    col_code       cell_col_code not null,
    new            decimal(18, 4),            -- 一、本年新收
    carried_in     decimal(18, 4),            -- 二、上年结转
    result_total   decimal(18, 4),            -- （七）总计
    carried_out    decimal(18, 4),            -- 四、结转下年度
    balance_cells  smallint not null,         -- cells of those four rows
    result_cells   smallint not null,         -- cells of （一）…（七）
    granted        decimal(18, 4),
    partial        decimal(18, 4),
    denied         decimal(18, 4),            -- sum of the 8 （三） rows
    unable         decimal(18, 4),            -- sum of the 3 （四） rows
    rejected       decimal(18, 4),            -- sum of the 5 （五） rows
    common_sum     decimal(38, 4),            -- （一）…（五）, 18 rows
    common_printed smallint not null,         -- non-blank cells of those
    other_sum      decimal(38, 4),            -- 2019 （六）其他处理
    other_printed  smallint not null,
    sub_sum        decimal(38, 4),            -- 2021 （六） three sub-rows
    sub_printed    smallint not null,
    sub_cells      smallint not null,         -- cells of the sub-rows
    intake_cells   smallint not null          -- cells of 一 and 二 (new, carried_in)
);

-- Table 四, one row per report, fifteen columns.
create table t4_facts (
    report_id                   bigint not null,
    review_upheld               decimal(18, 4),
    review_corrected            decimal(18, 4),
    review_other                decimal(18, 4),
    review_pending              decimal(18, 4),
    review_total                decimal(18, 4),
    suit_direct_upheld          decimal(18, 4),
    suit_direct_corrected       decimal(18, 4),
    suit_direct_other           decimal(18, 4),
    suit_direct_pending         decimal(18, 4),
    suit_direct_total           decimal(18, 4),
    suit_after_review_upheld    decimal(18, 4),
    suit_after_review_corrected decimal(18, 4),
    suit_after_review_other     decimal(18, 4),
    suit_after_review_pending   decimal(18, 4),
    suit_after_review_total     decimal(18, 4),
    review_cells                smallint not null,
    suit_direct_cells           smallint not null,
    suit_after_review_cells     smallint not null,
    total_cells                 smallint not null, -- cells of the three 总计 columns
    cells                       smallint not null, -- all of table 四's cells
    blanks                      smallint not null  -- of those, blank
);

-- Table 二, one row per report and printed row.
create table t2_rows (
    report_id       bigint not null,
    row_code        cell_row_code not null,
    made            decimal(18, 4),
    repealed        decimal(18, 4),
    in_force        decimal(18, 4),
    decisions       decimal(18, 4),
    amount_wan_yuan decimal(18, 4),
    cells           smallint not null,
    blanks          smallint not null
);
