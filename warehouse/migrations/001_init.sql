-- 001_init: the first schema. Table and column names are a contract:
-- researchers and scripts query them. Later migrations only add.

create sequence crawl_run_id start 1;
create sequence page_id start 1;
create sequence report_id start 1;

-- Configured portals, upserted from the config file at every crawl.
create table portals (
    name            varchar primary key,
    region_code     varchar,
    start_urls      varchar[],
    allowed_domains varchar[],
    family          varchar,
    updated_at      timestamp
);

-- One row per crawl (or import) run.
create table crawl_runs (
    id            bigint primary key default nextval('crawl_run_id'),
    kind          varchar not null,          -- crawl | import | extract | schedule
    started_at    timestamp not null,
    finished_at   timestamp,
    status        varchar not null,          -- running | ok | interrupted | failed
    portals       varchar[],
    pages_fetched integer default 0,
    reports_added integer default 0,
    errors        integer default 0,
    note          varchar
);

-- Every fetched or imported page, kept even when extraction fails.
create table pages (
    id             bigint primary key default nextval('page_id'),
    run_id         bigint,
    portal         varchar,
    url            varchar not null,          -- URL, or file path for imports
    final_url      varchar,                   -- after redirects
    parent_url     varchar,                   -- for attachments: the report page
    kind           varchar,                   -- list | report | attachment | other
    fetched_at     timestamp not null,
    status         integer,                   -- HTTP status (0 for files)
    content_type   varchar,
    charset        varchar,
    sha256         varchar,
    size           bigint,
    title          varchar,
    archive_path   varchar,                   -- content-addressed file or WARC file
    warc_record_id varchar,
    warc_offset    bigint,
    etag           varchar,
    last_modified  varchar,
    error          varchar,                   -- fetch error, if any
    extract_error  varchar                    -- extraction error, if any
);

-- One row per extracted version of a report.
create table reports (
    id                bigint primary key default nextval('report_id'),
    agency            varchar,
    region_code       varchar,
    year              integer,
    format            varchar,                -- 2019 | 2021 | pre2019 | unknown
    source            varchar,                -- URL or file path
    page_sha256       varchar,
    published_at      date,
    extracted_at      timestamp not null,
    warnings          json,                   -- extract.Warning list
    extractor_version varchar,
    portal            varchar,
    title             varchar,
    table_formats     json
);

create table cells (
    report_id  bigint not null,
    table_code varchar not null,              -- t2 | t3 | t4
    row_code   varchar not null,
    col_code   varchar not null,
    value      decimal(18, 4),                -- null: blank or placeholder
    raw        varchar,
    unit       varchar,
    src_table  integer,
    src_row    integer,
    src_col    integer
);

create table sections (
    report_id bigint not null,
    number    integer,
    heading   varchar,
    text      varchar
);

-- Failures found by `nianbao check`, one row per failing report, rule and cell.
create table check_results (
    checked_at timestamp not null,
    report_id  bigint,
    agency     varchar,
    year       integer,
    rule       varchar not null,
    table_code varchar,
    row_code   varchar,
    col_code   varchar,
    expected   decimal(18, 4),
    actual     decimal(18, 4),
    severity   varchar,                       -- error | uncertain | not_assessable | warn
    detail     varchar,
    source     varchar
);

-- The newest extracted version of each report (per agency and year; reports
-- with no agency or year are keyed by their source).
create view latest_reports as
select *
from reports
qualify row_number() over (
    partition by coalesce(agency, source), coalesce(year, -1)
    order by extracted_at desc, id desc
) = 1;
