package site

import (
	"bytes"
	"cmp"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/output"
	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/regions"
	"github.com/nianbao/nianbao/warehouse"
)

// model indexes the results of the canned queries by page.
type model struct {
	reports     map[int64]row // report_pages, by report id
	reportIDs   []int64
	byAgency    map[int64][]row // report_pages rows of each agency, by year
	agencyIDs   []int64
	byRegion    map[string][]row // report_pages rows of each exact region code
	regionCodes []string
	trend       map[int64][]row                    // trend by agency, by agency id
	regionTrend map[string][]row                   // trend by=regions, by region code
	rollup      map[string][]row                   // trend by=city of city codes and by=province of province codes
	ranks       map[int64]map[int64]map[string]row // indicators by agency id, year and indicator
	coverage    *table
	counts      *table
	changes     *table
	failures    *table
	flagChanges *table // flag_changes: new, fixed, still_open since the previous check
	years       []int64
	// Indexes of the results by page, built once: looking rows up per page
	// by scanning was quadratic (30,000 agencies × 10,000 region codes).
	coverageBy map[string][]row // coverage rows of agencies, by exact region code
	ruleFails  map[string][]row // failures, by rule
	reportFail map[int64][]row  // failures, by report id
	children   map[string][]string
	names      map[string]string // regionName of every region code, filled by newModel (read concurrently)
	allNames   string            // namesKey
}

// newModel indexes the canned queries' results. rollups are trend by=city
// and by=province: the region pages of cities and provinces chart them.
func newModel(reps, trend, regionTrend, ranks, coverage, counts, changes, failures *table, rollups ...*table) *model {
	m := &model{names: map[string]string{}, reports: map[int64]row{}, byAgency: map[int64][]row{}, byRegion: map[string][]row{},
		trend: map[int64][]row{}, regionTrend: map[string][]row{}, ranks: map[int64]map[int64]map[string]row{},
		rollup: map[string][]row{}, coverage: coverage, counts: counts, changes: changes, failures: failures}
	years := map[int64]bool{}
	for _, r := range reps.rows {
		id := r.I("report_id")
		m.reports[id] = r
		m.reportIDs = append(m.reportIDs, id)
		if !r.Null("agency_id") {
			m.byAgency[r.I("agency_id")] = append(m.byAgency[r.I("agency_id")], r)
		}
		m.byRegion[r.S("region_code")] = append(m.byRegion[r.S("region_code")], r)
		years[r.I("year")] = true
	}
	m.agencyIDs = sortedKeys(m.byAgency)
	// A city's or province's roll-up is its page's trend; a city or
	// province where only the bodies below it published gets a page too.
	// by=city also has rows of bodies above city level (in their province's
	// code), and both have rows for codes the regions table lacks (their own
	// code): only a code of the level's shape is that level's roll-up.
	unitNames := map[string]string{}
	for i, t := range rollups {
		for _, r := range t.rows {
			code := r.S("region_code")
			if regions.ShapeLevel(code) != []string{"city", "province"}[i] {
				continue
			}
			m.rollup[code] = append(m.rollup[code], r)
			unitNames[code] = r.S("agency")
		}
	}
	pages := map[string]bool{}
	for code := range m.byRegion {
		pages[code] = true
	}
	for code := range m.rollup {
		pages[code] = true
	}
	for _, code := range sortedKeys(pages) {
		if code != "" {
			m.regionCodes = append(m.regionCodes, code)
		}
	}
	m.years = sortedKeys(years)
	for _, c := range m.regionCodes {
		m.names[c] = m.findRegionName(c)
		if _, ok := m.byRegion[c]; !ok && unitNames[c] != "" {
			m.names[c] = unitNames[c]
		}
	}
	m.namesKey()
	m.coverageBy = map[string][]row{}
	for _, r := range coverage.rows {
		if !r.Null("agency") {
			m.coverageBy[r.S("region_code")] = append(m.coverageBy[r.S("region_code")], r)
		}
	}
	m.ruleFails, m.reportFail = map[string][]row{}, map[int64][]row{}
	for _, r := range failures.rows {
		m.ruleFails[r.S("rule")] = append(m.ruleFails[r.S("rule")], r)
		m.reportFail[r.I("report_id")] = append(m.reportFail[r.I("report_id")], r)
	}
	m.children = map[string][]string{}
	for _, c := range m.regionCodes {
		if p := m.parentOf(c); p != "" && p != c {
			m.children[p] = append(m.children[p], c)
		}
	}
	for _, r := range trend.rows {
		m.trend[r.I("agency_id")] = append(m.trend[r.I("agency_id")], r)
	}
	for _, r := range regionTrend.rows {
		m.regionTrend[r.S("region_code")] = append(m.regionTrend[r.S("region_code")], r)
	}
	for _, r := range ranks.rows {
		a, y := r.I("agency_id"), r.I("year")
		if m.ranks[a] == nil {
			m.ranks[a] = map[int64]map[string]row{}
		}
		if m.ranks[a][y] == nil {
			m.ranks[a][y] = map[string]row{}
		}
		m.ranks[a][y][r.S("indicator")] = r
	}
	return m
}

