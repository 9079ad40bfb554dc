-- 019_government_level: one rule for government vs department. The
-- deadline check and the freshness report read agencies.level, which the
-- loader sets from warehouse.AgencyLevel and the indicators' peers use,
-- instead of 014's second reading of the name (it took any …办事处 for a
-- government and a bare …镇 for one where AgencyLevel said department).
-- A government (province, city, county, township) publishes its own report
-- by 3月31日 of the next year, a department by 1月31日 (条例第四十九条); an
-- agency of unknown level counts as a department.
drop macro report_due;
drop macro report_is_government;

create macro is_government(level) as
    coalesce(level, 'department') <> 'department';

create macro report_due(level, year) as
    case
        when is_government(level) then make_date(year + 1, 3, 31)
        else make_date(year + 1, 1, 31)
    end;

-- Levels are redone once by the current AgencyLevel at the next
-- read-write open (warehouse levelAgencies): it now reads a township's
-- short name (…镇, …乡, …街道) as the township's government.
update agencies set level = null;
