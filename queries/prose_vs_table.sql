-- name: prose_vs_table
-- kind: check
-- description: Every figure the prose of sections 一, 三 and 四 states
--   about requests and cases (收到/新收/受理…申请N件, 上年结转, 办结,
--   结转下年度, 自然人, 法人或其他组织, 商业企业 …, 予以公开, 部分公开,
--   不予公开, 无法提供, 不予处理, 行政复议, 行政诉讼) against its table
--   cell (a heuristic: warn).
-- params: year: statistical year (empty = all);
--   region: region_code prefix, e.g. 4107 for all of 新乡 (empty = all)
-- returns: one row per stated figure that differs from its table, each
--   one (a paragraph stating 新收120件、办结115件、结转下年度5件 gives
--   three claims); expected = the number in the prose, actual = the table
--   (blanks as 0); detail names the claim, its section and which of that
--   section's figures of the kind it is. A number of requests received
--   (overall or of an applicant column) may count 一 alone or 一 + 二:
--   either passes.

with
-- include: check_scope

-- Every match of every pattern, in order within its section. Constant
-- patterns, so each is compiled once; a figure may not reach across a
-- clause (。；;，,、) to its words. Claims: received (三 一), carried_in
-- (二), processed (（七）总计: 办结, 答复), carried_out (四), the applicant
-- columns of 一, the result rows, and table 四's two totals.
matches as (
    select
        se.report_id,
        se.number,
        u.claim,
        u.found
    from sections as se
    cross join lateral (
        values
        ('received', regexp_extract_all(se.text,
            '(?:收到|新收|受理)[^。；;，,、]{0,20}?申请'
            || '[^0-9。；;，,、]{0,3}?(\d+)\s*件', 1)),
        ('received', regexp_extract_all(se.text,
            '(?:收到|新收|受理)[^0-9。；;，,、]{0,6}?(\d+)\s*件'
            || '[^0-9。；;，,、]{0,6}?申请', 1)),
        ('carried_in', regexp_extract_all(se.text,
            '上年(?:度)?结转[^0-9。；;，,、]{0,10}?(\d+)\s*件', 1)),
        ('processed', regexp_extract_all(se.text,
            '(?:办结|答复)[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('carried_out', regexp_extract_all(se.text,
            '结转(?:至|到)?下一?年度?[^0-9。；;，,、]{0,8}?(\d+)\s*件', 1)),
        ('carried_out', regexp_extract_all(se.text,
            '(\d+)\s*件[^0-9。；;，,、]{0,4}?结转(?:至|到)?下一?年度?', 1)),
        ('natural', regexp_extract_all(se.text,
            '自然人[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('legal_person', regexp_extract_all(se.text,
            '法人(?:或|和)其他组织[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('commercial', regexp_extract_all(se.text,
            '商业企业[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('research', regexp_extract_all(se.text,
            '科研机构[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('social', regexp_extract_all(se.text,
            '社会公益组织[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('legal', regexp_extract_all(se.text,
            '法律服务机构[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('granted', regexp_extract_all(se.text,
            '予以公开[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('partial', regexp_extract_all(se.text,
            '部分公开[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('denied', regexp_extract_all(se.text,
            '不予公开[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('unable', regexp_extract_all(se.text,
            '无法提供[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('rejected', regexp_extract_all(se.text,
            '不予处理[^0-9。；;，,、]{0,6}?(\d+)\s*件', 1)),
        ('review', regexp_extract_all(se.text,
            '行政复议[^0-9。；;，,、]{0,8}?(\d+)\s*[件起宗]', 1)),
        ('suit', regexp_extract_all(se.text,
            '行政诉讼[^0-9。；;，,、]{0,8}?(\d+)\s*[件起宗]', 1))
    ) as u (claim, found)
    where
        se.number in (1, 3, 4)
        and se.report_id in (select scope.id from scope)
        and len(u.found) > 0
),

-- One row per stated figure: its place among the section's figures of
-- that claim (both patterns of a claim read different phrasings, so a
-- figure is found once).
stated as (
    select
        m.report_id,
        m.number,
        m.claim,
        f.ordinal,
        f.number_text
    from matches as m
    cross join lateral (
        select
            unnest(m.found) as number_text,
            unnest(range(1, len(m.found) + 1)) as ordinal
    ) as f
),

-- The table's figures per claim, from the fact tables (migrations 006,
-- 007): table 三's columns (t3_cols: 一, 二, （七）总计, 四 per column),
-- the result rows (report_figures, 总计 column) and table 四. A report
-- printing none of a table's totals counts as lacking that table.
columns as (
    select
        c.report_id,
        c.col_code,
        c.new,
        c.carried_in,
        c.result_total,
        c.carried_out,
        c.intake_cells
    from t3_cols as c
    where c.report_id in (select stated.report_id from stated)
),

