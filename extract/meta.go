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
		before = before[i+len("关于"):]
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

// metadata fills Title, Agency, Year and PublishedAt from the page: the
// <title>, the ArticleTitle meta, the heading, then the body text. The
// publication year alone is never taken as the report year.
func metadata(rep *Report, p *page) {
	paras := paragraphs(p)
	heading, lead := headingOf(paras)
	for _, t := range []string{p.metaTitle, heading, p.title} {
		agency, year := titleMeta(t)
		if year == 0 {
			continue
		}
		if rep.Title == "" {
			rep.Title = squeeze(t)
		}
		if rep.Year == 0 {
			rep.Year = year
		}
		if rep.Agency == "" && agency != "" {
			rep.Agency = agency
		}
	}
	if rep.Agency == "" && lead != "" {
		rep.Agency = lead // "新乡市牧野区人民政府" on the line above the title
		rep.Title = lead + rep.Title
	}
	if rep.Year == 0 {
		rep.Year = bodyYear(paras)
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
		rep.Warnings = append(rep.Warnings, Warning{Code: "no_year", Message: "no report year in the title or the text"})
	}
	if rep.Agency == "" {
		rep.Warnings = append(rep.Warnings, Warning{Code: "no_agency", Message: "no agency in the title or the heading"})
	}
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
		if containsAny(k, "发布", "来源", "浏览", "字号") { // the info bar
			continue
		}
		parts = append(parts, k)
		if isReportTitle(k) {
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

func bodyYear(paras []string) int {
	for _, s := range paras {
		if m := rePeriod.FindStringSubmatch(squeeze(s)); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	for _, s := range paras {
		if m := reYearLead.FindStringSubmatch(squeeze(s)); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return 0
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

// sectionOf returns 1..6 when paragraph s is one of the six headings.
func sectionOf(s string) int {
	if !shortText(s, 45) {
		return 0
	}
	k := squeeze(s)
	if !sectionWords.any(k) {
		return 0 // most paragraphs
	}
	numbered := false
	if r := firstRune(k); strings.ContainsRune("一二三四五六", r) && strings.HasPrefix(k[len(string(r)):], "、") {
		numbered = true
	}
	for i, words := range sectionHeadings {
		if !containsAny(k, words...) {
			continue
		}
		if numbered || strings.HasPrefix(k, words[0]) {
			return i + 1
		}
	}
	return 0
}

// sections collects the six headings and the prose under each.
func sections(p *page) []Section {
	var out []Section
	var text [][]byte // out[i].Text, converted once at the end
	cur := -1
	for _, b := range p.blocks {
		if b.row != nil {
			continue
		}
		if n := sectionOf(b.para); n > 0 && (cur < 0 || n > out[cur].Number) {
			out = append(out, Section{Number: n, Heading: b.para})
			text = append(text, nil)
			cur = len(out) - 1
			continue
		}
		if cur >= 0 {
			if len(text[cur]) > 0 {
				text[cur] = append(text[cur], '\n')
			}
			text[cur] = append(text[cur], b.para...)
		}
	}
	for i := range out {
		out[i].Text = string(text[i])
	}
	return out
}
