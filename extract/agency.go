package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// AgencyCandidate is one place the page names who published the report.
// Report.AgencyCandidates lists all of them in the order found; the chosen
// one has Chosen set, and Report.AgencySource repeats its source, so the
// warehouse can show in provenance why the agency is what it is.
type AgencyCandidate struct {
	Name   string `json:"name"`             // the agency as the rule reads it (label glue, offices resolved)
	Source string `json:"source"`           // an AgencyFrom* code
	Text   string `json:"text"`             // the printed text it was read from
	Chosen bool   `json:"chosen,omitempty"` // the candidate Report.Agency came from
}

// AgencyFrom* say where on the page an agency candidate was printed, from
// the most to the least authoritative: a report names itself in its title;
// a signature (落款) signs it; the office that compiles a government's
// report, or answers questions about it, stands for that government.
const (
	AgencyFromArticleTitle = "article_title_meta" // <meta name="ArticleTitle">
	AgencyFromHeading      = "heading"            // the report's heading line in the body
	AgencyFromTitle        = "title"              // <title> (or a text dump's 标题: line)
	AgencyFromLeadLine     = "lead_line"          // the line above the heading ("新乡市牧野区人民政府")
	AgencyFromReportNamed  = "report_named"       // the body names the report: "现公布XX2021年…报告", "《XX2024年度…报告》"
	AgencyFromInfoField    = "info_field"         // a 发布机构: field of the page's info block
	AgencyFromSignature    = "signature"          // the closing signature, with its date
	AgencyFromCompiledBy   = "compiled_by"        // "本报告由XX…编制", "XX 编制"
	AgencyFromContact      = "contact"            // "如对本报告有任何疑问，请与XX联系"
	AgencyFromListTitle    = "list_title"         // Input.ListTitle: the crawler's list link ("XX2021年政府信息公开工作年度报告")
	AgencyFromPortal       = "portal"             // Input.Portal: the publishing portal's name
)

// agencyRank orders sources for the choice; a lower rank wins.
var agencyRank = map[string]int{
	AgencyFromArticleTitle: 0, AgencyFromHeading: 1, AgencyFromTitle: 2, AgencyFromLeadLine: 3,
	AgencyFromReportNamed: 4, AgencyFromSignature: 5, AgencyFromInfoField: 6, AgencyFromCompiledBy: 7,
	AgencyFromContact: 8, AgencyFromListTitle: 9, AgencyFromPortal: 10,
}

// fallbackAgency records the crawler's list title and the portal as
// candidates, and takes the better of them when the page named no agency.
func fallbackAgency(rep *Report, in Input) {
	f := &agencyFinder{cands: rep.AgencyCandidates}
	n := len(f.cands)
	if in.ListTitle != "" {
		if agency, _ := titleMeta(in.ListTitle); agency != "" {
			f.add(agency, AgencyFromListTitle, in.ListTitle)
		}
	}
	if in.Portal != "" {
		f.add(in.Portal, AgencyFromPortal, in.Portal)
	}
	if len(f.cands) == n {
		return
	}
	rep.AgencyCandidates = f.cands
	if rep.Agency == "" {
		fb := &agencyFinder{cands: f.cands[n:]} // shares f.cands: choose marks the pick
		rep.Agency, rep.AgencySource = fb.choose(in.ListTitle)
	}
}

var (
	// "现公布三明市人民政府2021年政府信息公开工作年度报告", "发布《莆田市科学技术局2024年度…报告》",
	// "现公布2019年度政府信息公开工作年度报告".
	reReportNamed = regexp.MustCompile(`(?:公布|发布|印发|现将|特将|编制了?)《?([^，。；：:、《》“”"]{0,40}?)((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开|政务信息公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)`)
	// "如对本报告有任何疑问，请与XX联系", "对本报告如有疑问，请与XX联系".
	reContact = regexp.MustCompile(`(?:对本报告|对本年度报告|对报告)[^。]{0,24}?请(?:与|向|联系)([^，。；、（(]{2,60}?)(?:联系|咨询|反映|[（(，。])`)
	// "本报告由XX根据…编制", "本报告由XX编制".
	reCompiledBy = regexp.MustCompile(`本(?:年度)?报告由([^，。；、《]{2,40}?)(?:根据|依据|按照|依照|负责|汇总|结合|编制|组织|会同)`)
	// A date alone on its line: "2025年1月9日", "二〇二五年一月九日".
	reDateLine = regexp.MustCompile(`^(?:(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$`)
	// "莆田市科学技术局2025年1月9日": a signature with its date on one line.
	reSignedDate = regexp.MustCompile(`^(.{2,40}?)((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)$`)
)

