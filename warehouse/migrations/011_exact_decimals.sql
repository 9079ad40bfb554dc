-- 011_exact_decimals: every value a page prints is stored exactly. 万元
-- amounts are printed to the fen (four decimals) and beyond: 行政事业性收费
-- of 4166.241619 万元 is read by the extractor and was refused by
-- DECIMAL(18,4). Values become DECIMAL(18,6): twelve integer digits, six
-- fractional, still an int64 underneath (the loader and Query's fast paths
-- stay). A value outside it is stored NULL with its raw text and a
-- warning (warehouse.WarnValueOutOfRange). Derived tables follow, so the
-- checks and figures compare what cells hold.

alter table cells alter column value type decimal(18, 6);
alter table check_results alter column expected type decimal(18, 6);
alter table check_results alter column actual type decimal(18, 6);
alter table t3_rows alter column natural_person type decimal(18, 6);
alter table t3_rows alter column commercial_enterprise type decimal(18, 6);
alter table t3_rows alter column research_institution type decimal(18, 6);
alter table t3_rows alter column social_welfare_org type decimal(18, 6);
alter table t3_rows alter column legal_service_org type decimal(18, 6);
alter table t3_rows alter column other_org type decimal(18, 6);
alter table t3_rows alter column total type decimal(18, 6);
alter table t3_rows alter column legal_subtotal type decimal(18, 6);
alter table t3_cols alter column new type decimal(18, 6);
alter table t3_cols alter column carried_in type decimal(18, 6);
alter table t3_cols alter column result_total type decimal(18, 6);
alter table t3_cols alter column carried_out type decimal(18, 6);
alter table t3_cols alter column granted type decimal(18, 6);
alter table t3_cols alter column partial type decimal(18, 6);
alter table t3_cols alter column denied type decimal(18, 6);
alter table t3_cols alter column unable type decimal(18, 6);
alter table t3_cols alter column rejected type decimal(18, 6);
alter table t4_facts alter column review_upheld type decimal(18, 6);
alter table t4_facts alter column review_corrected type decimal(18, 6);
alter table t4_facts alter column review_other type decimal(18, 6);
alter table t4_facts alter column review_pending type decimal(18, 6);
alter table t4_facts alter column review_total type decimal(18, 6);
alter table t4_facts alter column suit_direct_upheld type decimal(18, 6);
alter table t4_facts alter column suit_direct_corrected type decimal(18, 6);
alter table t4_facts alter column suit_direct_other type decimal(18, 6);
alter table t4_facts alter column suit_direct_pending type decimal(18, 6);
alter table t4_facts alter column suit_direct_total type decimal(18, 6);
alter table t4_facts alter column suit_after_review_upheld type decimal(18, 6);
alter table t4_facts alter column suit_after_review_corrected type decimal(18, 6);
alter table t4_facts alter column suit_after_review_other type decimal(18, 6);
alter table t4_facts alter column suit_after_review_pending type decimal(18, 6);
alter table t4_facts alter column suit_after_review_total type decimal(18, 6);
alter table t2_rows alter column made type decimal(18, 6);
alter table t2_rows alter column repealed type decimal(18, 6);
alter table t2_rows alter column in_force type decimal(18, 6);
alter table t2_rows alter column decisions type decimal(18, 6);
alter table t2_rows alter column amount_wan_yuan type decimal(18, 6);
alter table report_figures alter column received type decimal(18, 6);
alter table report_figures alter column carried_in type decimal(18, 6);
alter table report_figures alter column processed type decimal(18, 6);
alter table report_figures alter column granted type decimal(18, 6);
alter table report_figures alter column partial type decimal(18, 6);
alter table report_figures alter column denied type decimal(18, 6);
alter table report_figures alter column unable type decimal(18, 6);
alter table report_figures alter column rejected type decimal(18, 6);
alter table report_figures alter column carried_out type decimal(18, 6);
alter table report_figures alter column reviews type decimal(18, 6);
alter table report_figures alter column suits type decimal(18, 6);
alter table report_figures alter column corrected type decimal(18, 6);
alter table report_figures alter column licensing type decimal(18, 6);
alter table report_figures alter column penalty type decimal(18, 6);
alter table report_figures alter column coercion type decimal(18, 6);
alter table report_figures alter column fees_wan_yuan type decimal(18, 6);
alter table t3_cols alter column common_sum type decimal(38, 6);
alter table t3_cols alter column other_sum type decimal(38, 6);
alter table t3_cols alter column sub_sum type decimal(38, 6);

-- report_revisions (003) prints changed values as text: as printed, without
-- the six places of the column ("7→9", not "7.000000→9.000000").
create or replace view report_revisions as
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
            || coalesce(rtrim(rtrim(cast(max(value) filter (where side = 'old') as varchar), '0'), '.'), '∅') || '→'
            || coalesce(rtrim(rtrim(cast(max(value) filter (where side = 'new') as varchar), '0'), '.'), '∅') as change
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

-- exact_ratio (009) divides unscaled values: scaled by 10^6 now, so a
-- numerator or denominator with six decimals is not rounded first.
create or replace macro exact_ratio(n, d, k) as
    case
        when n is null or d is null or d = 0 then null
        else cast(
            cast(
                sign(n) * sign(d) * (
                    (
                        2 * abs(cast(cast(n as decimal(38, 6)) * 1000000 as hugeint)) * k * 100
                        + abs(cast(cast(d as decimal(38, 6)) * 1000000 as hugeint))
                    ) // (2 * abs(cast(cast(d as decimal(38, 6)) * 1000000 as hugeint)))
                ) as decimal(38, 0)
            ) * 0.01 as decimal(18, 2)
        )
    end;
