package extract_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/extract"
)

func TestMetadata(t *testing.T) {
	cases := []struct {
		name, body, ct string
		agency         string
		year           int
		published      string
		wantWarning    string
		source         string // AgencySource, when set
	}{
		{name: "title with site suffix",
			body:   `<html><head><title>青山区人民政府2021年政府信息公开工作年度报告_青山区人民政府门户网站</title></head><body><p>正文</p></body></html>`,
			agency: "青山区人民政府", year: 2021},
		{name: "year first title",
			body:   `<title>2019年青山区交通运输局政府信息公开工作年度报告</title>`,
			agency: "青山区交通运输局", year: 2019},
		{name: "notice title",
			body:   `<title>青山区人民政府办公室关于青山区2022年政府信息公开工作年度报告的公告</title>`,
			agency: "青山区人民政府", year: 2022, source: extract.AgencyFromTitle}, // bare region → the government the page names
		{name: "ArticleTitle meta wins over a generic title",
			body:   `<head><meta name="ArticleTitle" content="白水镇人民政府2022年度政府信息公开工作年度报告"><title>信息公开年报</title></head>`,
			agency: "白水镇人民政府", year: 2022},
		{name: "heading split over two paragraphs",
			body:   `<body><p><span>平潭综合实验区</span>20<span>20</span>年</p><p>政府信息公开工作年度报告</p><p>正文。</p></body>`,
			agency: "平潭综合实验区", year: 2020},
		{name: "agency on the line above the heading",
			body: "新乡市牧野区人民政府\n\n2021年政府信息公开工作年度报告\n\n正文。\n",
			ct:   "text/plain", agency: "新乡市牧野区人民政府", year: 2021},
		{name: "year from the statistical period, not the publication date",
			body: `<body><div>发布时间：2023-01-30 09:00</div><p>本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p></body>`,
			year: 2022, published: "2023-01-30", wantWarning: "no_agency"},
		{name: "year from a leading 2021年，",
			body: `<body><p>一、总体情况</p><p>2021年，本机关认真贯彻落实条例。</p></body>`,
			year: 2021, wantWarning: "no_agency"},
		{name: "no year anywhere",
			body:      `<body><p>发布日期：2022年3月1日</p><p>本机关的工作报告。</p></body>`,
			published: "2022-03-01", wantWarning: "no_year"},
		{name: "label glued onto the title",
			body:   `<title>标题:沭阳县发展和改革局2021年政府信息公开工作年度报告</title>`,
			agency: "沭阳县发展和改革局", year: 2021, source: extract.AgencyFromTitle},
		{name: "heading line without a title",
			body:   `<body><div>首页 &gt; 信息公开</div><p><b>西湖区教育局2021年度政府信息公开工作年度报告</b></p><p>根据《条例》，现公布本报告。</p></body>`,
			agency: "西湖区教育局", year: 2021, source: extract.AgencyFromHeading},
		{name: "signature with its date",
			body:   `<body><p>一、总体情况</p><p>2021年，本局认真贯彻落实条例。</p><p>六、其他需要报告的事项</p><p>无。</p><p>长岭县市场监督管理局</p><p>2022年1月20日</p></body>`,
			agency: "长岭县市场监督管理局", year: 2021, source: extract.AgencyFromSignature},
		{name: "signature and date on one line, Chinese numerals elsewhere",
			body:   `<body><p>2021年，本局认真贯彻落实条例。</p><p>黄陂区城市管理执法局 2022年1月18日</p></body>`,
			agency: "黄陂区城市管理执法局", year: 2021, source: extract.AgencyFromSignature},
		{name: "contact sentence: a government's office stands for the government",
			body:   `<body><p>本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。如对本报告有任何疑问，请与安溪县人民政府办公室联系（地址：…）。</p></body>`,
			agency: "安溪县人民政府", year: 2021, source: extract.AgencyFromContact},
		{name: "contact sentence: a department's office stands for the department",
			body:   `<body><p>如对本报告有疑问，请与莆田市科学技术局办公室联系。</p><p>2024年度，本局坚持…</p></body>`,
			agency: "莆田市科学技术局", year: 2024, source: extract.AgencyFromContact},
		{name: "compiled by a government's office",
			body:   `<body><p>本报告由舒兰市人民政府办公室根据《中华人民共和国政府信息公开条例》要求编制。现公布2019年度政府信息公开工作年度报告。</p></body>`,
			agency: "舒兰市人民政府", year: 2019, source: extract.AgencyFromCompiledBy},
		{name: "XX 编制 line",
			body: "2023年政府信息公开工作年度报告\n\n2023年，本区认真贯彻落实条例。\n\n淮安市洪泽区人民政府办公室 编制\n",
			ct:   "text/plain", agency: "淮安市洪泽区人民政府", year: 2023, source: extract.AgencyFromCompiledBy},
		{name: "an office's own report names itself",
			body:   `<title>东湖区人民政府办公室2021年政府信息公开工作年度报告</title><body><p>本报告由东湖区人民政府办公室编制。</p></body>`,
			agency: "东湖区人民政府办公室", year: 2021, source: extract.AgencyFromTitle},
		{name: "bare region resolved to its 管委会 where the page names it",
			body:   `<body><p>如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。</p><p>根据《平潭综合实验区管委会办公室关于…的通知》，我区…</p><p>2021年，我区…</p></body>`,
			agency: "平潭综合实验区管委会", year: 2021, source: extract.AgencyFromContact},
		{name: "year from 现公布…年度 and a part-year period",
			body: `<body><p>现公布2019年度政府信息公开工作年度报告。本报告所列数据的统计期限自2019年9月1日起至2019年12月31日止。</p></body>`,
			year: 2019, wantWarning: "no_agency"},
		{name: "year from a part-year period alone",
			body: `<body><p>本报告所列数据的统计期限自2019年9月1日起至2019年12月31日止。</p></body>`,
			year: 2019, wantWarning: "no_agency"},
		{name: "a notice about the report is no agency",
			body: `<body><p>根据《福建省人民政府办公厅关于编制公布2021年政府信息公开工作年度报告有关事项的通知》，我区编制完成了本报告。</p></body>`,
			year: 2021, wantWarning: "no_agency"},
		{name: "publisher's own notice title",
			body:   `<title>安溪县人民政府关于2021年政府信息公开工作年度报告的公告</title>`,
			agency: "安溪县人民政府", year: 2021, source: extract.AgencyFromTitle},
		{name: "signature with an ISO date",
			body:   `<body><p>2021年，本局认真贯彻落实条例。</p><p>西湖区教育局</p><p>2022-01-20</p></body>`,
			agency: "西湖区教育局", year: 2021, source: extract.AgencyFromSignature},
		{name: "year after the title",
			body:   `<title>长岭县市场监督管理局政府信息公开工作年度报告（2021年度）</title>`,
			agency: "长岭县市场监督管理局", year: 2021, source: extract.AgencyFromTitle},
		{name: "signature dated by month",
			body:   `<body><p>2021年，本局认真贯彻落实条例。</p><p>黄陂区城市管理执法局</p><p>2022年1月</p></body>`,
			agency: "黄陂区城市管理执法局", year: 2021, source: extract.AgencyFromSignature},
		{name: "PubDate meta",
			body:   `<head><meta name="PubDate" content="2022-01-28 09:30"><title>青山区人民政府2021年政府信息公开工作年度报告</title></head>`,
			agency: "青山区人民政府", year: 2021, published: "2022-01-28"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: "meta", Body: []byte(tc.body), ContentType: tc.ct})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Agency != tc.agency || rep.Year != tc.year || rep.PublishedAt != tc.published {
				t.Errorf("agency, year, published = %q, %d, %q; want %q, %d, %q",
					rep.Agency, rep.Year, rep.PublishedAt, tc.agency, tc.year, tc.published)
			}
			if tc.source != "" && rep.AgencySource != tc.source {
				t.Errorf("agency source = %q; want %q (candidates %+v)", rep.AgencySource, tc.source, rep.AgencyCandidates)
			}
			if tc.wantWarning != "" && !hasWarning(rep, tc.wantWarning) {
				t.Errorf("no %s warning in %+v", tc.wantWarning, rep.Warnings)
			}
		})
	}
}