// agencySuffixes end the name of a body that publishes reports.
var agencySuffixes = []string{
	"人民政府", "政府", "管委会", "管理委员会", "委员会", "办事处", "办公室", "办公厅", "局", "厅", "委", "办",
	"院", "署", "中心", "处", "所", "站", "队", "部", "会", "馆", "社", "公司", "集团",
}

// regionSuffixes end a bare region name ("平潭综合实验区", "三明市", "滨江街道").
var regionSuffixes = []string{"省", "市", "区", "县", "旗", "州", "盟", "镇", "乡", "街道", "自治县", "自治州", "自治旗"}

// regionGovernments are the bodies that govern a region, in the order a
// bare region is resolved to them when the page names them.
var regionGovernments = []string{"人民政府", "管委会", "管理委员会", "街道办事处", "办事处"}

// labelGlue are field labels crawlers and CMSs glue onto a title.
var labelGlue = []string{"文章标题", "信息名称", "标题", "题名", "题目", "名称", "主题"}

// hasAgencySuffix reports a name that ends like a body, not a region.
func hasAgencySuffix(s string) bool {
	for _, suf := range agencySuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// bareRegion reports a name that is a region, not a body ("三明市").
func bareRegion(s string) bool {
	if hasAgencySuffix(s) {
		return false
	}
	for _, suf := range regionSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// stripLabelGlue removes a field label printed before a name:
// "标题:沭阳县发展和改革局" → "沭阳县发展和改革局".
func stripLabelGlue(s string) string {
	for _, l := range labelGlue {
		if rest, ok := strings.CutPrefix(s, l); ok {
			if r, ok := strings.CutPrefix(strings.TrimLeft(rest, " "), ":"); ok {
				return strings.TrimSpace(r)
			}
			if r, ok := strings.CutPrefix(rest, "："); ok {
				return strings.TrimSpace(r)
			}
		}
	}
	return s
}

// cleanAgency tidies a candidate name: label glue, quotes and brackets,
// a trailing "的"; "" when what is left names no body or region.
func cleanAgency(s string) string {
	s = stripLabelGlue(squeeze(s))
	s = strings.Trim(s, "《》\"“”‘’'·:：,，。 ")
	s = strings.TrimSuffix(s, "的")
	if n := len([]rune(s)); n < 2 || n > 40 {
		return ""
	}
	if !hasAgencySuffix(s) && !bareRegion(s) {
		return ""
	}
	for _, r := range s {
		if r < 0x80 && r != '(' && r != ')' {
			return "" // digits, Latin: not a name
		}
	}
	return s
}

// officeSubject applies the rule for the office that compiles a report or
// answers questions on it: a government's office stands for the
// government ("XX人民政府办公室" → "XX人民政府"), a department's office for
// the department ("莆田市科学技术局办公室" → "莆田市科学技术局"), a
// 政务公开 group's office for its region ("XX政府信息公开工作领导小组办公室"
// → "XX"). A sub-unit after the office ("…办公室保密与电子政务处") is
// dropped. Names without an office are returned as they are.
func officeSubject(s string) string {
	for _, off := range []string{"办公室", "办公厅"} {
		i := strings.LastIndex(s, off)
		if i <= 0 {
			continue
		}
		prefix := s[:i]
		for _, group := range []string{"政府信息公开工作领导小组", "政务公开工作领导小组", "政府信息公开领导小组", "政务公开领导小组",
			"政府信息公开", "政务公开"} {
			if p, ok := strings.CutSuffix(prefix, group); ok && p != "" {
				return p
			}
		}
		if hasAgencySuffix(prefix) {
			return prefix
		}
		return s[:i+len(off)] // the office is the body
	}
	return s
}

// resolveRegion turns a bare region into the body that governs it when the
// page names that body ("平潭综合实验区" → "平潭综合实验区管委会", which
// the page prints in "平潭综合实验区管委会办公室"). text is the page's
// squeezed text.
func resolveRegion(name, text string) string {
	if !bareRegion(name) {
		return name
	}
	for _, g := range regionGovernments {
		if strings.Contains(text, name+g) {
			return name + g
		}
	}
	return name
}

// agencyFinder collects the candidates of one page.
type agencyFinder struct {
	cands []AgencyCandidate
}

func (f *agencyFinder) add(name, source, text string) {
	name = cleanAgency(name)
	if name == "" {
		return
	}
	if source == AgencyFromCompiledBy || source == AgencyFromContact || source == AgencyFromSignature || source == AgencyFromInfoField {
		name = officeSubject(name)
	}
	for _, c := range f.cands {
		if c.Name == name && c.Source == source {
			return
		}
	}
	f.cands = append(f.cands, AgencyCandidate{Name: name, Source: source, Text: text})
}

// bodyCandidates reads the sentences and lines of the body that name the
// agency. paras are the page's paragraphs; intro is the squeezed text of
// its first paragraphs joined (text dumps break sentences over lines).
func (f *agencyFinder) bodyCandidates(paras []string, intro string) {
	if m := reportNamed(intro); m != nil && m[1] != "" {
		f.add(m[1], AgencyFromReportNamed, m[0])
	}
	if m := findNear(reCompiledBy, intro, []string{"本报告由", "本年度报告由"}, 0, 160); m != nil {
		f.add(m[1], AgencyFromCompiledBy, m[0])
	}
	if m := findNear(reContact, intro, []string{"对本报告", "对本年度报告", "对报告"}, 0, 300); m != nil {
		f.add(m[1], AgencyFromContact, m[0])
	}
	for i, s := range paras {
		if i > 40 {
			break
		}
		k := squeeze(s)
		for _, key := range []string{"发布机构", "发文机关", "发布单位", "发文单位"} {
			if rest, ok := strings.CutPrefix(k, key); ok {
				rest = strings.TrimLeft(rest, ":：")
				f.add(rest, AgencyFromInfoField, s)
			}
		}
	}
	// The signature: the last lines, a name above a date or beside it, or
	// "XX 编制" on its own line.
	from := max(0, len(paras)-15)
	for i := len(paras) - 1; i >= from; i-- {
		k := squeeze(paras[i])
		if !shortText(k, 50) {
			continue
		}
		if p, ok := strings.CutSuffix(k, "编制"); ok && hasAgencySuffix(p) {
			f.add(p, AgencyFromCompiledBy, paras[i])
			continue
		}
		if reDateLine.MatchString(k) && i > 0 {
			prev := squeeze(paras[i-1])
			if shortText(prev, 40) && hasAgencySuffix(prev) {
				f.add(prev, AgencyFromSignature, paras[i-1]+" "+paras[i])
			}
			continue
		}
		if m := reSignedDate.FindStringSubmatch(k); m != nil && hasAgencySuffix(m[1]) {
			f.add(m[1], AgencyFromSignature, paras[i])
		}
	}
}

// choose picks the agency: the best-ranked candidate, a bare region
// resolved to its government where the page names it, or else to a body
// another candidate names in that region.
func (f *agencyFinder) choose(text string) (string, string) {
	best := -1
	for i, c := range f.cands {
		if best < 0 || agencyRank[c.Source] < agencyRank[f.cands[best].Source] {
			best = i
		}
	}
	if best < 0 {
		return "", ""
	}
	c := &f.cands[best]
	name := c.Name
	if bareRegion(name) {
		name = resolveRegion(name, text)
	}
	if bareRegion(name) {
		// Another source may name the region's body: the signature
		// "滨江街道办事处" under the title "滨江街道2021年…".
		for _, o := range f.cands {
			if o.Name != name && strings.HasPrefix(o.Name, name) && !bareRegion(o.Name) && isGovernmentOf(o.Name, name) {
				name = o.Name
				break
			}
		}
	}
	c.Chosen = true
	return name, c.Source
}

// isGovernmentOf reports whether body is region's government, not one of
// its departments: "滨江街道办事处" for "滨江街道", not "滨江街道城管科".
func isGovernmentOf(body, region string) bool {
	rest := strings.TrimPrefix(body, region)
	for _, g := range regionGovernments {
		if rest == g {
			return true
		}
	}
	return rest == "党工委管委会" || rest == "政府"
}

// reportNamed finds the sentence naming the report ("现公布XX2021年…报告").
func reportNamed(intro string) []string {
	return findNear(reReportNamed, intro, []string{"报告", "年报"}, 240, 6)
}

// findNear runs re only on windows around the anchors' occurrences in s
// (before bytes back, after bytes on), in order, and returns the first
// match. The introduction is kilobytes long and a regexp with bounded
// repetitions is slow over it; the sentences these patterns read are short
// and always hold an anchor.
func findNear(re *regexp.Regexp, s string, anchors []string, before, after int) []string {
	from := 0
	for {
		i, n := -1, 0
		for _, a := range anchors {
			if j := strings.Index(s[from:], a); j >= 0 && (i < 0 || from+j < i) {
				i, n = from+j, len(a)
			}
		}
		if i < 0 {
			return nil
		}
		lo, hi := max(0, i-before), min(len(s), i+n+after)
		for lo > 0 && !utf8.RuneStart(s[lo]) {
			lo--
		}
		for hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi++
		}
		if m := re.FindStringSubmatch(s[lo:hi]); m != nil {
			return m
		}
		from = i + n
	}
}
