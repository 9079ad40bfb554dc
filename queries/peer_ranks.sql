-- name: peer_ranks
-- kind: report
-- description: Each agency's rank among its peers per year: bodies of the
--   same level under the same parent (the government above, or for
--   governments the parent region of the code), on the main figures.
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per latest report: the peer group (level and parent),
--   how many peers printed each figure, and the rank (1 = largest;
--   granted share as in trend, a percentage of （七）总计). A figure the
--   report did not print has no rank. The ranks are over all peers,
--   whatever the region filter.

with params as (
    select
        cast($year as integer) as year,
        cast($region as varchar) as region
),

figures as (
    select
        r.id as report_id,
        r.agency_id,
        r.agency,
        r.region_code,
        r.year,
        a.level,
        coalesce(
            cast(a.parent_id as varchar),
            case a.level
                when 'county' then left(r.region_code, 4) || '00'
                when 'city' then left(r.region_code, 2) || '0000'
                when 'province' then '000000'
                else r.region_code
            end
        ) as parent,
        f.received,
        cast(100 * f.granted / nullif(f.processed, 0) as decimal(7, 2))
            as granted_pct,
        f.reviews,
        f.suits
    from reports as r
    inner join report_facts as lf
        on lf.report_id = r.id and lf.is_latest
    left join agencies as a on a.id = r.agency_id
    left join report_figures as f on f.report_id = r.id
    where r.year is not null
),

ranked as (
    select
        g.*,
        count(g.received) over w as received_peers,
        case when g.received is not null then rank() over (
            partition by g.level, g.parent, g.year
            order by g.received desc nulls last
        ) end as received_rank,
        count(g.granted_pct) over w as granted_pct_peers,
        case when g.granted_pct is not null then rank() over (
            partition by g.level, g.parent, g.year
            order by g.granted_pct desc nulls last
        ) end as granted_pct_rank,
        count(g.reviews) over w as reviews_peers,
        case when g.reviews is not null then rank() over (
            partition by g.level, g.parent, g.year
            order by g.reviews desc nulls last
        ) end as reviews_rank,
        count(g.suits) over w as suits_peers,
        case when g.suits is not null then rank() over (
            partition by g.level, g.parent, g.year
            order by g.suits desc nulls last
        ) end as suits_rank
    from figures as g
    window w as (partition by g.level, g.parent, g.year)
)

select
    k.report_id,
    k.agency_id,
    k.agency,
    k.region_code,
    k.year,
    k.level,
    k.parent,
    k.received,
    k.received_rank,
    k.received_peers,
    k.granted_pct,
    k.granted_pct_rank,
    k.granted_pct_peers,
    k.reviews,
    k.reviews_rank,
    k.reviews_peers,
    k.suits,
    k.suits_rank,
    k.suits_peers
from ranked as k
cross join params as p
where
    (p.year is null or k.year = p.year)
    and (p.region is null or starts_with(k.region_code, p.region))
order by k.agency_id, k.year
