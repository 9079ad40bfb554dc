-- name: correction_rate
-- description: 纠错率 of decided cases: correction_rate.review (行政复议),
--   correction_rate.suit_direct (未经复议直接起诉),
--   correction_rate.suit_after_review (复议后起诉).
-- formula: 四 结果纠正 ÷ (结果维持 + 结果纠正 + 其他结果) × 100, per group
-- numerator: 四 结果纠正 of the group
-- denominator: 四 结果维持 + 结果纠正 + 其他结果 of the group (decided
--   cases: 总计 without 尚未审结), blanks as 0 when one is printed
-- unit: %
-- factor: 100
-- yields: correction_rate.review, correction_rate.suit_direct,
--   correction_rate.suit_after_review
select
    'correction_rate.' || g.grp as indicator,
    s.id as report_id,
    g.corrected as numerator,
    case
        when
            g.upheld is not null or g.corrected is not null
            or g.other is not null
            then coalesce(g.upheld, 0) + coalesce(g.corrected, 0)
            + coalesce(g.other, 0)
    end as denominator
from scope as s
inner join t4_facts as t on t.report_id = s.id
cross join lateral (
    values
    ('review', t.review_upheld, t.review_corrected, t.review_other),
    (
        'suit_direct', t.suit_direct_upheld, t.suit_direct_corrected,
        t.suit_direct_other
    ),
    (
        'suit_after_review', t.suit_after_review_upheld,
        t.suit_after_review_corrected, t.suit_after_review_other
    )
) as g (grp, upheld, corrected, other)
