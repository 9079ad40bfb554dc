-- 003_views: the views a researcher starts from. Each reads the fact tables
-- live, so it is always current; filter on report_id, agency_id or year.

-- Table 二, one row per report and row code, one column per column code.
create view t2_wide as
select
    r.id as report_id,
    r.agency_id,
    r.agency,
    r.region_code,
    r.year,
    r.format,
    c.row_code,
    any_value(cb.label) as row_label,
    max(c.value) filter (where c.col_code = 'made') as made,
    max(c.value) filter (where c.col_code = 'repealed') as repealed,
    max(c.value) filter (where c.col_code = 'in_force') as in_force,
    max(c.value) filter (where c.col_code = 'decisions') as decisions,
    max(c.value) filter (where c.col_code = 'amount_wan_yuan') as amount_wan_yuan,
    max(c.value) filter (where c.col_code = 'new_made') as new_made,
    max(c.value) filter (where c.col_code = 'new_published') as new_published,
    max(c.value) filter (where c.col_code = 'total_published') as total_published,
    max(c.value) filter (where c.col_code = 'prev_items') as prev_items,
    max(c.value) filter (where c.col_code = 'change') as yoy_change,
    max(c.value) filter (where c.col_code = 'items') as items,
    max(c.value) filter (where c.col_code = 'amount_yuan') as amount_yuan
from cells as c
join reports as r on r.id = c.report_id
left join codebook as cb
    on cb.kind = 'row' and cb.table_code = 't2' and cb.code = c.row_code
where c.table_code = 't2'
group by r.id, r.agency_id, r.agency, r.region_code, r.year, r.format, c.row_code;

-- Table 三: applicant columns, plus legal_subtotal where a report prints it.
create view t3_wide as
select
    r.id as report_id,
    r.agency_id,
    r.agency,
    r.region_code,
    r.year,
    r.format,
    c.row_code,
    any_value(cb.label) as row_label,
    max(c.value) filter (where c.col_code = 'natural') as natural_person,
    max(c.value) filter (where c.col_code = 'commercial') as commercial_enterprise,
    max(c.value) filter (where c.col_code = 'research') as research_institution,
    max(c.value) filter (where c.col_code = 'social') as social_welfare_org,
    max(c.value) filter (where c.col_code = 'legal') as legal_service_org,
    max(c.value) filter (where c.col_code = 'other') as other_org,
    max(c.value) filter (where c.col_code = 'legal_subtotal') as legal_subtotal,
    max(c.value) filter (where c.col_code = 'total') as total
from cells as c
join reports as r on r.id = c.report_id
left join codebook as cb
    on cb.kind = 'row' and cb.table_code = 't3' and cb.code = c.row_code
where c.table_code = 't3'
group by r.id, r.agency_id, r.agency, r.region_code, r.year, r.format, c.row_code;

-- Table 四: its single row "all", fifteen columns.
create view t4_wide as
select
    r.id as report_id,
    r.agency_id,
    r.agency,
    r.region_code,
    r.year,
    r.format,
    c.row_code,
    max(c.value) filter (where c.col_code = 'review.upheld') as review_upheld,
    max(c.value) filter (where c.col_code = 'review.corrected') as review_corrected,
    max(c.value) filter (where c.col_code = 'review.other') as review_other,
    max(c.value) filter (where c.col_code = 'review.pending') as review_pending,
    max(c.value) filter (where c.col_code = 'review.total') as review_total,
    max(c.value) filter (where c.col_code = 'suit_direct.upheld') as suit_direct_upheld,
    max(c.value) filter (where c.col_code = 'suit_direct.corrected') as suit_direct_corrected,
    max(c.value) filter (where c.col_code = 'suit_direct.other') as suit_direct_other,
    max(c.value) filter (where c.col_code = 'suit_direct.pending') as suit_direct_pending,
    max(c.value) filter (where c.col_code = 'suit_direct.total') as suit_direct_total,
    max(c.value) filter (where c.col_code = 'suit_after_review.upheld') as suit_after_review_upheld,
    max(c.value) filter (where c.col_code = 'suit_after_review.corrected') as suit_after_review_corrected,
    max(c.value) filter (where c.col_code = 'suit_after_review.other') as suit_after_review_other,
    max(c.value) filter (where c.col_code = 'suit_after_review.pending') as suit_after_review_pending,
    max(c.value) filter (where c.col_code = 'suit_after_review.total') as suit_after_review_total
