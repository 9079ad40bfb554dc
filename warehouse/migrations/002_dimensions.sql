-- 002_dimensions: the codebook and agencies dimensions, report provenance
-- (page, capture time, agency id) and the views researchers start from.
-- Only adds: every table and column of 001 keeps its name.

-- The canonical codes, refilled from extract.Codebook() at every read-write
-- open so the warehouse and the extractor never disagree.
create table codebook (
    kind       varchar not null,              -- row | col
    table_code varchar not null,              -- t2 | t3 | t4
    code       varchar not null,
    formats    varchar,                       -- "2019,2021", "2019", "2021" or "none"
    label      varchar,
    ordinal    integer                        -- position in the codebook file
);

create sequence agency_id start 1;

-- One row per agency across years: the stable id reports point to.
create table agencies (
    id          bigint primary key default nextval('agency_id'),
    name        varchar not null,             -- as first printed
    norm_name   varchar not null,             -- NFKC, no spaces or brackets
    region_code varchar not null default '',  -- GB/T 2260, '' when unknown
    level       varchar,                      -- province | city | county | township | department
    parent_id   bigint,                       -- the government above, where known
    created_at  timestamp
);
create unique index agencies_key on agencies (norm_name, region_code);

alter table reports add column agency_id bigint;
alter table reports add column page_id bigint;
-- When the page bytes were fetched (imports: when the file was loaded); the
-- first capture of a sha decides which version is newest.
alter table reports add column captured_at timestamp;

-- Newest version per agency and year: the most recently first-captured page
-- bytes, then the most recent extraction of them (so re-extracting an old
-- page with a new extractor never makes it "latest" again).
create or replace view latest_reports as
with versions as (
    select
        r.*,
        min(coalesce(r.captured_at, r.extracted_at))
            over (partition by r.page_sha256) as first_captured_at
    from reports as r
)
select * exclude (first_captured_at)
from versions
qualify row_number() over (
    partition by
        coalesce(cast(agency_id as varchar), nullif(agency, ''), source),
        coalesce(year, -1)
    order by first_captured_at desc, extracted_at desc, id desc
) = 1;