// TestSections: the six headings with their prose, heading variants
// included, and no table text in the prose.
func TestSections(t *testing.T) {
	rep := mustParseFile(t, "testdata/full-2021.html")
	if len(rep.Sections) != 6 {
		t.Fatalf("%d sections; want 6: %+v", len(rep.Sections), rep.Sections)
	}
	for i, s := range rep.Sections {
		if s.Number != i+1 {
			t.Errorf("section %d numbered %d (%q)", i, s.Number, s.Heading)
		}
	}
	if got := rep.Sections[5].Text; got != "本年度未收取信息处理费。" {
		t.Errorf("section 六 text = %q", got)
	}
	if got := rep.Sections[2].Text; got != "" {
		t.Errorf("section 三 text = %q; want no table text", got)
	}
	body := `<p>四、因政府信息公开工作被申请行政复议、提起行政诉讼情况</p><p>无。</p><p>五、政府信息公开工作存在的主要问题及改进情况</p><p>问题。</p>`
	rep, err := extract.Parse(extract.Input{Source: "variants", Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != 2 || rep.Sections[0].Number != 4 || rep.Sections[1].Number != 5 || rep.Sections[1].Text != "问题。" {
		t.Errorf("sections = %+v; want 四 and 五", rep.Sections)
	}
}

// TestSectionsOrderAndIntro: headings are kept in the order printed (a
// numbered one out of order too); an introduction listing the sections'
// names line by line (三明 2021) is prose, not six headings; a report whose
// 总体情况 starts without its heading gets section 一 with no heading.
func TestSectionsOrderAndIntro(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string // number:heading, in order
	}{
		{"out of order", `<p>一、总体情况</p><p>a</p><p>三、收到和处理政府信息公开申请情况</p><p>b</p>` +
			`<p>二、主动公开政府信息情况</p><p>c</p><p>四、政府信息公开行政复议、行政诉讼情况</p>`,
			"1:一、总体情况 3:三、收到和处理政府信息公开申请情况 2:二、主动公开政府信息情况 4:四、政府信息公开行政复议、行政诉讼情况"},
		{"an introduction lists the names", `<p>本报告由</p><p>总体情况</p><p>主动公开政府信息情况</p>` +
			`<p>收到和处理政府信息公开申请情况</p><p>六部分组成。</p><p>一、总体情况</p><p>a</p>` +
			`<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>`,
			"1:一、总体情况 2:二、主动公开政府信息情况 3:三、收到和处理政府信息公开申请情况"},
		{"一 without its heading", `<p>（一）主动公开情况</p><p>本年度收到申请3件。</p><p>二、主动公开政府信息情况</p>` +
			`<p>三、收到和处理政府信息公开申请情况</p><p>存在的主要问题及改进情况</p><p>d</p>`,
			"1: 2:二、主动公开政府信息情况 3:三、收到和处理政府信息公开申请情况 5:存在的主要问题及改进情况"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := extract.Parse(extract.Input{Source: tc.name, Body: []byte(tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range rep.Sections {
				got = append(got, fmt.Sprintf("%d:%s", s.Number, s.Heading))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("sections = %s; want %s", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// TestGB18030: a GB2312-declared page (only in <meta>) reads exactly like
// its UTF-8 original.
func TestGB18030(t *testing.T) {
	utf := mustRead(t, "testdata/full-2021.html")
	utf = bytes.Replace(utf, []byte(`<meta charset="utf-8">`), []byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), 1)
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	want := mustParseFile(t, "testdata/full-2021.html")
	got, err := extract.Parse(extract.Input{Source: "gbk.html", Body: gbk})
	if err != nil {
		t.Fatal(err)
	}
	if got.Agency != want.Agency || got.Year != want.Year || len(got.Cells) != len(want.Cells) {
		t.Fatalf("gb18030 page: %q %d %d cells; want %q %d %d", got.Agency, got.Year, len(got.Cells), want.Agency, want.Year, len(want.Cells))
	}
	for i := range want.Cells {
		if show(got.Cells[i].Value) != show(want.Cells[i].Value) || got.Cells[i].Row != want.Cells[i].Row {
			t.Errorf("cell %d = %+v; want %+v", i, got.Cells[i], want.Cells[i])
		}
	}
}

// TestCodesInCodebook: every cell of every fixture and corpus page uses a
// row and column code of codebook.tsv, and every cell carries provenance.
func TestCodesInCodebook(t *testing.T) {
	known := map[string]bool{}
	for _, e := range extract.Codebook() {
		known[e.Kind+" "+e.Table+" "+e.Code] = true
	}
	pages := []string{}
	for _, p := range findPairs(t, "testdata", ".expect.json") {
		pages = append(pages, p.page)
	}
	if dir := sharedDir(); dir != "" {
		for _, p := range findPairs(t, dir+"/corpus", ".expected.json") {
			pages = append(pages, p.page)
		}
	}
	n := 0
	for _, p := range pages {
		rep := mustParseFile(t, p)
		// Plain text, and HTML whose tables were read from its text lines,
		// have no <table> index.
		asText := strings.HasSuffix(p, ".txt") || hasWarning(rep, "tables_as_text")
		for _, c := range rep.Cells {
			n++
			if !known["row "+c.Table+" "+c.Row] || !known["col "+c.Table+" "+c.Col] {
				t.Errorf("%s: %s.%s.%s not in the codebook", p, c.Table, c.Row, c.Col)
			}
			if c.SrcRow < 0 || c.SrcCol < 0 || (c.SrcTable < 0) != asText {
				t.Errorf("%s: %s.%s.%s bad provenance %d/%d/%d", p, c.Table, c.Row, c.Col, c.SrcTable, c.SrcRow, c.SrcCol)
			}
		}
	}
	if n == 0 {
		t.Fatal("no cells checked")
	}
}

func TestCodebook(t *testing.T) {
	count := map[string]int{}
	for _, e := range extract.Codebook() {
		count[e.Kind+" "+e.Table]++
		if e.Label == "" || len(e.Formats) == 0 {
			t.Errorf("incomplete entry %+v", e)
		}
	}
	want := map[string]int{"row t3": 26, "col t3": 8, "row t4": 1, "col t4": 15, "row t2": 8, "col t2": 12}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%s: %d entries; want %d", k, count[k], n)
		}
	}
}
