-- 017_agency_names: one agency across the 机构改革 renames. An agency's
-- identity is its canonical name (warehouse/agency_renames.tsv: 环境保护局
-- → 生态环境局, …) and region; a body merged into another keeps its own id
-- and names its successor. Filled for existing agencies at the next
-- read-write open (agencies of one body are then merged into the oldest).

alter table agencies add column canon_name varchar;   -- with region_code, the identity
alter table agencies add column merged_into varchar;  -- canonical name of the body it was merged into

-- Every name an agency printed, with the years it printed it.
create view agency_names as
select
    r.agency_id,
    r.agency as name,
    min(r.year) as first_year,
    max(r.year) as last_year,
    count(*) as reports
from reports as r
where r.agency_id is not null and coalesce(r.agency, '') <> ''
group by r.agency_id, r.agency;