func keyOf(rows []row) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.key())
		b.WriteByte('\n')
	}
	return b.String()
}

// Vocabularies shown in Chinese; the codes stay in title attributes.
var (
	levelNames = map[string]string{"province": "省级", "city": "市级", "county": "县级",
		"township": "乡镇（街道）", "department": "部门"}
	severityNames = map[string]string{"error": "不平衡", "uncertain": "存疑（空白格）",
		"not_assessable": "无法判断", "warn": "提示"}
	severityOrder = []string{"error", "uncertain", "not_assessable", "warn"}
	ruleNames     = map[string]string{
		"i1_balance":         "表三收支平衡：一＋二＝（七）总计＋四",
		"i2_results":         "表三办理结果合计：（七）＝（一）至（六）之和",
		"i3_total_column":    "表三总计列＝各申请人列之和",
		"i4_review_suit":     "表四复议诉讼总计＝维持＋纠正＋其他＋尚未审结",
		"legal_subtotal":     "法人或其他组织小计",
		"carry_over":         "上年结转＝上年结转下年度",
		"stock_roll_forward": "现行有效件数逐年衔接",
		"prose_vs_table":     "正文数字与表格一致",
		"deadline":           "按期公开（条例第四十九条）",
		"completeness":       "表格与章节完整",
	}
	formatNames = map[string]string{"2019": "2019年版格式", "2021": "2021年版格式", "pre2019": "2019年以前格式", "unknown": "格式不明"}
	tableNames  = map[string]string{"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况", "t4": "四、政府信息公开行政复议、行政诉讼情况"}
)

func ruleName(rule string) string {
	if n := ruleNames[rule]; n != "" {
		return n
	}
	return rule
}

func ruleDescription(rule string) string {
	if q, ok := queries.Get(rule); ok {
		return q.Description
	}
	return ""
}

// figures are the trend columns the agency and region pages chart.
var figures = []struct{ code, label, unit string }{
	{"received", "本年新收申请", "件"},
	{"granted_pct", "予以公开率", "%"},
	{"reviews", "行政复议", "件"},
	{"suits", "行政诉讼", "件"},
	{"licensing", "行政许可决定", "件"},
	{"penalty", "行政处罚决定", "件"},
	{"coercion", "行政强制决定", "件"},
}

// rankIndicators are the indicators (queries/indicator/) whose peer rank
// and percentile an agency page shows.
var rankIndicators = []struct{ code, label string }{
	{"received", "本年新收申请"},
	{"granted_rate", "予以公开率"},
	{"granted_rate_merits", "予以公开率（实体答复）"},
	{"review_per_100", "每百件申请的行政复议"},
	{"suit_per_100", "每百件申请的行政诉讼"},
	{"correction_rate.review", "行政复议纠错率"},
}

type crumb struct{ Href, Text string }

// base is what every page's frame needs.
type base struct {
	Title  string
	Root   string // "" for the index, "../" for pages one folder down
	Crumbs []crumb
}

// chart is one figure: the SVG and its numbers as a table.
type chart struct {
	Series series
	SVG    any
}

// charts draws rows of trend; counted (a region's sums) says how many
// agencies each year's sum is over.
func charts(rows []row, counted bool) []chart {
	var out []chart
	for _, f := range figures {
		s := series{Code: f.code, Label: f.label, Unit: f.unit, Counted: counted}
		for _, r := range rows {
			pt := point{Year: r.I("year"), Value: r.S(f.code)}
			if counted {
				pt.Reports = r.S("reports")
			}
			s.Points = append(s.Points, pt)
		}
		out = append(out, chart{Series: s, SVG: chartSVG(s)})
	}
	return out
}

