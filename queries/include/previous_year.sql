-- include/previous_year: each report in scope paired with the same
-- agency's latest report for the year before (same agency_id where the
-- loader assigned one, else the same name).
pairs as (
    select
        s.id as report_id,
        prev.id as prev_id,
        prev.year as prev_year
    from scope as s
    inner join (
        -- latest versions (report_facts.is_latest, migration 006)
        select r.id, r.agency_id, r.agency, r.year
        from reports as r
        inner join report_facts as lf on lf.report_id = r.id
        where lf.is_latest
    ) as prev
        on
            coalesce(cast(prev.agency_id as varchar), prev.agency)
            = coalesce(cast(s.agency_id as varchar), s.agency)
            and prev.year = s.year - 1
),