from cells as c
join reports as r on r.id = c.report_id
where c.table_code = 't4'
group by r.id, r.agency_id, r.agency, r.region_code, r.year, r.format, c.row_code;

-- The failures of the latest check of each rule on each report, for
-- reports that are still the latest version, with where they came from.
create view check_failures as
with latest_checks as (
    select *
    from check_results
    qualify checked_at = max(checked_at) over (partition by rule, report_id)
)
select
    k.checked_at,
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
    r.page_sha256
from latest_checks as k
left join reports as r on r.id = k.report_id
where k.report_id is null
    or k.report_id in (select l.id from latest_reports as l);

-- Reports whose published page changed after it was first captured: one row
-- per change (old bytes → new bytes) per agency and year, with the number of
-- cells whose value changed, appeared or disappeared, and which.
create view report_revisions as
with captures as (
    select
        coalesce(cast(agency_id as varchar), agency) as agency_key,
        any_value(agency_id) as agency_id,
        any_value(agency) as agency,
        year,
        page_sha256,
        min(coalesce(captured_at, extracted_at)) as captured_at,
        any_value(published_at) as published_at,
        -- the newest extraction of these bytes stands for them
        max(id) as report_id
    from reports
    where year is not null and coalesce(agency, '') <> ''
    group by agency_key, year, page_sha256
),
sequenced as (
    select
        *,
        row_number() over w - 1 as revision,
        lag(page_sha256) over w as old_sha256,
        lag(captured_at) over w as old_captured_at,
        lag(published_at) over w as old_published_at,
        lag(report_id) over w as old_report_id
    from captures
    window w as (partition by agency_key, year order by captured_at, report_id)
),
changes as (
    select * from sequenced where old_sha256 is not null
),
both_sides as (
    select ch.report_id as pair, 'old' as side, c.table_code, c.row_code, c.col_code, c.value
    from changes as ch
    join cells as c on c.report_id = ch.old_report_id
    union all
    select ch.report_id as pair, 'new' as side, c.table_code, c.row_code, c.col_code, c.value
    from changes as ch
    join cells as c on c.report_id = ch.report_id
),
cell_diffs as (
    select
        pair,
        table_code || '/' || row_code || '/' || col_code || ': '
            || coalesce(cast(max(value) filter (where side = 'old') as varchar), '∅') || '→'
            || coalesce(cast(max(value) filter (where side = 'new') as varchar), '∅') as change
    from both_sides
    group by pair, table_code, row_code, col_code
    having count(*) filter (where side = 'old') <> count(*) filter (where side = 'new')
        or max(value) filter (where side = 'old')
            is distinct from max(value) filter (where side = 'new')
),
diff_counts as (
    select pair, count(*) as changed_cells, string_agg(change, '; ' order by change) as changed
    from cell_diffs
    group by pair
)
select
    ch.agency_id,
    ch.agency,
    ch.year,
    ch.revision,
    ch.old_report_id,
    ch.report_id as new_report_id,
    ch.old_sha256,
    ch.page_sha256 as new_sha256,
    ch.old_captured_at,
    ch.captured_at as new_captured_at,
    ch.old_published_at,
    ch.published_at as new_published_at,
    coalesce(d.changed_cells, 0) as changed_cells,
    d.changed
from changes as ch
left join diff_counts as d on d.pair = ch.report_id;
