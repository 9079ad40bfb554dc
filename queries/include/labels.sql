-- include/labels: a short Chinese label per codebook code, so that details
-- name a cell one way: 标签 [code]. It is the last part of the official
-- label without its parenthesised note (（二）部分公开, 商业企业, 2.重复申请).
labels as (
    select
        cb.table_code,
        cb.kind,
        cb.code,
        regexp_replace(
            list_last(string_split(cb.label, ' / ')),
            '\s*(（区分[^）]*）|\([^)]*\))$',
            ''
        ) as short
    from codebook as cb
),
