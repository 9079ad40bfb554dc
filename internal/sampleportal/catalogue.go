package sampleportal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// agency is a real government body publishing on one of the portal's sites.
type agency struct {
	name   string // full name as printed in titles
	region string // GB/T 2260 code of the district it belongs to
	sc     scale
}

// report is one published annual report: what the page prints and what the
// extractor must read from it.
type report struct {
	host, family string
	portal       string // PortalConfig.Name of the site
	agency       agency
	year         int
	format       string
	title        string
	published    time.Time
	path         string // URL path on host
	vals         values
	lk           look
	cells        map[string]printed
	unbalanced   []string
	attachments  []string // URL paths on host
	seed         uint64
	// kind is one of the Kind* constants of ExpectedReport.Kind.
	kind      string
	custom    string // body for the kinds without tables
	versionOf string // URL path of the report this one re-issues
}

func (r *report) url() string { return "http://" + r.host + r.path }

// hexID is a stable 32-hex article id, like the sitesources CMS's.
func hexID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// newReport draws a report's numbers from its own seeded stream, so adding a
// report never changes another one's values. prev is the same agency's
// report of the year before (nil if none): carried-over applications and
// stocks continue from it, as format.md §6.3 H1–H3 expect.
func newReport(seed int64, host, family, portal string, ag agency, year int, format string, lk look, prev values, breaks ...string) *report {
	s := uint64(seed)*1_000_003 + uint64(year)
	for _, c := range ag.name {
		s = s*31 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(s, 0x6e69616e62616f))
	r := &report{host: host, family: family, portal: portal, agency: ag, year: year, format: format, lk: lk, seed: s, kind: KindTables}
	r.vals = genValues(rng, format, ag.sc, prev)
	for _, b := range breaks {
		breakRule(r.vals, b)
		r.unbalanced = append(r.unbalanced, b)
	}
	if len(breaks) > 0 {
		// Every cell of a broken equation is printed, so the failure is
		// certain rather than possibly a blank left for a number.
		r.lk.zero = zeroAsZero
	}
	r.title = fmt.Sprintf("%s%d年政府信息公开工作年度报告", ag.name, year)
	r.cells = printCells(format, r.vals, r.lk)
	return r
}

// reprint refreshes the printed cells after the values changed.
func (r *report) reprint() { r.cells = printCells(r.format, r.vals, r.lk) }

// body renders the report's article body: the six sections with tables
// 二, 三 and 四, in the report's markup style.
func (r *report) body() string {
	if r.kind != KindTables {
		return r.custom
	}
	rd := &renderer{lk: r.lk}
	r.render(rd)
	return rd.b.String()
}

// document records the report's text and tables for its attachments.
func (r *report) document() *document {
	rd := &renderer{lk: r.lk, doc: &document{title: r.title}}
	r.render(rd)
	return rd.doc
}

// render writes the six sections with tables 二, 三 and 四 into rd.
func (r *report) render(rd *renderer) {
	if r.lk.word && rd.doc == nil {
		rd.b.WriteString("<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom><w:PunctuationKerning/><w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing></w:WordDocument></xml><![endif]-->\n")
	}
	y := r.year
	newTotal := r.vals["t3.new.total"]
	doneTotal := r.vals["t3.result_total.total"]
	basis := "《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
	if r.format == "2019" {
		basis = "《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
	}
	rd.para(fmt.Sprintf("本报告根据%s要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限自%s起至%s止。",
		basis, rd.chsDate(y, 1, 1), rd.chsDate(y, 12, 31)))
	rd.heading("一、总体情况")
	rd.para(fmt.Sprintf("%d年，%s认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，进一步完善工作机制，推进决策、执行、管理、服务、结果公开。", y, r.agency.name))
	rd.para(fmt.Sprintf("（一）主动公开情况。全年通过门户网站主动公开政府信息%d条，内容涵盖机构职能、政策文件、财政预决算、人事信息等。", 100+int(r.seed%900)))
	rd.para(fmt.Sprintf("（二）依申请公开情况。全年共收到政府信息公开申请%s件，办结%s件，均在法定期限内答复。", newTotal, doneTotal))
	rd.para("（三）政府信息管理情况。严格落实信息发布保密审查制度，坚持“先审查、后公开”和“一事一审”原则。")
	rd.para("（四）政府信息公开平台建设情况。持续完善政府信息公开专栏，及时更新法定主动公开内容。")
	rd.para("（五）监督保障情况。将政府信息公开工作纳入年度目标考核，本年度未发生责任追究情况。")
	rd.heading("二、主动公开政府信息情况")
	rd.table2(r.format, r.cells)
	rd.heading("三、收到和处理政府信息公开申请情况")
	rd.table3(r.format, r.cells)
	rd.heading("四、政府信息公开行政复议、行政诉讼情况")
	rd.table4(r.cells)
	rd.heading("五、存在的主要问题及改进情况")
	rd.para("政府信息公开工作还存在公开内容不够全面、解读形式较为单一等问题。下一步，将加强业务培训，丰富解读形式，提升公开质量。")
	rd.heading("六、其他需要报告的事项")
	if r.format == "2021" {
		rd.para("本年度未收取信息处理费。")
	} else {
		rd.para("无。")
	}
}

// expected converts a report into its public description.
func (r *report) expected() ExpectedReport {
	e := ExpectedReport{URL: r.url(), Agency: r.agency.name, RegionCode: r.agency.region, Format: r.format,
		Year: r.year, Portal: r.portal, Title: r.title, Kind: r.kind, Cells: map[string]*string{}}
	if r.versionOf != "" {
		e.VersionOf = "http://" + r.host + r.versionOf
	}
	if r.kind != KindTables && r.kind != KindAttachment {
		e.Cells = map[string]*string{}
		e.Unbalanced = nil
		for _, a := range r.attachments {
			e.Attachments = append(e.Attachments, "http://"+r.host+a)
		}
		return e
	}
	for k, p := range r.cells {
		if p.value != nil {
			v := *p.value
			e.Cells[k] = &v
		} else {
			e.Cells[k] = nil
		}
	}
	e.Unbalanced = append([]string(nil), r.unbalanced...)
	for _, a := range r.attachments {
		e.Attachments = append(e.Attachments, "http://"+r.host+a)
	}
	return e
}
