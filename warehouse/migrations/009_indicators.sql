-- 009_indicators: what researchers compute one level up from the cells.
-- Exact ratios (a macro), covariates to divide by, check results kept per
-- run, acknowledgements of flags, and the extractor's doubts per cell.
-- Only adds.

-- k·n/d, exact, rounded half away from zero to 0.01; NULL when n or d is
-- NULL or d is 0. DuckDB divides DECIMALs in DOUBLE: this divides the
-- unscaled values (both × 10^4, which cancels) in HUGEINT instead.
create macro exact_ratio(n, d, k) as
    case
        when n is null or d is null or d = 0 then null
        else cast(
            cast(
                sign(n) * sign(d) * (
                    (
                        2 * abs(cast(cast(n as decimal(38, 4)) * 10000 as hugeint)) * k * 100
                        + abs(cast(cast(d as decimal(38, 4)) * 10000 as hugeint))
                    ) // (2 * abs(cast(cast(d as decimal(38, 4)) * 10000 as hugeint)))
                ) as decimal(38, 0)
            ) * 0.01 as decimal(18, 2)
        )
    end;

-- A DECIMAL as text without trailing zeros ("12.5000" → "12.5"), for
-- details written for people.
create macro decimal_text(x) as
    case
        when contains(cast(x as varchar), '.')
            then rtrim(rtrim(cast(x as varchar), '0'), '.')
        else cast(x as varchar)
    end;

-- Figures about a region and year that indicators divide by (population,
-- GDP …), from `nianbao import-covariates FILE.csv`. One value per region,
-- year and name; a re-import replaces it.
create table covariates (
    region_code varchar not null,             -- GB/T 2260, six digits
    year        integer not null,
    name        varchar not null,             -- population, gdp_yi_yuan …
    value       decimal(38, 4) not null,
    source      varchar,                      -- the CSV file it came from
    imported_at timestamp not null
);
create unique index covariates_key on covariates (region_code, year, name);

-- One row per `nianbao check`: which rules over which reports. Results are
-- kept per run (check_results.run_id), never replaced.
create sequence check_run_id start 1;
create table check_runs (
    id          bigint primary key default nextval('check_run_id'),
    checked_at  timestamp not null,
    rules       varchar[] not null,
    year        integer,                      -- NULL: every year
    region      varchar,                      -- region_code prefix; NULL: all
    failures    integer not null default 0
);

alter table check_results add column run_id bigint;
-- md5 of the agency (id, else name), year, rule, cell codes and values:
-- the same for a re-extraction or a new version printing the same cells.
alter table check_results add column fingerprint varchar;
-- source: every cell involved was read plainly; extraction_doubt: the
-- extractor needed help with doubtful_cells ("t3/new/total: layout_guess").
alter table check_results add column attribution varchar;
alter table check_results add column doubtful_cells varchar;

-- A person's verdict on a flag, kept while its fingerprint is the same.
create table flag_acks (
    fingerprint varchar primary key,
    status      varchar not null,             -- confirmed | false_alarm
    note        varchar,
    acked_at    timestamp not null,
    agency      varchar,                      -- for reading; the key is fingerprint
    year        integer,
    rule        varchar
);

-- The extractor's help with a cell: comma-separated codes (label_repaired,
-- merged_value, split_number, unit_converted, layout_guess,
-- charset_override); NULL = read plainly.
alter table cells add column doubts varchar;

-- Results stored before runs were recorded: one run per check time.
insert into check_runs (checked_at, rules, failures)
select checked_at, list(distinct rule order by rule), count(*)
from check_results
group by checked_at
order by checked_at;
update check_results
set run_id = cr.id
from check_runs as cr
where cr.checked_at = check_results.checked_at;

-- The failures of the latest run of each rule over each latest report (a
-- run covers the reports of its year and region), with the flag's
-- acknowledgement. A report that passed its latest run has no row here,
-- even if an earlier run flagged it (check_results keeps that).
create or replace view check_failures as
with run_rules as (
    select id as run_id, unnest(rules) as rule, year, region
    from check_runs
),
latest as (
    select r.id, r.year, r.region_code
    from reports as r
    join report_facts as f on f.report_id = r.id and f.is_latest
),
covering as (
    select l.id as report_id, rr.rule, max(rr.run_id) as run_id
    from latest as l
    join run_rules as rr
        on (rr.year is null or l.year = rr.year)
        and (rr.region is null or starts_with(l.region_code, rr.region))
    group by l.id, rr.rule
)
select
    k.checked_at,
    k.run_id,
    k.report_id,
    r.agency_id,
    k.agency,
    r.region_code,
    k.year,
    k.rule,
    k.severity,
    k.table_code,
    k.row_code,
    k.col_code,
    k.expected,
    k.actual,
    k.actual - k.expected as difference,
    k.detail,
    coalesce(k.source, r.source) as source,
    r.page_sha256,
    k.attribution,
    k.doubtful_cells,
    k.fingerprint,
    a.status as ack,
    a.note as ack_note
from check_results as k
join covering as c
    on c.report_id = k.report_id and c.rule = k.rule and c.run_id = k.run_id
left join reports as r on r.id = k.report_id
left join flag_acks as a on a.fingerprint = k.fingerprint;
