-- include/previous_year: each report in scope paired with the same
-- agency's latest report for the year before (same agency_id where the
-- loader assigned one, else the same name).
pairs as (
    select
        s.id as report_id,
        prev.id as prev_id,
        prev.year as prev_year
    from scope as s
    inner join latest_reports as prev
        on
            coalesce(cast(prev.agency_id as varchar), prev.agency)
            = coalesce(cast(s.agency_id as varchar), s.agency)
            and prev.year = s.year - 1
),