// ---- index

type coverageCell struct {
	Published, Agencies int
	Missing             int // agencies coverage counts as missing that year
}

type regionCoverage struct {
	Code, Name, Href string
	Cells            []coverageCell
	Agencies         int
	Missing          int
}

type ruleCount struct {
	Rule, Name, Description, Href string
	Reports                       map[string]int64 // by severity
	Failures                      int64
}

type flagChangeCount struct {
	Rule, Name, Href string
	New, Fixed, Open int
}

// rollupLink is a province or city on the index, with how many agencies in
// it published for its latest year.
type rollupLink struct {
	Code, Name, Href, Level, Reports string
	Year                             int64
}

type indexPage struct {
	base
	Years      []int64
	Regions    []regionCoverage
	Rollups    []rollupLink
	Idle       []row
	Rules      []ruleCount
	Severities []string
	Changes    []row
	More       int
	NewFlags   []row // flag_changes new, error severity first
	MoreFlags  int
	FlagCounts []flagChangeCount
	Reports    int
	Agencies   int
}

func (m *model) indexKey() string {
	key := keyOf(m.coverage.rows) + keyOf(m.counts.rows) + keyOf(m.changes.rows) + keyOf(m.flagChanges.rows) + m.namesKey()
	for _, code := range m.regionCodes {
		if rows := m.rollup[code]; len(rows) > 0 {
			key += rows[len(rows)-1].key()
		}
	}
	return key
}

// namesKey covers the region names (taken from report_pages). Every region
// page's key has it: it is computed once.
func (m *model) namesKey() string {
	if m.allNames != "" || len(m.regionCodes) == 0 {
		return m.allNames
	}
	var b strings.Builder
	for _, code := range m.regionCodes {
		b.WriteString(code + "=" + m.regionName(code) + ";")
	}
	m.allNames = b.String()
	return m.allNames
}

// regionName is the GB/T 2260 name of a region code (regions.full_name),
// else the name of the government of that code that published, else the
// code itself.
func (m *model) regionName(code string) string {
	if n, ok := m.names[code]; ok {
		return n
	}
	return m.findRegionName(code)
}

func (m *model) findRegionName(code string) string {
	for _, r := range m.byRegion[code] {
		if n := r.S("region_name"); n != "" {
			return n
		}
	}
	for _, r := range m.byRegion[code] {
		switch r.S("level") {
		case "province", "city", "county":
			return strings.TrimSuffix(r.S("agency"), "人民政府")
		}
	}
	return code
}

// parentOf is the code of the region above code: regions.parent_code when
// the code is known there, else by the shape of the code.
func (m *model) parentOf(code string) string {
	for _, r := range m.byRegion[code] {
		if p := r.S("region_parent"); p != "" {
			return p
		}
	}
	return parentCode(code)
}

const maxChangesOnIndex = 200

