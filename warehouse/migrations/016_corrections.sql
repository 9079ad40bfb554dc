-- 016_corrections: what a researcher sets by hand (nianbao correct, import
-- --agency/--year/--region/--published), kept as data keyed by the page's
-- bytes, so it is applied again at every load and re-extraction of them;
-- and why each report has the agency it has (provenance).

create sequence correction_id start 1;

create table corrections (
    id          bigint primary key default nextval('correction_id'),
    page_sha256 varchar not null,             -- the page bytes corrected (every extraction of them)
    url         varchar,                      -- the page's URL or file, for people
    field       varchar not null,             -- agency | year | region | published
    value       varchar not null,             -- agency name, year, six-digit region code, YYYY-MM-DD
    note        varchar,                      -- why, in the researcher's words
    origin      varchar not null,             -- correct | import
    created_at  timestamp not null
);

-- Per report: the corrections applied, [{field, extracted, value,
-- correction_id, note}] (extracted = what the page gave, "" for nothing);
-- where the agency was read (extract.AgencyFrom* code) and every place the
-- page names an agency, the chosen one marked.
alter table reports add column corrections json;
alter table reports add column agency_source varchar;
alter table reports add column agency_candidates json;
