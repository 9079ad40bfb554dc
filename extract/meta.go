package extract

import (
	"regexp"
	"strconv"
	"strings"
)

// Metadata patterns run a handful of times per page, never per cell.
var (
	reTitleYear  = regexp.MustCompile(`((?:19|20)\d{2})\s*年度?`)
	rePeriod     = regexp.MustCompile(`((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-|—|~)(?:(?:19|20)\d{2}年)?12月31日`)
	rePartPeriod = regexp.MustCompile(`((?:19|20)\d{2})年\d{1,2}月\d{1,2}日(?:起)?(?:至|到|-|—|~)(?:((?:19|20)\d{2})年)?\d{1,2}月\d{1,2}日`)
	reYearLead   = regexp.MustCompile(`^((?:19|20)\d{2})年(?:度)?[,，、]`)
	reDate       = regexp.MustCompile(`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	reInfoBarKey = regexp.MustCompile(`(?:发布时间|发布日期|成文日期|时间|日期)\s*[:：]\s*`)
)

// reportWords mark a title as an annual report's.
var reportWords = []string{"年度报告", "年报"}

// isReportTitle: "…年度报告", "…年报", or "…信息公开…报告".
func isReportTitle(s string) bool {
	return containsAny(s, reportWords...) ||
		strings.Contains(s, "报告") && containsAny(s, "信息公开", "政务公开")
}

// titleMeta reads agency and year from a report title such as
// "平潭综合实验区2020年度政府信息公开工作年度报告" or
// "2021年新乡市牧野区人民政府政府信息公开工作年度报告".
func titleMeta(title string) (agency string, year int) {
	t := squeeze(title)
	// Portal titles carry the site name after a separator.
	for _, sep := range []string{"_", "|", "－", "--", " - "} {
		if parts := strings.Split(t, sep); len(parts) > 1 {
			for _, p := range parts {
				if isReportTitle(p) {
					t = p
					break
				}
			}
		}
	}
	if !isReportTitle(t) {
		return "", 0
	}
	m := reTitleYear.FindStringSubmatchIndex(t)
	if m == nil {
		return "", 0
	}
	year, _ = strconv.Atoi(t[m[2]:m[3]])
	before := strings.Trim(t[:m[0]], "《》\"“”")
	if i := strings.LastIndex(before, "关于"); i >= 0 { // "…办公室关于XX区2021年…"
		if rest := before[i+len("关于"):]; rest != "" {
			before = rest
		} else { // "XX区人民政府关于2021年…报告的公告": the publisher's own report
			before = before[:i]
		}
	}
	for _, w := range []string{"政府信息公开", "政务信息公开", "政务公开", "信息公开", "年度报告"} {
		// "XX局政府信息公开工作年度报告（2021年度）": the year comes last.
		if i := strings.Index(before, w); i > 0 {
			before = before[:i]
			break
		}
	}
	if i := strings.LastIndexAny(before, ">»/|"); i >= 0 { // a breadcrumb above the heading
		before = before[i+1:]
	}
	after := t[m[1]:]
	switch {
	case before != "":
		agency = before
	default:
		for _, w := range []string{"政府信息公开", "政务公开", "政务信息公开", "信息公开"} {
			if i := strings.Index(after, w); i >= 0 {
				agency = after[:i]
				break
			}
		}
	}
	return agency, year
}

// metadata fills Title, Agency (with its candidates), Year and
// PublishedAt from the page: the <title>, the ArticleTitle meta, the
// heading, then the body text. The publication year alone is never taken
// as the report year.
func metadata(rep *Report, p *page) {
	paras := paragraphs(p)
	heading, lead := headingOf(paras)
	f := &agencyFinder{}
	titled := false
	for _, t := range []struct{ text, source string }{
		{p.metaTitle, AgencyFromArticleTitle}, {heading, AgencyFromHeading}, {p.title, AgencyFromTitle},
	} {
		agency, year := titleMeta(t.text)
		if year == 0 {
			continue
		}
		if rep.Title == "" {
			rep.Title = stripLabelGlue(squeeze(t.text))
		}
		if rep.Year == 0 {
			rep.Year, rep.YearSource = year, t.source
		}
		if agency != "" {
			titled = true
			f.add(agency, t.source, t.text)
		}
	}
	if lead != "" {
		f.add(lead, AgencyFromLeadLine, lead)
		if !titled {
			rep.Title = lead + rep.Title
		}
	}
	intro := introText(p)
	f.bodyCandidates(paras, intro)
	var all string // the page's squeezed text, built only for a bare region
	if len(f.cands) > 0 {
		for _, c := range f.cands {
			if bareRegion(c.Name) {
				all = squeeze(p.title + p.metaTitle + strings.Join(paras, ""))
				break
			}
		}
		rep.Agency, rep.AgencySource = f.choose(all)
		rep.AgencyCandidates = f.cands
	}
	if rep.Year == 0 {
		rep.Year, rep.YearSource = bodyYear(paras, intro)
	}
	rep.PublishedAt = normDate(p.metaDate)
	if rep.PublishedAt == "" {
		for _, s := range paras {
			if !strings.Contains(s, "发布") || len(s) > 300 {
				continue
			}
			if loc := reInfoBarKey.FindStringIndex(s); loc != nil {
				if d := normDate(s[loc[1]:]); d != "" {
					rep.PublishedAt = d
					break
				}
			}
		}
	}
	if rep.Year == 0 {
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnNoYear, Message: "no report year in the title or the text"})
	}
	if rep.Agency == "" {
		rep.Warnings = append(rep.Warnings, Warning{Code: WarnNoAgency, Message: "no agency in the title, heading, signature or the report's own sentences"})
	}
}

// introText joins the squeezed text of the page's first blocks, up to
// about 6 KB: the sentences naming the report, its compiler and its contact
// are in the introduction, and text dumps break them over many lines, the
// pieces of a number ("20" / "21") on lines of their own, read as rows.
func introText(p *page) string {
	var b strings.Builder
	for _, bl := range p.blocks {
		if b.Len() > 6<<10 {
			break
		}
		if bl.row == nil {
			b.WriteString(squeeze(bl.para))
			continue
		}
		if bl.row.table >= 0 {
			continue
		}
		for _, c := range bl.row.cells {
			if c.kind != kindNumber {
				break
			}
			b.WriteString(c.text)
		}
	}
	return b.String()
}

func paragraphs(p *page) []string {
	var out []string
	for _, b := range p.blocks {
		if b.row == nil {
			out = append(out, b.para)
		}
	}
	return out
}

// headingOf joins the page's first short paragraphs up to the one naming
// the report (Word splits titles over paragraphs: "平潭综合实验区2020年" +
// "政府信息公开工作年度报告"); lead is a line above it that holds no year,
// often the agency.
func headingOf(paras []string) (heading, lead string) {
	var parts []string
	for i, s := range paras {
		if i >= 8 {
			break
		}
		if !shortText(s, 60) {
			if len(parts) > 0 {
				break
			}
			continue
		}
		k := squeeze(s)
		if i := strings.Index(k, "发布"); i > 0 && isReportTitle(k[:i]) {
			k = k[:i] // a title run into its info bar (one spreadsheet cell)
		}
		if containsAny(k, "发布", "来源", "浏览", "字号", "首页", "当前位置", "|", ">", "»") { // the info bar, navigation
			continue
		}
		parts = append(parts, k)
		if isReportTitle(k) {
			if a, y := titleMeta(k); y > 0 && cleanAgency(a) != "" {
				return k, "" // a whole title on one line: what is above is no part of it
			}
			joined := strings.Join(parts, "")
			if len(parts) > 1 && !reTitleYear.MatchString(parts[0]) && reTitleYear.MatchString(k) &&
				containsAny(parts[len(parts)-2], "政府", "局", "委员会", "办公室", "街道", "镇", "乡", "厅", "院", "委", "办") {
				lead = parts[len(parts)-2]
				joined = k
			}
			return joined, lead
		}
		if len(parts) > 3 {
			parts = parts[1:]
		}
	}
	return "", ""
}

// bodyYear reads the report year from the text: a whole-year statistical
// period, the sentence publishing the report ("现公布2019年度…报告"), a
// period covering part of one year ("自2019年9月1日起至2019年12月31日"),
// then a paragraph opening with "2021年，".
func bodyYear(paras []string, intro string) (int, string) {
	for _, s := range paras {
		if m := rePeriod.FindStringSubmatch(squeeze(s)); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y, YearFromPeriod
		}
	}
	if m := reportNamed(intro); m != nil {
		y, _ := strconv.Atoi(m[2])
		return y, YearFromReportNamed
	}
	if m := rePartPeriod.FindStringSubmatch(intro); m != nil && (m[2] == "" || m[2] == m[1]) {
		y, _ := strconv.Atoi(m[1])
		return y, YearFromPartPeriod
	}
	for _, s := range paras {
		if m := reYearLead.FindStringSubmatch(squeeze(s)); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y, YearFromLead
		}
	}
	return 0, ""
}

func normDate(s string) string {
	m := reDate.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return ""
	}
	return m[1] + "-" + two(mo) + "-" + two(d)
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// sectionHeadings are the six headings' distinctive words, with variants
// (format.md §1).
var sectionHeadings = [6][]string{
	{"总体情况"},
	{"主动公开政府信息情况", "主动公开政府信息"},
	{"收到和处理政府信息公开申请"},
	{"行政复议", "复议"}, // "行政法复议" typo seen in a real heading
	{"存在的主要问题", "主要问题及改进"},
	{"其他需要报告的事项", "其他需要报告"},
}

// sectionWords are all the words of sectionHeadings.
var sectionWords = func() wordSet {
	var all []string
	for _, words := range sectionHeadings {
		all = append(all, words...)
	}
	return wordsOf(all...)
}()

// sectionOf returns 1..6 when paragraph s is one of the six headings (by
// its words, whatever numeral it prints), and whether it prints a numeral
// 一…十 with 、 before them.
func sectionOf(s string) (n int, numbered bool) {
	if !shortText(s, 45) {
		return 0, false
	}
	k := squeeze(s)
	if !sectionWords.any(k) {
		return 0, false // most paragraphs
	}
	// 七…十 too: a report that numbers one section too far still prints
	// its heading
	if r := firstRune(k); strings.ContainsRune("一二三四五六七八九十", r) && strings.HasPrefix(k[len(string(r)):], "、") {
		numbered = true
	}
	for i, words := range sectionHeadings {
		if !containsAny(k, words...) {
			continue
		}
		if numbered || strings.HasPrefix(k, words[0]) {
			return i + 1, numbered
		}
	}
	return 0, false
}

// sections collects the six headings and the prose under each, in the
// order the page prints them: a numbered heading (一、…六、) is taken
// wherever it stands, so a section printed out of order is kept there;
// an unnumbered one (存在的主要问题及改进情况) only after the headings
// before it and only when no numbered heading names that section — an
// introduction listing 总体情况、主动公开政府信息情况… line by line is
// prose. A section's second heading is prose too. When 一 has no heading
// but 二 and at least two more do, the prose before 二 is section 一's,
// with an empty Heading (many reports start 总体情况 with its first
// paragraph).
func sections(p *page) []Section {
	type found struct {
		block, n int
		numbered bool
	}
	var heads []found
	numberedSeen := map[int]bool{}
	for i, b := range p.blocks {
		if b.row != nil {
			continue
		}
		if n, numbered := sectionOf(b.para); n > 0 {
			heads = append(heads, found{i, n, numbered})
			if numbered {
				numberedSeen[n] = true
			}
		}
	}
	taken := map[int]bool{} // block index of each heading taken
	have := map[int]bool{}  // section numbers taken
	last := 0
	for _, h := range heads {
		if have[h.n] || (!h.numbered && (numberedSeen[h.n] || h.n < last)) {
			continue
		}
		taken[h.block], have[h.n] = true, true
		last = max(last, h.n)
	}
	var out []Section
	var text [][]byte // out[i].Text, converted once at the end
	var before []byte // prose before the first heading
	cur := -1
	for i, b := range p.blocks {
		if b.row != nil {
			continue
		}
		if taken[i] {
			n, _ := sectionOf(b.para)
			out = append(out, Section{Number: n, Heading: b.para})
			text = append(text, nil)
			cur = len(out) - 1
			continue
		}
		dst := &before
		if cur >= 0 {
			dst = &text[cur]
		}
		if len(*dst) > 0 {
			*dst = append(*dst, '\n')
		}
		*dst = append(*dst, b.para...)
	}
	for i := range out {
		out[i].Text = string(text[i])
	}
	if len(out) >= 3 && out[0].Number == 2 && !have[1] && len(before) > 0 {
		out = append([]Section{{Number: 1, Text: string(before)}}, out...)
	}
	return out
}