func (m *model) index() indexPage {
	p := indexPage{base: base{Title: "政府信息公开工作年度报告 · nianbao"}, Years: m.years,
		Severities: severityOrder, Reports: len(m.reports), Agencies: len(m.byAgency)}
	for _, code := range m.regionCodes {
		if rows := m.rollup[code]; len(rows) > 0 {
			last := rows[len(rows)-1]
			p.Rollups = append(p.Rollups, rollupLink{Code: code, Name: m.regionName(code), Href: regionPath(code),
				Level: levelNames[regions.ShapeLevel(code)], Year: last.I("year"), Reports: last.S("reports")})
		}
		if _, ok := m.byRegion[code]; !ok {
			continue // a roll-up only: no body of this exact code
		}
		rc := regionCoverage{Code: code, Name: m.regionName(code), Href: regionPath(code)}
		cov := m.regionCoverage(code)
		rc.Agencies = len(cov)
		for _, y := range m.years {
			c := coverageCell{Agencies: len(cov)}
			for _, r := range cov {
				if hasYear(r.S("years"), y) {
					c.Published++
				}
				if hasYear(r.S("missing_years"), y) {
					c.Missing++
				}
			}
			rc.Cells = append(rc.Cells, c)
		}
		for _, r := range cov {
			if r.I("gaps") > 0 {
				rc.Missing++
			}
		}
		p.Regions = append(p.Regions, rc)
	}
	for _, r := range m.coverage.rows {
		if r.Null("agency") {
			p.Idle = append(p.Idle, r)
		}
	}
	counts := map[string]*ruleCount{}
	for _, rule := range queries.Names(queries.KindCheck) {
		counts[rule] = &ruleCount{Rule: rule, Name: ruleName(rule), Description: ruleDescription(rule),
			Href: rulePath(rule), Reports: map[string]int64{}}
	}
	for _, r := range m.counts.rows {
		c := counts[r.S("rule")]
		if c == nil {
			continue
		}
		c.Reports[r.S("severity")] = r.I("reports")
		c.Failures += r.I("failures")
	}
	for _, rule := range queries.Names(queries.KindCheck) {
		p.Rules = append(p.Rules, *counts[rule])
	}
	byRule := map[string]*flagChangeCount{}
	for _, r := range m.flagChanges.rows {
		c := byRule[r.S("rule")]
		if c == nil {
			c = &flagChangeCount{Rule: r.S("rule"), Name: ruleName(r.S("rule")), Href: rulePath(r.S("rule"))}
			byRule[r.S("rule")] = c
		}
		switch r.S("change") {
		case "new":
			c.New++
			if r.S("severity") == "error" {
				p.NewFlags = append(p.NewFlags, r)
			}
		case "fixed":
			c.Fixed++
		case "still_open":
			c.Open++
		}
	}
	for _, k := range sortedKeys(byRule) {
		p.FlagCounts = append(p.FlagCounts, *byRule[k])
	}
	if len(p.NewFlags) > maxChangesOnIndex {
		p.MoreFlags = len(p.NewFlags) - maxChangesOnIndex
		p.NewFlags = p.NewFlags[:maxChangesOnIndex]
	}
	p.Changes = m.changes.rows
	if len(p.Changes) > maxChangesOnIndex {
		p.More = len(p.Changes) - maxChangesOnIndex
		p.Changes = p.Changes[:maxChangesOnIndex]
	}
	return p
}

func hasYear(years string, y int64) bool {
	for _, s := range strings.Split(years, ", ") {
		if s == strconv.FormatInt(y, 10) {
			return true
		}
	}
	return false
}

// regionCoverage is the coverage rows (agencies) of an exact region code.
func (m *model) regionCoverage(code string) []row { return m.coverageBy[code] }

// ---- region

type agencyLine struct {
	Name, Href, Level, LevelCode, Years, Missing string
	Errors                                       int64
}

type regionPage struct {
	base
	Code, Name string
	RolledUp   bool   // the charts sum every body in the region, not only this code's
	RollupBy   string // trend's by: city or province
	Scope      string // 市 or 省
	Parent     *crumb
	Children   []crumb
	Charts     []chart
	Years      []int64
	Agencies   []agencyLine
	Flagged    []row
}

func (m *model) regionKey(code string) string {
	return keyOf(m.byRegion[code]) + keyOf(m.regionTrend[code]) + keyOf(m.rollup[code]) + keyOf(m.regionCoverage(code)) + m.namesKey()
}

// regionTrendRows is what a region page charts: a city's or province's
// roll-up over every body in it (trend by=city / by=province), else the
// bodies of the exact code (trend by=regions).
func (m *model) regionTrendRows(code string) (rows []row, rolledUp bool) {
	if r, ok := m.rollup[code]; ok {
		return r, true
	}
	return m.regionTrend[code], false
}

// parentCode is the GB/T 2260 code one level up: a county's city, a city's
// province; "" for a province.
func parentCode(code string) string {
	switch {
	case len(code) != 6 || strings.HasSuffix(code, "0000"):
		return ""
	case strings.HasSuffix(code, "00"):
		return code[:2] + "0000"
	}
	return code[:4] + "00"
}

