# Generates the extract/testdata fixtures: small pages of our own, written the
# way real pages are (merged cells, Word markup, blanks for zeros…), with the
# national labels and our own numbers, plus <case>.expect.json (every cell the
# page prints, exactly). Table 三 numbers are generated balanced.
#
#   python3 extract/testdata/gen_fixtures.py && go test ./extract -run TestFixtures -update
#
# Review every golden diff before committing it.
import json, os
OUT = os.path.dirname(os.path.abspath(__file__))

T3_2021 = [
 ('new', '一、本年新收政府信息公开申请数量'),
 ('carried_in', '二、上年结转政府信息公开申请数量'),
 ('granted', '（一）予以公开'),
 ('partial', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'),
 ('denied.state_secret', '1.属于国家秘密'), ('denied.law_prohibited', '2.其他法律行政法规禁止公开'),
 ('denied.three_safety', '3.危及“三安全一稳定”'), ('denied.third_party', '4.保护第三方合法权益'),
 ('denied.internal', '5.属于三类内部事务信息'), ('denied.process', '6.属于四类过程性信息'),
 ('denied.enforcement', '7.属于行政执法案卷'), ('denied.query', '8.属于行政查询事项'),
 ('unable.no_info', '1.本机关不掌握相关政府信息'), ('unable.need_creation', '2.没有现成信息需要另行制作'),
 ('unable.unclear', '3.补正后申请内容仍不明确'),
 ('rejected.complaint', '1.信访举报投诉类申请'), ('rejected.duplicate', '2.重复申请'),
 ('rejected.publication', '3.要求提供公开出版物'), ('rejected.excessive', '4.无正当理由大量反复申请'),
 ('rejected.confirm', '5.要求行政机关确认或重新出具已获取信息'),
 ('other.no_correction', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'),
 ('other.no_fee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'),
 ('other.other', '3.其他'),
 ('result_total', '（七）总计'),
 ('carried_out', '四、结转下年度继续办理'),
]
RESULT_ROWS_2021 = [r for r, _ in T3_2021[2:23]]
T3_2019 = T3_2021[:20] + [('other', '（六）其他处理')] + T3_2021[23:]
RESULT_ROWS_2019 = [r for r, _ in T3_2019[2:21]]
COLS = ['natural', 'commercial', 'research', 'social', 'legal', 'other', 'total']

def t3_numbers(results, carried_in, carried_out, subtotal=False, fmt='2021'):
    """results: row -> list of 6 applicant values. Returns row -> list of 7 (or 8) ints, balanced."""
    spec = T3_2021 if fmt == '2021' else T3_2019
    rows = {r: [0]*6 for r, _ in spec}
    tot = [0]*6
    for r, v in results.items():
        rows[r] = v
        tot = [a+b for a, b in zip(tot, v)]
    rows['result_total'] = tot
    rows['carried_in'] = carried_in
    rows['carried_out'] = carried_out
    rows['new'] = [t + o - i for t, o, i in zip(tot, carried_out, carried_in)]
    out = {}
    for r, v in rows.items():
        v = list(v)
        if subtotal:
            v = v + [sum(v[1:6])]
        out[r] = v + [sum(v[:6])]
    return out

def td(x, attrs=''):
    return f'<td{attrs}>{x}</td>'

def fmtv(v, blank_zero=False):
    if blank_zero and v == 0:
        return '&nbsp;'
    return str(v)

def t3_header(subtotal=False, split_words=False):
    cw = ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']
    if split_words:
        cw = ['商业<br>企业', '<p>科研</p><p>机构</p>', '社会公益<span>组织</span>', '法律服务<br/>机构', '其他']
    n = len(cw)
    # the eighth column sits beside 法人或其他组织 as its own rowspan cell, so
    # that DOM order (…小计, 总计, 商业企业…) differs from grid order
    sub = td("法人或其他组织小计", " rowspan=2") if subtotal else ''
    return (f'<tr>{td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", " colspan=3 rowspan=3")}{td("申请人情况", f" colspan={n+2+bool(subtotal)}")}</tr>\n'
            f'<tr>{td("自然人", " rowspan=2")}{td("法人或其他组织", f" colspan={n}")}{sub}{td("总计", " rowspan=2")}</tr>\n'
            '<tr>' + ''.join(td(c) for c in cw) + '</tr>\n')

def t3_rows(fmt, nums, blank_zero=False, cell=None, double_label=False, labels=None):
    spec = T3_2021 if fmt == '2021' else T3_2019
    groups = {'denied.state_secret': ('（三）不予公开', 8), 'unable.no_info': ('（四）无法提供', 3),
              'rejected.complaint': ('（五）不予处理', 5), 'other.no_correction': ('（六）其他处理', 3)}
    span3 = 22 if fmt == '2021' else 20
    out = []
    for i, (code, label) in enumerate(spec):
        if labels and code in labels:
            label = labels[code]
        vals = nums.get(code, [0]*7)
        cells = ''.join(td(cell(code, j, v) if cell else fmtv(v, blank_zero)) for j, v in enumerate(vals))
        if code in ('new', 'carried_in', 'carried_out'):
            lab = td(label, ' colspan=3')
        elif code == 'granted':
            if double_label:
                lab = td('三、本年度办理结果', ' rowspan=10') + td(label, ' colspan=2')
            else:
                lab = td('三、本年度办理结果', f' rowspan={span3}') + td(label, ' colspan=2')
        elif code in ('partial', 'result_total', 'other'):
            lab = td(label, ' colspan=2')
        elif code in groups:
            g, n = groups[code]
            if labels and ('group:' + code) in labels:
                g = labels['group:' + code]
            lab = td(g, f' rowspan={n}') + td(label)
        else:
            lab = td(label)
        if double_label and code == 'unable.no_info':
            lab = td('三、本年度办理结果', f' rowspan={span3-10}') + lab
        out.append(f'<tr>{lab}{cells}</tr>')
    return '\n'.join(out) + '\n'

T4_HDR = ('<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>\n'
          '<tr><td rowspan=2>结果维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td><td rowspan=2>尚未审结</td><td rowspan=2>总计</td>'
          '<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>\n'
          '<tr>' + ''.join(td(w) for w in ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']*2) + '</tr>\n')

def t4_row(vals, blank_zero=False):
    return '<tr>' + ''.join(td(fmtv(v, blank_zero)) for v in vals) + '</tr>\n'

def t4_vals(review, direct, after):
    return review + [sum(review)] + direct + [sum(direct)] + after + [sum(after)]

SECTIONS_PROSE = {
 1: '<p>本年度，本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作。</p>',
 5: '<p>（一）存在的主要问题：政策解读形式较为单一。（二）改进情况：丰富解读形式。</p>',
 6: '<p>本年度未收取信息处理费。</p>',
}

def page(title, head_extra, body, meta_title=None, pubdate=None, charset='utf-8'):
    metas = f'<meta charset="{charset}">'
    if meta_title:
        metas += f'<meta name="ArticleTitle" content="{meta_title}">'
    if pubdate:
        metas += f'<meta name="PubDate" content="{pubdate}">'
    return f'<!DOCTYPE html>\n<html><head>{metas}<title>{title}</title>{head_extra}</head>\n<body>\n{body}\n</body></html>\n'

def expect(name, year, fmt, cells, warnings=(), agency=None, extra=None):
    d = {'year': year, 'format': fmt, 'cells': cells}
    if agency is not None:
        d['agency'] = agency
    if warnings:
        d['warnings'] = list(warnings)
    if extra:
        d.update(extra)
    json.dump(d, open(os.path.join(OUT, name + '.expect.json'), 'w'), ensure_ascii=False, indent=1)

def cellkeys(nums, cols=COLS, t='t3'):
    out = {}
    for r, v in nums.items():
        for c, x in zip(cols, v):
            out[f'{t}.{r}.{c}'] = None if x is None else str(x)
    return out

def write(name, s, enc='utf-8'):
    open(os.path.join(OUT, name), 'w', encoding=enc).write(s)

def sections(t2html, t3html, t4html, intro=''):
    return (intro +
      '<p>一、总体情况</p>' + SECTIONS_PROSE[1] +
      '<p>二、主动公开政府信息情况</p>' + t2html +
      '<p>三、收到和处理政府信息公开申请情况</p>' + t3html +
      '<p>四、政府信息公开行政复议、行政诉讼情况</p>' + t4html +
      '<p>五、存在的主要问题及改进情况</p>' + SECTIONS_PROSE[5] +
      '<p>六、其他需要报告的事项</p>' + SECTIONS_PROSE[6])

def t2_2021_one_table(vals, value_colspan=True, rules_label='规章', norm_label='行政规范性文件', in_force_label='现行有效件数', fee_hdr='本年收费金额（单位：万元）'):
    cs = ' colspan=3' if value_colspan else ''
    return ('<table border=1>\n'
      '<tr><td colspan=4>第二十条第（一）项</td></tr>\n'
      f'<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>{in_force_label}</td></tr>\n'
      f'<tr><td>{rules_label}</td>' + ''.join(td(v) for v in vals['rules']) + '</tr>\n'
      f'<tr><td>{norm_label}</td>' + ''.join(td(v) for v in vals['normative']) + '</tr>\n'
      '<tr><td colspan=4>第二十条第（五）项</td></tr>\n'
      f'<tr><td>信息内容</td><td{cs}>本年处理决定数量</td></tr>\n'
      f'<tr><td>行政许可</td><td{cs}>{vals["licensing"][0]}</td></tr>\n'
      '<tr><td colspan=4>第二十条第（六）项</td></tr>\n'
      f'<tr><td>信息内容</td><td{cs}>本年处理决定数量</td></tr>\n'
      f'<tr><td>行政处罚</td><td{cs}>{vals["penalty"][0]}</td></tr>\n'
      f'<tr><td>行政强制</td><td{cs}>{vals["coercion"][0]}</td></tr>\n'
      '<tr><td colspan=4>第二十条第（八）项</td></tr>\n'
      f'<tr><td>信息内容</td><td{cs}>{fee_hdr}</td></tr>\n'
      f'<tr><td>行政事业性收费</td><td{cs}>{vals["fees"][0]}</td></tr>\n'
      '</table>\n')

T2_2021_COLS = {'rules': ['made', 'repealed', 'in_force'], 'normative': ['made', 'repealed', 'in_force'],
  'licensing': ['decisions'], 'penalty': ['decisions'], 'coercion': ['decisions'], 'fees': ['amount_wan_yuan']}
T2_2019_COLS = {'rules': ['new_made', 'new_published', 'total_published'], 'normative': ['new_made', 'new_published', 'total_published'],
  'licensing': ['prev_items', 'change', 'decisions'], 'other_services': ['prev_items', 'change', 'decisions'],
  'penalty': ['prev_items', 'change', 'decisions'], 'coercion': ['prev_items', 'change', 'decisions'],
  'fees': ['prev_items', 'change'], 'procurement': ['items', 'amount_yuan']}

def t2keys(vals, cols):
    out = {}
    for r, v in vals.items():
        for c, x in zip(cols[r], v):
            out[f't2.{r}.{c}'] = x
    return out

def t4keys(vals):
    names = [f'{g}.{c}' for g in ['review', 'suit_direct', 'suit_after_review'] for c in ['upheld', 'corrected', 'other', 'pending', 'total']]
    return {f't4.all.{n}': (None if v is None else str(v)) for n, v in zip(names, vals)}

# ---------- full-2021: the template as the national format lays it out ----------
t3n = t3_numbers({'granted': [9, 2, 0, 1, 0, 0], 'partial': [3, 0, 0, 0, 0, 0], 'denied.third_party': [1, 0, 0, 0, 0, 0],
                  'unable.no_info': [6, 1, 0, 0, 0, 1], 'rejected.duplicate': [2, 0, 0, 0, 0, 0],
                  'other.no_correction': [1, 0, 0, 0, 0, 0], 'other.other': [0, 1, 0, 0, 0, 0]},
                 carried_in=[2, 0, 0, 0, 0, 0], carried_out=[1, 0, 0, 0, 0, 0])
t2v = {'rules': ['1', '0', '12'], 'normative': ['23', '4', '187'], 'licensing': ['10457'], 'penalty': ['382'], 'coercion': ['17'], 'fees': ['36.0800']}
t4v = t4_vals([3, 1, 0, 1], [2, 0, 1, 0], [1, 0, 0, 0])
body = sections(t2_2021_one_table(t2v), '<table border=1>\n' + t3_header() + t3_rows('2021', t3n) + '</table>\n',
                '<table border=1>\n' + T4_HDR + t4_row(t4v) + '</table>\n',
                intro='<h1>青山区人民政府2021年政府信息公开工作年度报告</h1><div class="info">发布时间：2022-01-28 来源：区政府办</div>'
                      '<p>本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。</p>')
write('full-2021.html', page('青山区人民政府2021年政府信息公开工作年度报告_青山区人民政府门户网站', '', body,
      meta_title='青山区人民政府2021年政府信息公开工作年度报告', pubdate='2022-01-28 09:30'))
cells = cellkeys(t3n); cells.update(t2keys(t2v, T2_2021_COLS)); cells['t2.fees.amount_wan_yuan'] = '36.08'; cells.update(t4keys(t4v))
expect('full-2021', 2021, '2021', cells, agency='青山区人民政府', extra={'published_at': '2022-01-28', 'sections': 6})

# ---------- full-2019: one table per sub-table, blanks for zeros, double rowspan label, unit in cell ----------
t3n19 = t3_numbers({'granted': [11, 3, 0, 0, 1, 0], 'partial': [2, 0, 0, 0, 0, 0], 'denied.process': [1, 0, 0, 0, 0, 0],
                    'unable.no_info': [4, 0, 1, 0, 0, 0], 'unable.unclear': [1, 0, 0, 0, 0, 0], 'rejected.complaint': [2, 0, 0, 0, 0, 0],
                    'other': [3, 0, 0, 0, 0, 1]},
                   carried_in=[0, 0, 0, 0, 0, 0], carried_out=[2, 1, 0, 0, 0, 0], fmt='2019')
def sub(caption, hdr, rows):
    return ('<table border=1>\n' + f'<tr><td colspan={len(hdr)+1}>{caption}</td></tr>\n'
            '<tr><td>信息内容</td>' + ''.join(td(h) for h in hdr) + '</tr>\n' +
            ''.join('<tr>' + td(l) + ''.join(td(v) for v in vs) + '</tr>\n' for l, vs in rows) + '</table>\n<p>&nbsp;</p>\n')
t2v19 = {'rules': ['0', '0', '2'], 'normative': ['5', '5', '41'], 'licensing': ['126', '-8', '2351'], 'other_services': ['31', '+3', '77'],
         'penalty': ['240', '0', '169'], 'coercion': ['12', '-1', '4'], 'fees': ['9', '0'], 'procurement': ['14', '251000元']}
t2html19 = (sub('第二十条第（一）项', ['本年新制作数量', '本年新公开数量', '对外公开总数量'], [('规章', t2v19['rules']), ('规范性文件', t2v19['normative'])]) +
            sub('第二十条第（五）项', ['上一年项目数量', '本年增/减', '处理决定数量'], [('行政许可', t2v19['licensing']), ('其他对外管理服务事项', t2v19['other_services'])]) +
            sub('第二十条第（六）项', ['上一年项目数量', '本年增/减', '处理决定数量'], [('行政处罚', t2v19['penalty']), ('行政强制', t2v19['coercion'])]) +
            sub('第二十条第（八）项', ['上一年项目数量', '本年增/减'], [('行政事业性收费', t2v19['fees'])]) +
            sub('第二十条第（九）项', ['采购项目数量', '采购总金额'], [('政府集中采购', t2v19['procurement'])]))
t4v19 = t4_vals([1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0])
body = sections(t2html19, '<table border=1>\n' + t3_header() + t3_rows('2019', t3n19, blank_zero=True, double_label=True) + '</table>\n',
                '<table border=1>\n' + T4_HDR + t4_row(t4v19, blank_zero=True) + '</table>\n',
                intro='<div class="title">2019年青山区交通运输局政府信息公开工作年度报告</div><div>发布日期：2020年01月21日</div>')
write('full-2019.html', page('2019年青山区交通运输局政府信息公开工作年度报告', '', body))
def blanked(nums):
    return {r: [None if x == 0 else x for x in v] for r, v in nums.items()}
cells = cellkeys(blanked(t3n19))
cells.update({k: v for k, v in t2keys(t2v19, T2_2019_COLS).items()})
cells['t2.other_services.change'] = '3'; cells['t2.procurement.amount_yuan'] = '251000'
cells.update(t4keys([None if x == 0 else x for x in t4v19]))
expect('full-2019', 2019, '2019', cells, agency='青山区交通运输局', warnings=['blank_cell:t3.carried_in.natural', 'blank_cell:t4.all.review.corrected'],
       extra={'published_at': '2020-01-21', 'sections': 6})

# ---------- split-2021: table 三 split over two <table>s with a page-break paragraph; table 四 header and data apart ----------
t3s = t3_numbers({'granted': [5, 1, 0, 0, 0, 0], 'denied.internal': [1, 0, 0, 0, 0, 0], 'unable.no_info': [2, 0, 0, 0, 0, 0],
                  'rejected.confirm': [0, 0, 1, 0, 0, 0], 'other.no_fee': [1, 0, 0, 0, 0, 0]},
                 carried_in=[1, 0, 0, 0, 0, 0], carried_out=[0, 0, 0, 0, 0, 0])
rows = t3_rows('2021', t3s).strip().split('\n')
# first part ends after the 不予公开 group (header 3 rows + 一 + 二 + (一) + (二) + 8 = rows[0:12])
part1, part2 = rows[:12], rows[12:]
# rows of the second part lose the rowspan cell 三、本年度办理结果 that started in part 1: Word repeats nothing
t3html = ('<table border=1>\n' + t3_header() + '\n'.join(part1) + '\n</table>\n'
          '<p style="page-break-before:always">&nbsp;</p><p align=center>-4-</p>\n'
          '<table border=1>\n' + '\n'.join(part2) + '\n</table>\n')
t4s = t4_vals([0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2])
t4html = '<table border=1>\n' + T4_HDR + '</table>\n<p>&nbsp;</p>\n<table border=1>\n' + t4_row(t4s) + '</table>\n'
write('split-2021.html', page('白水镇人民政府2021年政府信息公开工作年度报告', '', sections(t2_2021_one_table(t2v), t3html, t4html)))
cells = cellkeys(t3s); cells.update(t2keys(t2v, T2_2021_COLS)); cells['t2.fees.amount_wan_yuan'] = '36.08'; cells.update(t4keys(t4s))
expect('split-2021', 2021, '2021', cells, agency='白水镇人民政府')

# ---------- t2-variants-2019: truncated/broken/annotated headers, annotated labels, extra row, 万元 header, colspan disagreement ----------
t2html = ('<table border=1>\n'
  '<tr><td colspan=5>第二十条第（一）项</td></tr>\n'
  '<tr><td>信息内容</td><td>本年新</td><td colspan=2>本年新</td><td>对外公开总数量</td></tr>\n'
  '<tr><td>规章（设区的市、自治州人民政府应提供相关数据）</td><td>0</td><td colspan=2>1</td><td>6</td></tr>\n'
  '<tr><td>规范性文件</td><td>7</td><td colspan=2>7</td><td>93</td></tr>\n'
  '<tr><td>其他主动公开文件</td><td>55</td><td colspan=2>55</td><td>410</td></tr>\n'
  '<tr><td colspan=5>第二十条第（五）项</td></tr>\n'
  '<tr><td>信息内容</td><td>上一年项目数量（指2018年事项数）</td><td colspan=2>本年增/减（指2019年比2018年增减数，减用负值表示，如-8）</td><td>处理决定<br>数量</td></tr>\n'
  '<tr><td>行政许可</td><td colspan=2>87</td><td>-5</td><td>1,204</td></tr>\n'
  '<tr><td>其他对外管理服务事项</td><td colspan=2>12</td><td>0</td><td>36</td></tr>\n'
  '<tr><td colspan=5>第二十条第（六）项</td></tr>\n'
  '<tr><td>信息内容</td><td>上一年项目数量</td><td colspan=2>本年增/减</td><td>处理决定数量</td></tr>\n'
  '<tr><td>行政处罚</td><td>301</td><td colspan=2>+12</td><td>2,611</td></tr>\n'
  '<tr><td>行政强制</td><td>19</td><td colspan=2>-</td><td>8</td></tr>\n'
  '<tr><td colspan=5>第二十条第（八）项</td></tr>\n'
  '<tr><td>信息内容</td><td colspan=2>上一年项目数量</td><td colspan=2>本年增/减</td></tr>\n'
  '<tr><td>行政事业性收费</td><td colspan=2>6</td><td colspan=2>-2</td></tr>\n'
  '<tr><td colspan=5>第二十条第（九）项</td></tr>\n'
  '<tr><td>信息内容</td><td colspan=2>采购项目数量</td><td colspan=2>采购总金额（万元）</td></tr>\n'
  '<tr><td>政府集中采购</td><td colspan=2>23</td><td colspan=2>477.35</td></tr>\n'
  '</table>\n')
write('t2-variants-2019.html', page('红河街道办事处2019年政府信息公开工作年度报告', '',
      '<p>编写说明：可先适当综述。表格中的数据应为2019年度数据。</p>' + sections(t2html, '', '')))
cells = {'t2.rules.new_made': '0', 't2.rules.new_published': '1', 't2.rules.total_published': '6',
         't2.normative.new_made': '7', 't2.normative.new_published': '7', 't2.normative.total_published': '93',
         't2.licensing.prev_items': '87', 't2.licensing.change': '-5', 't2.licensing.decisions': '1204',
         't2.other_services.prev_items': '12', 't2.other_services.change': '0', 't2.other_services.decisions': '36',
         't2.penalty.prev_items': '301', 't2.penalty.change': '12', 't2.penalty.decisions': '2611',
         't2.coercion.prev_items': '19', 't2.coercion.change': None, 't2.coercion.decisions': '8',
         't2.fees.prev_items': '6', 't2.fees.change': '-2', 't2.procurement.items': '23', 't2.procurement.amount_yuan': '4773500'}
expect('t2-variants-2019', 2019, '2019', cells, agency='红河街道办事处',
       warnings=['unmapped_row:t2', 'blank_cell:t2.coercion.change', 'missing_table:t3', 'missing_table:t4'])

# ---------- t2-variants-2021: 规范性文件 label in a 2021 table, truncated header, thousands separators in 万元, values not colspanned ----------
t2v21 = {'rules': ['0', '0', '0'], 'normative': ['4', '1', '58'], 'licensing': ['3,985,758'], 'penalty': ['1２'], 'coercion': ['—'], 'fees': ['1,096.50']}
write('t2-variants-2021.html', page('2022年度长岭县市场监督管理局政府信息公开工作年度报告', '',
      sections(t2_2021_one_table(t2v21, value_colspan=False, norm_label='规范性文件', in_force_label='现行有效件'), '', '')))
cells = {'t2.rules.made': '0', 't2.rules.repealed': '0', 't2.rules.in_force': '0', 't2.normative.made': '4', 't2.normative.repealed': '1',
         't2.normative.in_force': '58', 't2.licensing.decisions': '3985758', 't2.penalty.decisions': '12', 't2.coercion.decisions': None,
         't2.fees.amount_wan_yuan': '1096.5'}
expect('t2-variants-2021', 2022, '2021', cells, agency='长岭县市场监督管理局', warnings=['blank_cell:t2.coercion.decisions'])

def only_t3(title, t3html, intro=''):
    return page(title, '', intro + '<p>三、收到和处理政府信息公开申请情况</p>' + t3html)

# ---------- legal-subtotal-2019: an eighth column 法人或其他组织小计, header words broken by <br>/<p>/spans ----------
t3l = t3_numbers({'granted': [4, 2, 1, 0, 0, 0], 'partial': [1, 0, 0, 0, 1, 0], 'unable.no_info': [3, 0, 0, 0, 0, 2], 'other': [0, 1, 0, 0, 0, 0]},
                 carried_in=[0, 0, 0, 0, 0, 0], carried_out=[1, 0, 0, 0, 0, 0], subtotal=True, fmt='2019')
write('legal-subtotal-2019.html', only_t3('西湖区教育局2020年政府信息公开工作年度报告',
      '<table border=1>\n' + t3_header(subtotal=True, split_words=True) + t3_rows('2019', t3l) + '</table>\n'))
cells = cellkeys(t3l, cols=['natural', 'commercial', 'research', 'social', 'legal', 'other', 'legal_subtotal', 'total'])
expect('legal-subtotal-2019', 2020, '2019', cells, agency='西湖区教育局')

# ---------- misaligned-2021: 自然人 header colspan=2 over an empty cell; data rows put colspan=2 on 商业企业 (平潭 2021) ----------
t3m = t3_numbers({'granted': [8, 0, 0, 2, 0, 1], 'partial': [2, 0, 0, 0, 0, 0], 'denied.enforcement': [1, 0, 0, 0, 0, 0],
                  'unable.no_info': [5, 0, 0, 0, 0, 1], 'other.other': [1, 0, 0, 0, 0, 0]},
                 carried_in=[0, 0, 0, 0, 0, 0], carried_out=[1, 0, 0, 0, 0, 0])
hdr = ('<tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=8>申请人情况</td></tr>\n'
       '<tr><td colspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\n'
       '<tr><td>&nbsp;</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\n')
def misaligned_rows(nums):
    out = []
    for line in t3_rows('2021', nums).strip().split('\n'):
        # second value cell (商业企业) gets colspan=2: find the label cells' end by counting 7 trailing <td>s
        parts = line[:-5].split('<td')
        head, vals = parts[:-7], parts[-7:]
        vals[1] = ' colspan=2' + vals[1]
        out.append('<td'.join(head + vals) + '</tr>')
    return '\n'.join(out) + '\n'
write('misaligned-2021.html', only_t3('2021年长乐区政府信息公开工作年度报告', '<table border=1>\n' + hdr + misaligned_rows(t3m) + '</table>\n'))
expect('misaligned-2021', 2021, '2021', cellkeys(t3m), agency='长乐区')

# ---------- word-2019: Word-pasted markup ----------
def word_cell(v, code, j):
    s = str(v)
    sty = 'style="font-family:仿宋_GB2312;mso-bidi-font-family:\n\'Times New Roman\';font-size:12.0pt"'
    if len(s) >= 2:   # one number split over spans: <span>2</span><span>3</span>
        inner = f'<span {sty}>{s[0]}</span><span {sty}>{s[1:]}</span>'
    elif v == 0 and j % 3 == 1:
        inner = f'<span {sty}>&nbsp;0</span><span {sty}>&nbsp;&nbsp;</span>'
    elif j == 6 and v > 0:
        inner = f'<span {sty}>{chr(0xFF10 + v) if v < 10 else s}</span>'   # full-width digit
    else:
        inner = f'<span {sty}>{s}</span>'
    return f'<p class=MsoNormal align=center style="text-align:center">{inner}<span lang=EN-US><o:p></o:p></span></p>'
t3w = t3_numbers({'granted': [12, 0, 0, 0, 0, 1], 'partial': [3, 0, 0, 0, 0, 0], 'denied.state_secret': [1, 0, 0, 0, 0, 0],
                  'unable.need_creation': [2, 0, 0, 0, 0, 0], 'rejected.excessive': [4, 0, 0, 0, 0, 0], 'other': [1, 0, 0, 0, 0, 0]},
                 carried_in=[3, 0, 0, 0, 0, 0], carried_out=[0, 0, 0, 0, 0, 0], fmt='2019')
def word_label(l):
    # labels split over <p> and spans, with Word's conditional comments around them
    if len(l) > 4:
        l = f'<span lang=EN-US>{l[:3]}</span><!--[if !supportLists]--><span>{l[3:]}</span><!--[endif]-->'
    return f'<p class=MsoNormal>{l}<o:p></o:p></p>'
lines = []
for code, label in T3_2019:
    pass
t3rows = t3_rows('2019', t3w, cell=lambda code, j, v: word_cell(v, code, j))
import re as _re
t3rows = _re.sub(r'<td([^>]*)>([^<]*[\u4e00-\u9fff][^<]*)</td>', lambda m: f'<td{m.group(1)} valign=top style="border:solid windowtext 1.0pt;\nmso-border-alt:solid windowtext .5pt">{word_label(m.group(2))}</td>', t3rows)
t4w = t4_vals([2, 0, 1, 0], [0, 0, 0, 0], [0, 1, 0, 0])
t4html = ('<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style="border-collapse:collapse;mso-table-layout-alt:fixed">\n'
          + T4_HDR.replace('<td', '<td valign=top') + '<tr style="mso-yfti-irow:3;mso-yfti-lastrow:yes">' +
          ''.join(f'<td>{word_cell(v, "t4", j)}</td>' for j, v in enumerate(t4w)) + '</tr>\n</table>\n')
body = ('<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->\n'
        '<div class=WordSection1><p class=MsoNormal align=center><span style="font-size:22pt">东湖区人民政府办公室</span><span>20</span><span>19</span><span>年</span></p>'
        '<p class=MsoNormal align=center><span style="font-size:22pt">政府信息公开工作年度报告</span></p>'
        '<p class=MsoNormal>\u3000\u3000<span>三、收到和处理政府信息公开申请情况</span><o:p></o:p></p>'
        '<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style="border-collapse:collapse;border:none;mso-border-alt:\nsolid windowtext .5pt">\n'
        + t3_header() + t3rows + '</table>\n'
        '<p class=MsoNormal>\u3000\u3000<span>四、政府信息公开行政复议、行政诉讼情况</span></p>' + t4html + '</div>')
write('word-2019.html', page('', '<style>p.MsoNormal{margin:0cm}</style>', body))
cells = cellkeys(t3w); cells.update(t4keys(t4w))
expect('word-2019', 2019, '2019', cells, agency='东湖区人民政府办公室', warnings=['missing_table:t2'])

# ---------- labels-2021: numbering, bracket and parenthetical variants ----------
t3v = t3_numbers({'granted': [6, 1, 0, 0, 0, 0], 'partial': [1, 0, 0, 0, 0, 0], 'denied.three_safety': [1, 0, 0, 0, 0, 0],
                  'denied.law_prohibited': [0, 1, 0, 0, 0, 0], 'unable.unclear': [2, 0, 0, 0, 0, 0], 'rejected.publication': [1, 0, 0, 0, 0, 0],
                  'other.no_correction': [0, 0, 0, 0, 1, 0], 'other.no_fee': [1, 0, 0, 0, 0, 0], 'other.other': [2, 0, 0, 0, 0, 0]},
                 carried_in=[0, 0, 0, 0, 0, 0], carried_out=[0, 0, 0, 0, 0, 0])
labels = {'new': '一、本年新收政府信息公开申请数量（件）', 'carried_in': '二、上年结转政府信息公开申请数量',
          'granted': '(一)予以公开', 'partial': '(二)部分公开',
          'denied.state_secret': '1、属于国家秘密', 'denied.law_prohibited': '2、其他法律行政法规禁止公开',
          'denied.three_safety': '3、危及"三安全一稳定"', 'group:denied.state_secret': '(三)<br>不予公开',
          'group:unable.no_info': '（四）无<br/>法提供', 'unable.unclear': '3.补正后申请内容仍不明确（指补正后仍无法确定所需信息）',
          'other.no_correction': '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other.other': '3．其他',
          'result_total': '(七)总　计（件）', 'carried_out': '四、结转下年度继续办理'}
write('labels-2021.html', only_t3('2021年度滨江街道政府信息公开工作年度报告',
      '<table border=1>\n' + t3_header() + t3_rows('2021', t3v, labels=labels) + '</table>\n'))
expect('labels-2021', 2021, '2021', cellkeys(t3v), agency='滨江街道')

# ---------- values-2021: every blank/placeholder form, separators, units, signs, garbage ----------
specials = {('granted', 0): '1,024', ('granted', 6): '1,031', ('partial', 0): '3件', ('partial', 6): '+3',
            ('denied.state_secret', 0): '', ('denied.state_secret', 1): '&nbsp;', ('denied.state_secret', 2): '—',
            ('denied.state_secret', 3): '－', ('denied.state_secret', 4): '-', ('denied.state_secret', 5): '/', ('denied.state_secret', 6): '无',
            ('denied.law_prohibited', 0): 'N/A', ('denied.law_prohibited', 1): '——', ('denied.law_prohibited', 6): '见附件',
            ('unable.no_info', 0): ' 0 ', ('unable.no_info', 6): '０'}
t3x = t3_numbers({'granted': [1024, 7, 0, 0, 0, 0], 'partial': [3, 0, 0, 0, 0, 0]}, carried_in=[0]*6, carried_out=[0]*6)
def vcell(code, j, v):
    return specials.get((code, j), str(v))
write('values-2021.html', only_t3('2021年政府信息公开工作年度报告', '<table border=1>\n' + t3_header() + t3_rows('2021', t3x, cell=vcell) + '</table>\n',
      intro='<p>沙河镇人民政府</p><p>2021年政府信息公开工作年度报告</p>'))
cells = cellkeys(t3x)
for (code, j), raw in specials.items():
    key = f't3.{code}.{COLS[j]}'
    cells[key] = {'1,024': '1024', '1,031': '1031', '3件': '3', '+3': '3', ' 0 ': '0', '０': '0'}.get(raw)
expect('values-2021', 2021, '2021', cells, agency='沙河镇人民政府',
       warnings=['not_a_number:t3.denied.law_prohibited.total', 'blank_cell:t3.denied.state_secret.natural', 'blank_cell:t3.denied.state_secret.total',
                 'blank_cell:t3.denied.law_prohibited.natural'])

# ---------- seed-2021.txt: one cell per line, with the seed report's numbers (新乡市牧野区 2021) ----------
def tabgroup(cells):
    return '\n'.join('\t' + c for c in cells) + '\n\n'
seedt3 = t3_numbers({'denied.process': [1, 0, 0, 0, 0, 0], 'unable.no_info': [2, 0, 0, 0, 0, 0]}, carried_in=[0]*6, carried_out=[0]*6)
txt = '示例区人民政府\n\n2021年政府信息公开工作年度报告\n\n（一）主动公开情况\n2021年，本机关通过门户网站主动公开政府信息。\n\n\n二、主动公开政府信息情况\n\n'
txt += tabgroup(['第二十条  第（一）项']) + tabgroup(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'])
txt += tabgroup(['规章', '0', '0', '0']) + tabgroup(['行政规范性文件', '0', '0', '13'])
txt += tabgroup(['第二十条  第（五）项']) + tabgroup(['信息内容', '本年处理决定数量']) + tabgroup(['行政许可', '15498'])
txt += tabgroup(['第二十条  第（六）项']) + tabgroup(['信息内容', '本年处理决定数量']) + tabgroup(['行政处罚', '466']) + tabgroup(['行政强制', '0'])
txt += tabgroup(['第二十条  第（八）项']) + tabgroup(['信息内容', '本年收费金额（单位：万元）']) + tabgroup(['行政事业性收费', '94.0121'])
txt += '\n三、收到和处理政府信息公开申请情况\n\n'
txt += tabgroup(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况'])
txt += tabgroup(['', '自然人', '法人或其他组织', '总计']) + tabgroup(['', '', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', ''])
groups = {'denied.state_secret': '（三）不予公开', 'unable.no_info': '（四）无法提供', 'rejected.complaint': '（五）不予处理', 'other.no_correction': '（六）其他处理'}
for code, label in T3_2021:
    vals = [str(v) for v in seedt3[code]]
    if code in ('new', 'carried_in', 'carried_out'):
        cells = [label]
    elif code == 'granted':
        cells = ['三、本年度办理结果', label]
    elif code in ('partial', 'result_total'):
        cells = ['', label]
    elif code in groups:
        cells = ['', groups[code], label]
    else:
        cells = ['', '', label]
    txt += tabgroup(cells + vals)
txt += '四、政府信息公开行政复议、行政诉讼情况\n\n' + tabgroup(['行政复议', '行政诉讼'])
txt += tabgroup(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '复议后起诉'] + ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']*2)
txt += tabgroup(['0']*15)
txt += '存在的主要问题及改进情况\n（一）存在的主要问题\n政策解读工作有待加强。\n六、其他需要报告的事项\n2021年，本机关无收取信息处理费情况。\n'
write('seed-2021.txt', txt)
cells = cellkeys(seedt3)
cells.update({'t2.rules.made': '0', 't2.rules.repealed': '0', 't2.rules.in_force': '0', 't2.normative.made': '0', 't2.normative.repealed': '0',
              't2.normative.in_force': '13', 't2.licensing.decisions': '15498', 't2.penalty.decisions': '466', 't2.coercion.decisions': '0',
              't2.fees.amount_wan_yuan': '94.0121'})
cells.update(t4keys([0]*15))
expect('seed-2021', 2021, '2021', cells, agency='示例区人民政府')

# ---------- flat-2019.txt: rows flattened onto one line; linear header; table 四 as 15 numbers; 2019 tables in a 2023 report ----------
t3f = t3_numbers({'granted': [14, 2, 0, 0, 0, 0], 'partial': [2, 0, 0, 0, 0, 0], 'denied.third_party': [1, 0, 0, 0, 0, 0],
                  'unable.no_info': [9, 1, 0, 0, 0, 0], 'rejected.duplicate': [1, 0, 0, 0, 0, 0], 'other': [2, 0, 0, 0, 0, 0]},
                 carried_in=[1, 0, 0, 0, 0, 0], carried_out=[3, 0, 0, 0, 0, 0], fmt='2019')
txt = '2023年杨林镇人民政府政府信息公开年度报告\n\n一、总体情况\n2023年，杨林镇认真贯彻落实《中华人民共和国政府信息公开条例》。\n\n二、主动公开政府信息情况\n'
txt += '第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t2\t2\t17\n'
txt += '第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 4 0 31\n其他对外管理服务事项 2 1 9\n'
txt += '第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政处罚 6 -1 14\n行政强制 1 0 0\n'
txt += '第二十条第（八）项\n信息内容 上一年项目数量 本年增/减\n行政事业性收费 0 0\n'
txt += '第二十条第（九）项\n信息内容 采购项目数量 采购总金额\n政府集中采购 3 12.5万元\n\n'
txt += '三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况\n'
txt += '自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n'
for code, label in T3_2019:
    prefix = {'granted': '三、本年度办理结果 ', 'denied.state_secret': '（三）不予公开 ', 'unable.no_info': '（四）无法提供 ', 'rejected.complaint': '（五）不予处理 '}.get(code, '')
    label = label.replace('（区分', ' （区分').replace('三安全一', '三安全 一')  # converters space words apart
    txt += prefix + label + ' ' + ' '.join(str(v) for v in t3f[code]) + '\n'
t4f = t4_vals([1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0])
txt += '\n四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n'
txt += ' '.join(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']*2) + '\n' + ' '.join(str(v) for v in t4f) + '\n\n五、存在的主要问题及改进情况\n信息更新不够及时。\n'
write('flat-2019.txt', txt)
cells = cellkeys(t3f); cells.update(t4keys(t4f))
cells.update({'t2.rules.new_made': '0', 't2.rules.new_published': '0', 't2.rules.total_published': '0', 't2.normative.new_made': '2',
              't2.normative.new_published': '2', 't2.normative.total_published': '17', 't2.licensing.prev_items': '4', 't2.licensing.change': '0',
              't2.licensing.decisions': '31', 't2.other_services.prev_items': '2', 't2.other_services.change': '1', 't2.other_services.decisions': '9',
              't2.penalty.prev_items': '6', 't2.penalty.change': '-1', 't2.penalty.decisions': '14', 't2.coercion.prev_items': '1',
              't2.coercion.change': '0', 't2.coercion.decisions': '0', 't2.fees.prev_items': '0', 't2.fees.change': '0',
              't2.procurement.items': '3', 't2.procurement.amount_yuan': '125000'})
expect('flat-2019', 2023, '2019', cells, agency='杨林镇人民政府')

# ---------- pages without readable tables ----------
pre = ('<h2>舒兰市人民政府2016年政务信息公开年度报告</h2>'
       '<p>一、概述</p><p>2016年，我市政府信息公开工作稳步推进。</p><p>二、主动公开政府信息情况</p><p>全年主动公开政府信息1520条。</p>'
       '<p>三、依申请公开政府信息情况</p><p>全年受理申请12件。</p><p>附表</p>'
       '<table border=1><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr><tr><td>一、主动公开情况</td><td></td><td></td></tr>'
       '<tr><td>（一）主动公开政府信息数</td><td>条</td><td>1520</td></tr><tr><td>二、依申请公开情况</td><td></td><td></td></tr>'
       '<tr><td>（一）收到申请数</td><td>件</td><td>12</td></tr></table>')
write('pre2019.html', page('舒兰市人民政府2016年政务信息公开年度报告', '', pre))
expect('pre2019', 2016, 'pre2019', {}, agency='舒兰市人民政府', warnings=['pre2019', 'unknown_format'])

imgs = ('<p>一、总体情况</p><p>2020年，本局认真落实政府信息公开工作。</p><p>二、主动公开政府信息情况</p><p><img src="/pic/t2.png"></p>'
        '<p>三、收到和处理政府信息公开申请情况</p><p><img src="/pic/t3.png"></p><p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="/pic/t4.jpg"></p>'
        '<p>五、存在的主要问题及改进情况</p><p>公开的及时性仍需提高。</p><p>六、其他需要报告的事项</p><p>无。</p>')
write('images-2020.html', page('北京街道2020年政府信息公开工作年度报告', '', imgs))
expect('images-2020', 2020, 'unknown', {}, agency='北京街道', warnings=['tables_are_images', 'no_tables'], extra={'sections': 6})

att = ('<div class="article"><h1>杨凌示范区农业农村局2022年政府信息公开工作年度报告</h1><p>发布日期：2023-01-30</p>'
       '<p>附件：<a href="/uploadfiles/2023/01/nb2022.pdf">杨凌示范区农业农村局2022年政府信息公开工作年度报告.pdf</a></p></div>')
write('attachment-2022.html', page('杨凌示范区农业农村局2022年政府信息公开工作年度报告', '', att))
expect('attachment-2022', 2022, 'unknown', {}, agency='杨凌示范区农业农村局', warnings=['attachment_only', 'no_tables'], extra={'published_at': '2023-01-30'})

# ---------- legal-subtotal-2021.txt: the eighth column in a one-cell-per-line text ----------
t3lt = t3_numbers({'granted': [3, 1, 0, 1, 0, 0], 'unable.no_info': [1, 0, 0, 0, 2, 0], 'other.no_fee': [0, 1, 0, 0, 0, 0]},
                  carried_in=[0]*6, carried_out=[1, 0, 0, 0, 0, 0], subtotal=True)
txt = '城关镇人民政府2021年政府信息公开工作年度报告\n\n三、收到和处理政府信息公开申请情况\n\n'
txt += tabgroup(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况'])
txt += tabgroup(['', '自然人', '法人或其他组织', '总计']) + tabgroup(['', '', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '小计', ''])
for code, label in T3_2021:
    vals = [str(v) for v in t3lt[code]]
    cells = {'new': [label], 'carried_in': [label], 'carried_out': [label], 'granted': ['三、本年度办理结果', label],
             'partial': ['', label], 'result_total': ['', label]}.get(code) or (['', groups[code], label] if code in groups else ['', '', label])
    txt += tabgroup(cells + vals)
write('legal-subtotal-2021.txt', txt)
expect('legal-subtotal-2021', 2021, '2021', cellkeys(t3lt, cols=['natural', 'commercial', 'research', 'social', 'legal', 'other', 'legal_subtotal', 'total']),
       agency='城关镇人民政府')

# ---------- t4-parts: table 四 printed as two tables (复议 5 values, 诉讼 10), with a label column ----------
t4p = t4_vals([2, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1])
t4html = ('<table border=1><tr><td colspan=5>行政复议</td></tr><tr>' + ''.join(td(w) for w in ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']) + '</tr>'
          '<tr>' + ''.join(td(v) for v in t4p[:5]) + '</tr></table>\n<p>&nbsp;</p>\n'
          '<table border=1><tr><td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr><tr>' +
          ''.join(td(w) for w in ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'] * 2) + '</tr>'
          '<tr>' + ''.join(td(v if v else '&nbsp;') for v in t4p[5:]) + '</tr></table>\n'
          '<table border=1><tr>' + ''.join(td('&nbsp;') for _ in range(15)) + '</tr></table>\n')
write('t4-parts.html', page('2020年黄陂区城市管理执法局政府信息公开工作年度报告', '',
      '<p>四、政府信息公开行政复议、行政诉讼情况</p>' + t4html + '<p>五、存在的主要问题及改进情况</p><p>无。</p>'))
cells = t4keys(t4p)
for k in list(cells)[5:]:
    if cells[k] == '0':
        cells[k] = None
expect('t4-parts', 2020, 'unknown', cells, agency='黄陂区城市管理执法局', warnings=['unknown_format', 'missing_table:t3'])

# ---------- pdf-text-2021.txt: text as PDF converters leave it: labels alone on their lines, values on the
# next line (or one per line), page footers in between, header words broken ----------
t3p = t3_numbers({'granted': [21, 3, 0, 1, 0, 0], 'partial': [4, 0, 0, 0, 0, 0], 'denied.third_party': [2, 0, 0, 0, 0, 0],
                  'unable.no_info': [11, 1, 0, 0, 0, 0], 'unable.unclear': [1, 0, 0, 0, 0, 0], 'rejected.duplicate': [3, 0, 0, 0, 0, 0],
                  'other.no_correction': [1, 0, 0, 0, 0, 0], 'other.other': [2, 0, 0, 0, 0, 1]},
                 carried_in=[3, 0, 0, 0, 0, 0], carried_out=[2, 1, 0, 0, 0, 0])
txt = '淮安市人民政府\n2022年政府信息公开工作年度报告\n\n一、总体情况\n2022年，市政府坚持以公开为常态。\n二、主动公开政府信息情况\n'
txt += '第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章\n1 0 18\n行政规范性文件\n12 3 140\n'
txt += '第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可\n96171\n第二十条第（六）项\n信息内容 本年处理决定数量\n行政处罚\n3985758\n行政强制\n0\n'
txt += '- 3 -\n第二十条第（八）项\n信息内容 本年收费金额（单位：万元）\n行政事业性收费\n96171.6\n'
txt += '三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，\n等于第三项加第四项之和）\n申请人情况\n自然人 法人或其他组织 总计\n商业\n企业\n科研\n机构\n社会公益组织 法律服务机构 其他\n'
for i, (code, label) in enumerate(T3_2021):
    if code == 'granted':
        txt += '三\n、\n本\n年\n度\n'  # the rowspan label one character per line
    g = {'denied.state_secret': '（三）不予公开', 'unable.no_info': '（四）无法提供', 'rejected.complaint': '（五）不予处理', 'other.no_correction': '（六）其他处理'}.get(code)
    if g:
        txt += g + '\n'
    vals = [str(v) for v in t3p[code]]
    txt += label + '\n'
    if code == 'unable.no_info':
        txt += '- 4 -\n'  # page break between a label and its values
    if code in ('rejected.complaint', 'rejected.duplicate'):
        txt += '\n'.join(vals) + '\n'  # one value per line
    else:
        txt += ' '.join(vals) + '\n'
t4pdf = t4_vals([72, 64, 178, 37], [13, 4, 8, 1], [12, 1, 1, 6])
txt += '第 5 页\n四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结\n果 尚未审结 总计 未经复议直接起诉 复议后起诉\n'
txt += ' '.join(str(v) for v in t4pdf) + '\n五、存在的主要问题及改进情况\n政策解读质量有待提高。\n'
write('pdf-text-2021.txt', txt)
cells = cellkeys(t3p); cells.update(t4keys(t4pdf))
cells.update({'t2.rules.made': '1', 't2.rules.repealed': '0', 't2.rules.in_force': '18', 't2.normative.made': '12', 't2.normative.repealed': '3',
              't2.normative.in_force': '140', 't2.licensing.decisions': '96171', 't2.penalty.decisions': '3985758', 't2.coercion.decisions': '0',
              't2.fees.amount_wan_yuan': '96171.6'})
expect('pdf-text-2021', 2022, '2021', cells, agency='淮安市人民政府')

# ---------- text-in-html-2021.html: no <table>: the CMS flattened the tables into <p> lines and a <pre> ----------
t3h = t3_numbers({'granted': [7, 1, 0, 0, 0, 0], 'unable.no_info': [3, 0, 0, 0, 0, 0], 'other.no_fee': [1, 0, 0, 0, 0, 0]},
                 carried_in=[0]*6, carried_out=[1, 0, 0, 0, 0, 0])
lines = ['二、主动公开政府信息情况', '第二十条第（一）项', '信息内容 本年制发件数 本年废止件数 现行有效件数', '规章 0 0 4', '行政规范性文件 2 1 30',
         '第二十条第（五）项', '信息内容 本年处理决定数量', '行政许可 812', '第二十条第（六）项', '信息内容 本年处理决定数量', '行政处罚 65', '行政强制 3',
         '第二十条第（八）项', '信息内容 本年收费金额（单位：万元）', '行政事业性收费 0.85',
         '三、收到和处理政府信息公开申请情况', '自然人 法人或其他组织 总计', '商业企业 科研机构 社会公益组织 法律服务机构 其他']
for code, label in T3_2021:
    lines.append(label + ' ' + ' '.join(str(v) for v in t3h[code]))
t4h = t4_vals([0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0])
pre = '行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n' + ' '.join(str(v) for v in t4h)
body = ('<div class="TRS_Editor">' + ''.join(f'<p>{l}</p>' for l in lines) +
        '<p>四、政府信息公开行政复议、行政诉讼情况</p><pre>' + pre + '</pre><p>五、存在的主要问题及改进情况</p><p>无。</p></div>')
write('text-in-html-2021.html', page('安溪县人民政府2021年政府信息公开工作年度报告', '', body))
cells = cellkeys(t3h); cells.update(t4keys(t4h))
cells.update({'t2.rules.made': '0', 't2.rules.repealed': '0', 't2.rules.in_force': '4', 't2.normative.made': '2', 't2.normative.repealed': '1',
              't2.normative.in_force': '30', 't2.licensing.decisions': '812', 't2.penalty.decisions': '65', 't2.coercion.decisions': '3',
              't2.fees.amount_wan_yuan': '0.85'})
expect('text-in-html-2021', 2021, '2021', cells, agency='安溪县人民政府', warnings=['tables_as_text'])

# ---------- nested-2019: a 2000s table layout: the report tables sit in the cells of page-layout tables, two and
# three levels deep, beside layout cells holding the title, the info bar and a navigation table ----------
t3nest = t3_numbers({'granted': [6, 1, 0, 0, 0, 0], 'partial': [1, 0, 0, 0, 0, 0], 'unable.no_info': [2, 0, 0, 0, 0, 1],
                     'rejected.duplicate': [1, 0, 0, 0, 0, 0], 'other': [1, 0, 0, 0, 0, 0]},
                    carried_in=[1, 0, 0, 0, 0, 0], carried_out=[0, 0, 0, 0, 0, 0], fmt='2019')
t2nest = {'rules': ['0', '0', '0'], 'normative': ['3', '3', '27'], 'licensing': ['54', '+2', '688'], 'other_services': ['8', '0', '15'],
          'penalty': ['71', '-3', '240'], 'coercion': ['4', '0', '2'], 'fees': ['6', '0'], 'procurement': ['3', '18.5万元']}
t2nesthtml = (sub('第二十条第（一）项', ['本年新制作数量', '本年新公开数量', '对外公开总数量'], [('规章', t2nest['rules']), ('规范性文件', t2nest['normative'])]) +
              sub('第二十条第（五）项', ['上一年项目数量', '本年增/减', '处理决定数量'], [('行政许可', t2nest['licensing']), ('其他对外管理服务事项', t2nest['other_services'])]) +
              sub('第二十条第（六）项', ['上一年项目数量', '本年增/减', '处理决定数量'], [('行政处罚', t2nest['penalty']), ('行政强制', t2nest['coercion'])]) +
              sub('第二十条第（八）项', ['上一年项目数量', '本年增/减'], [('行政事业性收费', t2nest['fees'])]) +
              sub('第二十条第（九）项', ['采购项目数量', '采购总金额'], [('政府集中采购', t2nest['procurement'])]))
t4nest = t4_vals([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0])
# Table 三 one level deeper than the others: a centring table around it.
t3nesthtml = ('<table width="100%" border="0"><tr><td align="center">\n<table border=1>\n' + t3_header() +
              t3_rows('2019', t3nest, blank_zero=True) + '</table>\n</td></tr></table>\n')
content = sections(t2nesthtml, t3nesthtml, '<table border=1>\n' + T4_HDR + t4_row(t4nest) + '</table>\n',
                   intro='<p>本报告统计期限自2019年1月1日起至2019年12月31日止。</p>')
nav = ('<table width="100%"><tr><td class="dh"><a href="/">首页</a></td></tr><tr><td class="dh"><a href="/gk">政府信息公开</a></td></tr>'
       '<tr><td class="dh">年报 2019</td></tr></table>')
body = ('<table width="980" border="0" align="center"><tr><td class="biaoti" align="center" colspan="2">红旗镇人民政府2019年政府信息公开工作年度报告</td></tr>\n'
        '<tr><td class="shijian" align="center" colspan="2">发布日期：2020-01-15&nbsp;&nbsp;来源：红旗镇人民政府办公室&nbsp;&nbsp;点击数：<span id="hits"></span></td></tr>\n'
        f'<tr><td width="180" valign="top">{nav}</td><td class="context">\n'
        f'<table width="100%" border="0"><tr><td>\n{content}\n</td></tr></table>\n'
        '</td></tr></table>')
write('nested-2019.html', page('红旗镇人民政府2019年政府信息公开工作年度报告', '', body))
cells = cellkeys(blanked(t3nest)); cells.update(t2keys(t2nest, T2_2019_COLS))
cells['t2.licensing.change'] = '2'; cells['t2.procurement.amount_yuan'] = '185000'; cells.update(t4keys(t4nest))
expect('nested-2019', 2019, '2019', cells, agency='红旗镇人民政府', warnings=['blank_cell:t3.new.research'],
       extra={'published_at': '2020-01-15', 'sections': 6})
