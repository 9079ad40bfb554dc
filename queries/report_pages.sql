-- name: report_pages
-- kind: report
-- description: The latest report of each agency and year with its
--   provenance (page URL, fetch time, archived bytes, attachment's page;
--   for a report page joined with the attachment that supplied its cells,
--   the attachment's URL, fetch and archived bytes, the page as its
--   parent),
--   its neighbours in the same agency's years and the carry-over between
--   them, and a digest of its stored check failures.
-- params: report: report id, or ids separated by commas (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all);
--   year: statistical year (empty = all)
-- returns: one row per latest report. prev_/next_ name the same agency's
--   nearest earlier and later years; carry_break is true when this year's
--   上年结转 (总计) differs from the previous year's 结转下年度 and the
--   two years are adjacent. errors and flags count the stored failures
--   (error severity, all severities); failures_digest changes whenever
--   any of them does. region_name is the GB/T 2260 full name of the
--   report's region code (regions), region_parent the code above it.
--   source_kind is what the tables were read from (html, text, pdf,
--   docx, …); for a report read from an attachment, attachment_url is
--   that file (the attachment joined with the page, or the page itself
--   when a file was imported).

with params as (
    select
        cast($report as varchar) as report,
        list_transform(
            string_split(cast($report as varchar), ','),
            lambda x: try_cast(trim(x) as bigint)
        ) as ids,
        cast($region as varchar) as region,
        cast($year as integer) as year
),

-- Neighbours are computed over every latest report, then filtered.
latest as (
    select
        r.id,
        r.agency_id,
        r.year,
        f.carried_in,
        f.carried_out,
        lag(r.id) over w as prev_report_id,
        lag(r.year) over w as prev_year,
        lag(f.carried_out) over w as prev_carried_out,
        lead(r.id) over w as next_report_id,
        lead(r.year) over w as next_year
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    left join report_figures as f on f.report_id = r.id
    where r.year is not null and r.agency_id is not null
    window w as (partition by r.agency_id order by r.year, r.id)
),

-- The attachment file a joined report was read from (by its bytes): the
-- latest fetch linked from the report's page, else from any page.
report_attachments as (
    select
        r.id as report_id,
        a.sha256,
        a.url,
        a.final_url,
        a.fetched_at,
        a.content_type,
        a.archive_path,
        a.warc_offset
    from reports as r
    inner join pages as a
        on a.sha256 = r.attachment_sha256 and a.kind = 'attachment'
    left join pages as pg on pg.id = r.page_id
    where coalesce(a.error, '') = ''
    qualify row_number() over (
        partition by r.id
        order by a.parent_url is not distinct from pg.url desc,
            a.fetched_at desc
    ) = 1
),

failure_digest as (
    select
        k.report_id,
        count(*) filter (where k.severity = 'error') as errors,
        count(*) as flags,
        md5(string_agg(
            concat_ws('|', k.rule, k.severity, k.table_code, k.row_code,
                k.col_code, k.expected, k.actual, k.detail),
            chr(10) order by k.rule, k.table_code, k.row_code, k.col_code,
            k.detail
        )) as failures_digest
    from check_failures as k
    group by k.report_id
)

select
    r.id as report_id,
    r.agency,
    r.agency_id,
    a.level,
    r.region_code,
    rg.full_name as region_name,
    rg.parent_code as region_parent,
    r.year,
    r.format,
    r.title,
    r.published_at,
    r.source,
    r.portal,
    r.extracted_at,
    coalesce(af.url, pg.url) as url,
    coalesce(af.final_url, af.url, pg.final_url) as final_url,
    if(af.url is null, pg.parent_url, pg.url) as parent_url,
    if(af.url is null, pg.kind, 'attachment') as page_kind,
    coalesce(af.fetched_at, pg.fetched_at) as fetched_at,
    if(af.url is null, pg.content_type, af.content_type) as content_type,
    if(af.url is null, pg.charset, null) as charset,
    coalesce(af.sha256, pg.sha256) as page_sha256,
    coalesce(af.archive_path, pg.archive_path) as archive_path,
    coalesce(af.warc_offset, pg.warc_offset) as warc_offset,
    r.source_kind,
    r.attachment_sha256,
    case
        when r.attachment_sha256 is not null then coalesce(af.url, pg.url)
    end as attachment_url,
    l.prev_report_id,
    l.prev_year,
    l.next_report_id,
    l.next_year,
    l.carried_in,
    l.prev_carried_out,
    coalesce(
        l.prev_year = r.year - 1
        and l.carried_in is distinct from l.prev_carried_out,
        false
    ) as carry_break,
    coalesce(d.errors, 0) as errors,
    coalesce(d.flags, 0) as flags,
    d.failures_digest
from latest as l
inner join reports as r on r.id = l.id
cross join params as p
left join agencies as a on a.id = r.agency_id
left join regions as rg on rg.code = r.region_code
left join pages as pg on pg.id = r.page_id
left join report_attachments as af on af.report_id = r.id
left join failure_digest as d on d.report_id = r.id
where
    (p.report is null or list_contains(p.ids, r.id))
    and (p.region is null or starts_with(r.region_code, p.region))
    and (p.year is null or r.year = p.year)
order by r.region_code, r.agency_id, r.year