func (m *model) region(code string) regionPage {
	name := m.regionName(code)
	rows, rolledUp := m.regionTrendRows(code)
	p := regionPage{base: base{Title: name + " · 地区", Root: "../"}, Code: code, Name: name,
		Charts: charts(rows, true), RolledUp: rolledUp}
	if rolledUp {
		p.RollupBy = regions.ShapeLevel(code)
		p.Scope = map[string]string{"city": "市", "province": "省"}[p.RollupBy]
	}
	p.Crumbs = []crumb{{Href: "../index.html", Text: "首页"}}
	if pc := m.parentOf(code); pc != "" {
		if _, ok := m.names[pc]; ok {
			p.Parent = &crumb{Href: "../" + regionPath(pc), Text: m.regionName(pc)}
			p.Crumbs = append(p.Crumbs, *p.Parent)
		}
	}
	for _, c := range m.children[code] {
		p.Children = append(p.Children, crumb{Href: "../" + regionPath(c), Text: m.regionName(c)})
	}
	for _, r := range rows {
		p.Years = append(p.Years, r.I("year"))
	}
	ids := map[string]int64{}
	levels := map[string]string{}
	for _, r := range m.byRegion[code] {
		ids[r.S("agency")] = r.I("agency_id")
		levels[r.S("agency")] = r.S("level")
		if r.I("errors") > 0 {
			p.Flagged = append(p.Flagged, r)
		}
	}
	for _, r := range m.regionCoverage(code) {
		a := agencyLine{Name: r.S("agency"), Years: r.S("years"), Missing: r.S("missing_years"),
			LevelCode: levels[r.S("agency")], Level: levelNames[levels[r.S("agency")]]}
		if id, ok := ids[a.Name]; ok {
			a.Href = "../" + agencyPath(id)
			for _, rr := range m.byAgency[id] {
				a.Errors += rr.I("errors")
			}
		}
		p.Agencies = append(p.Agencies, a)
	}
	sort.SliceStable(p.Agencies, func(i, j int) bool { return p.Agencies[i].Name < p.Agencies[j].Name })
	return p
}

// ---- agency

type rankCell struct {
	Indicator, Value, Unit, Rank, Peers, Percentile, Numerator, Denominator, Note string
}

type rankLine struct {
	Year  int64
	Cells []rankCell
}

type agencyPage struct {
	base
	ID                             int64
	Name, Level, LevelCode, Region string
	RegionHref, RegionName         string
	Reports                        []row
	Charts                         []chart
	RankLabels                     []string
	Ranks                          []rankLine
	Peers                          string
}

func (m *model) agencyKey(id int64) string {
	reps := m.byAgency[id]
	key := keyOf(reps) + keyOf(m.trend[id])
	for _, y := range sortedKeys(m.ranks[id]) {
		for _, ind := range rankIndicators {
			if r, ok := m.ranks[id][y][ind.code]; ok {
				key += r.key() + "\n"
			}
		}
	}
	if len(reps) > 0 {
		key += m.regionName(reps[0].S("region_code"))
	}
	return key
}

func (m *model) agency(id int64) agencyPage {
	reps := m.byAgency[id]
	last := reps[len(reps)-1]
	code := last.S("region_code")
	p := agencyPage{base: base{Title: last.S("agency"), Root: "../"}, ID: id, Name: last.S("agency"),
		LevelCode: last.S("level"), Level: levelNames[last.S("level")], Region: code,
		RegionName: m.regionName(code), Reports: reps, Charts: charts(m.trend[id], false)}
	p.Crumbs = []crumb{{Href: "../index.html", Text: "首页"}}
	if code != "" {
		p.RegionHref = "../" + regionPath(code)
		p.Crumbs = append(p.Crumbs, crumb{Href: p.RegionHref, Text: p.RegionName})
	}
	for _, f := range rankIndicators {
		p.RankLabels = append(p.RankLabels, f.label)
	}
	for _, y := range sortedKeys(m.ranks[id]) {
		l := rankLine{Year: y}
		for _, f := range rankIndicators {
			r, ok := m.ranks[id][y][f.code]
			c := rankCell{Indicator: f.code}
			if ok {
				c = rankCell{Indicator: f.code, Value: r.S("value"), Unit: r.S("unit"), Rank: r.S("peer_rank"),
					Peers: r.S("peers"), Percentile: r.S("peer_percentile"), Numerator: r.S("numerator"),
					Denominator: r.S("denominator"), Note: r.S("note")}
				p.Peers = levelNames[r.S("level")]
			}
			l.Cells = append(l.Cells, c)
		}
		p.Ranks = append(p.Ranks, l)
	}
	return p
}