-- Where each claim's cells are ("a+b": the sum of both, which attribution
-- reads), and how the detail names it.
claims as (
    select *
    from (
        values
        ('received', 't3', 'new', 'total', '收到申请'),
        ('carried_in', 't3', 'carried_in', 'total', '上年结转'),
        ('processed', 't3', 'result_total', 'total', '办结'),
        ('carried_out', 't3', 'carried_out', 'total', '结转下年度'),
        ('natural', 't3', 'new', 'natural', '自然人'),
        (
            'legal_person', 't3', 'new',
            'commercial+research+social+legal+other', '法人或其他组织'
        ),
        ('commercial', 't3', 'new', 'commercial', '商业企业'),
        ('research', 't3', 'new', 'research', '科研机构'),
        ('social', 't3', 'new', 'social', '社会公益组织'),
        ('legal', 't3', 'new', 'legal', '法律服务机构'),
        ('granted', 't3', 'granted', 'total', '予以公开'),
        ('partial', 't3', 'partial', 'total', '部分公开'),
        (
            'denied', 't3',
            'denied.state_secret+denied.law_prohibited+denied.three_safety'
            || '+denied.third_party+denied.internal+denied.process'
            || '+denied.enforcement+denied.query',
            'total', '不予公开'
        ),
        (
            'unable', 't3',
            'unable.no_info+unable.need_creation+unable.unclear', 'total',
            '无法提供'
        ),
        (
            'rejected', 't3',
            'rejected.complaint+rejected.duplicate+rejected.publication'
            || '+rejected.excessive+rejected.confirm',
            'total', '不予处理'
        ),
        ('review', 't4', 'all', 'review.total', '行政复议'),
        (
            'suit', 't4', 'all', 'suit_direct.total+suit_after_review.total',
            '行政诉讼'
        )
    ) as c (claim, table_code, row_code, col_code, label)
),

-- Table 三's figure of each claim of its intake and totals: the claim's
-- row of t3_cols summed over its columns (法人或其他组织 is five).
claim_columns as (
    select
        cl.claim,
        cl.row_code,
        unnest(string_split(cl.col_code, '+')) as col_code
    from claims as cl
    where
        cl.table_code = 't3'
        and cl.row_code in ('new', 'carried_in', 'result_total', 'carried_out')
),

intake as (
    select
        st.report_id,
        st.claim,
        sum(
            case cc.row_code
                when 'new' then c.new
                when 'carried_in' then c.carried_in
                when 'result_total' then c.result_total
                when 'carried_out' then c.carried_out
            end
        ) as in_table,
        -- 一 + 二, for the claims of requests received that may count both
        case
            when cc.row_code = 'new'
                then sum(coalesce(c.new, 0) + coalesce(c.carried_in, 0))
        end as with_carried
    from (select distinct stated.report_id, stated.claim from stated) as st
    inner join claim_columns as cc on cc.claim = st.claim
    left join columns as c
        on
            c.report_id = st.report_id
            and c.col_code = cast(cc.col_code as cell_col_code)
    group by st.report_id, st.claim, cc.row_code
),

figures as (
    select
        st.report_id,
        st.claim,
        case st.claim
            when 'granted' then fg.granted
            when 'partial' then fg.partial
            when 'denied' then fg.denied
            when 'unable' then fg.unable
            when 'rejected' then fg.rejected
            when 'review' then t4.review_total
            when 'suit' then fg.suits
            else i.in_table
        end as in_table,
        i.with_carried,
        case
            when st.claim in ('review', 'suit')
                then coalesce(t4.total_cells, 0) > 0
            else coalesce(t.intake_cells, 0) > 0
        end as has_table
    from (select distinct stated.report_id, stated.claim from stated) as st
    left join intake as i on i.report_id = st.report_id and i.claim = st.claim
    left join columns as t
        on t.report_id = st.report_id and t.col_code = 'total'::cell_col_code
    left join t4_facts as t4 on t4.report_id = st.report_id
    left join report_figures as fg on fg.report_id = st.report_id
),

compared as (
    select
        st.*,
        cast(st.number_text as decimal(18, 6)) as stated_value,
        coalesce(f.in_table, 0) as in_table,
        f.with_carried
    from stated as st
    inner join figures as f
        on f.report_id = st.report_id and f.claim = st.claim
    where f.has_table
),

failing as (
    select
        c.report_id,
        'prose_vs_table' as rule,
        cl.table_code,
        cl.row_code,
        cl.col_code,
        c.stated_value as expected,
        cast(c.in_table as decimal(18, 6)) as actual,
        'warn' as severity,
        cl.label
        || ' (section '
        || ['一', '二', '三', '四', '五', '六'][c.number]
        || ', figure ' || c.ordinal || '): prose says '
        || decimal_text(c.stated_value)
        || '件, table says '
        || decimal_text(c.in_table) as detail
    from compared as c
    inner join claims as cl on cl.claim = c.claim
    where
        c.stated_value != c.in_table
        and c.stated_value is distinct from c.with_carried
)

-- include: check_output
