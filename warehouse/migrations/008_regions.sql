-- 008_regions: the GB/T 2260 divisions (county level and up) as a table,
-- refilled from the regions package's embedded data at every read-write
-- open (like codebook), so queries can roll a county up into its city and
-- province and print names instead of codes.
create table regions (
    code          varchar primary key,        -- six digits: 350102
    name          varchar not null,           -- 鼓楼区
    full_name     varchar not null,           -- 福建省福州市鼓楼区
    short_name    varchar,                    -- 福州 for 福州市; NULL when none is printed
    level         varchar not null,           -- province | city | county
    parent_code   varchar,                    -- NULL for a province
    prefix        varchar not null,           -- what every code below starts with: 35, 3501, 350102
    province_code varchar not null,           -- the province it lies in (itself for a province)
    city_code     varchar                     -- the city it lies in (itself for a city); NULL above,
                                              -- and for a municipality's districts
);