// ---- rule

type failureLine struct {
	row
	R            row // the row itself, for templates taking a row
	Href, Region string
}

type rulePage struct {
	base
	Rule, Name, Description, CSV string
	Lines                        []failureLine
	Regions                      []string
	Years                        []int64
	Severities                   []string
}

func (m *model) ruleRows(rule string) []row { return m.ruleFails[rule] }

func (m *model) ruleKey(rule string) string {
	var b strings.Builder
	for _, r := range m.ruleRows(rule) {
		b.WriteString(r.key() + m.reports[r.I("report_id")].S("region_code") + "\n")
	}
	return b.String()
}

func (m *model) rule(rule string) rulePage {
	p := rulePage{base: base{Title: rule + " · " + ruleName(rule), Root: "../",
		Crumbs: []crumb{{Href: "../index.html", Text: "首页"}}},
		Rule: rule, Name: ruleName(rule), Description: ruleDescription(rule), CSV: rule + ".csv"}
	regions, years, sevs := map[string]bool{}, map[int64]bool{}, map[string]bool{}
	for _, r := range m.ruleRows(rule) {
		l := failureLine{row: r, R: r, Region: m.reports[r.I("report_id")].S("region_code")}
		if _, ok := m.reports[r.I("report_id")]; ok {
			l.Href = "../" + reportPath(r.I("report_id"))
		}
		p.Lines = append(p.Lines, l)
		regions[l.Region] = true
		years[r.I("year")] = true
		sevs[r.S("severity")] = true
	}
	p.Regions = sortedKeys(regions)
	p.Years = sortedKeys(years)
	for _, s := range severityOrder {
		if sevs[s] {
			p.Severities = append(p.Severities, s)
		}
	}
	return p
}

// ruleCSV is the rule's failures exactly as `nianbao check --rule RULE
// --format csv` prints them: the same columns, order and writer.
func (m *model) ruleCSV(rule string) ([]byte, error) {
	// check prints the most serious severity first, each in the check's
	// order.
	var vals [][]any
	for _, sev := range queries.Severities {
		for _, r := range m.ruleRows(rule) {
			if r.S("severity") == sev {
				vals = append(vals, r.vals)
			}
		}
	}
	var buf bytes.Buffer
	if err := output.Write(&buf, output.CSV, warehouse.FlagColumns, vals, output.Options{}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ---- report

type gridCell struct {
	Value, Raw, Unit, Code string
	Page                   string // PDF/OFD page the cell is printed on, "" for other formats
	Printed, Blank         bool
	Rules, Flags           string
}

type gridRow struct {
	Code, Label string
	Cells       []gridCell
}

type gridCol struct{ Code, Label string }

type grid struct {
	Code, Name string
	Cols       []gridCol
	Rows       []gridRow
	File       string // the attachment's file name, for the cells' titles
	Pages      string // the attachment pages the table's cells are on: "1", "1–2", "1、3"
}

type section struct {
	Number  int64
	Heading string
	Paras   []string
}

type reportPage struct {
	base
	R                    row
	AgencyHref           string
	RegionHref, Region   string
	Format               string
	Tables               []grid
	Failures             []row
	Sections             []section
	PrevHref, NextHref   string
	ArchiveHref          string
	Attachment           bool   // the tables were read from an attachment (PDF, DOCX, …)
	AttachmentURL        string // that file
	AttachmentPage       string // the page linking it, when there is one
	AttachmentFile       string // its name
	CarryBreak           bool
	CarriedIn, PrevCarry string
}

// englishNote is a codebook label's English aside: "规章 (rules)" → "规章".
var englishNote = regexp.MustCompile(`\s*\([^()（）]*[A-Za-z][^()（）]*\)`)

func cleanLabel(s string) string {
	s = strings.TrimSpace(englishNote.ReplaceAllString(s, ""))
	if s == "" {
		return "本年度"
	}
	return s
}

func (m *model) report(id int64, cells, secs, fails []row) reportPage {
	r := m.reports[id]
	p := reportPage{base: base{Title: r.S("agency") + " " + r.S("year") + "年度报告", Root: "../"}, R: r,
		Format: formatNames[r.S("format")], Failures: fails, CarryBreak: r.B("carry_break"),
		CarriedIn: r.S("carried_in"), PrevCarry: r.S("prev_carried_out"),
		Attachment: r.S("page_kind") == "attachment" || r.S("attachment_sha256") != ""}
	if p.Attachment {
		p.AttachmentURL = cmp.Or(r.S("attachment_url"), r.S("url"))
		p.AttachmentFile = path.Base(strings.SplitN(p.AttachmentURL, "?", 2)[0])
		switch {
		case r.S("page_kind") == "attachment":
			p.AttachmentPage = r.S("parent_url")
		case r.S("url") != p.AttachmentURL:
			p.AttachmentPage = r.S("url") // the report page whose attachment was read
		}
	}
	p.Crumbs = []crumb{{Href: "../index.html", Text: "首页"}}
	if code := r.S("region_code"); code != "" {
		p.RegionHref, p.Region = "../"+regionPath(code), m.regionName(code)
		p.Crumbs = append(p.Crumbs, crumb{Href: p.RegionHref, Text: p.Region})
	}
	if !r.Null("agency_id") {
		p.AgencyHref = "../" + agencyPath(r.I("agency_id"))
		p.Crumbs = append(p.Crumbs, crumb{Href: p.AgencyHref, Text: r.S("agency")})
	}
	if !r.Null("prev_report_id") {
		p.PrevHref = "../" + reportPath(r.I("prev_report_id"))
	}
	if !r.Null("next_report_id") {
		p.NextHref = "../" + reportPath(r.I("next_report_id"))
	}
	if a := archivedPath(r); a != "" {
		p.ArchiveHref = "../" + a
	}
	p.Tables = grids(cells)
	for i := range p.Tables {
		p.Tables[i].File = p.AttachmentFile
	}
	for _, s := range secs {
		var paras []string
		for _, line := range strings.Split(s.S("text"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				paras = append(paras, line)
			}
		}
		p.Sections = append(p.Sections, section{Number: s.I("number"), Heading: s.S("heading"), Paras: paras})
	}
	return p
}

// grids pivots report_tables' rows (already in codebook order) into one
// grid per table, leaving out the columns the report printed no cell of.
func grids(cells []row) []grid {
	var out []grid
	for i := 0; i < len(cells); {
		code := cells[i].S("table_code")
		j := i
		for j < len(cells) && cells[j].S("table_code") == code {
			j++
		}
		part := cells[i:j]
		i = j
		printedCol := map[string]bool{}
		var cols []gridCol
		seen := map[string]bool{}
		for _, c := range part {
			if c.B("printed") {
				printedCol[c.S("col_code")] = true
			}
			if !seen[c.S("col_code")] {
				seen[c.S("col_code")] = true
				cols = append(cols, gridCol{Code: c.S("col_code"), Label: cleanLabel(c.S("col_label"))})
			}
		}
		g := grid{Code: code, Name: tableNames[code]}
		var pages []int
		for _, c := range cols {
			if printedCol[c.Code] {
				g.Cols = append(g.Cols, c)
			}
		}
		rowIdx := map[string]int{}
		for _, c := range part {
			if !printedCol[c.S("col_code")] {
				continue
			}
			rc := c.S("row_code")
			k, ok := rowIdx[rc]
			if !ok {
				k = len(g.Rows)
				rowIdx[rc] = k
				g.Rows = append(g.Rows, gridRow{Code: rc, Label: cleanLabel(c.S("row_label"))})
			}
			g.Rows[k].Cells = append(g.Rows[k].Cells, gridCell{
				Value: c.S("value"), Raw: c.S("raw"), Unit: c.S("unit"), Code: rc + "/" + c.S("col_code"),
				Printed: c.B("printed"), Blank: c.B("printed") && c.Null("value"),
				Rules: c.S("rules"), Flags: c.S("flags"), Page: c.S("page"),
			})
			if !c.Null("page") {
				pages = append(pages, int(c.I("page")))
			}
		}
		g.Pages = pageRange(pages)
		out = append(out, g)
	}
	return out
}

// pageRange writes page numbers as a reader would: "2", "1–2", "1、3",
// "" for none.
func pageRange(pages []int) string {
	slices.Sort(pages)
	pages = slices.Compact(pages)
	var parts []string
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(pages[i])+"–"+strconv.Itoa(pages[j]))
		} else {
			parts = append(parts, strconv.Itoa(pages[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}
