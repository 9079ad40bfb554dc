package warehouse_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// structureFlags extracts and loads each page into one new database and
// returns report_structure's details per page.
func structureFlags(t *testing.T, pages map[string][]byte) map[string][]string {
	t.Helper()
	ctx := context.Background()
	db := newCheckDB(t)
	for name, body := range pages {
		ct := map[string]string{".html": "text/html", ".txt": "text/plain"}[filepath.Ext(name)]
		rep, err := extract.Parse(extract.Input{Source: name, Body: body, ContentType: ct})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// one body per page, so that no page is another's older version
		rep.Agency = name
		if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: rep}}); err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"report_structure"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, row := range res.Rows {
		got[row[1].(string)] = append(got[row[1].(string)], row[10].(string)+": "+row[11].(string))
	}
	for _, v := range got {
		slices.Sort(v)
	}
	return got
}

// structurePage is a 2021 report page printing the given headings, each
// with a line of prose.
func structurePage(headings ...string) []byte {
	var b strings.Builder
	b.WriteString("<html><head><title>某县人民政府2021年政府信息公开工作年度报告</title></head><body>\n")
	for _, h := range headings {
		b.WriteString("<p>" + h + "</p>\n<p>本部分内容从略。</p>\n")
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// TestReportStructure: the six sections missing, out of order or
// misnumbered, on pages the extractor reads.
func TestReportStructure(t *testing.T) {
	h := nationalHeadings
	got := structureFlags(t, map[string][]byte{
		"in-order.html":     structurePage(h...),
		"five-missing.html": structurePage(h[0], h[1], h[2], h[3], h[5]),
		// 三 printed before 二, each with its own numeral
		"swapped.html": structurePage(h[0], h[2], h[1], h[3], h[4], h[5]),
		// 收到和处理… printed as 四 and 行政复议… as 五: numbered one too far
		"misnumbered.html": structurePage(h[0], h[1], "四、收到和处理政府信息公开申请情况",
			"五、政府信息公开行政复议、行政诉讼情况", "六、存在的主要问题及改进情况", "七、其他需要报告的事项"),
		"unnumbered.html": structurePage(h[0], h[1], h[2], h[3], "存在的主要问题及改进情况", h[5]),
		"no-headings.html": []byte("<html><head><title>某县人民政府2021年政府信息公开工作年度报告</title></head>" +
			"<body><p>本年度共收到政府信息公开申请3件。</p></body></html>"),
	})
	want := map[string][]string{
		"five-missing.html": {"warn: section 五 (存在的主要问题及改进情况) missing"},
		"swapped.html":      {"warn: section 二 printed after section 三 (heading 3 of 6)"},
		"misnumbered.html": {
			"warn: section 三 numbered 四: 四、收到和处理政府信息公开申请情况",
			"warn: section 四 numbered 五: 五、政府信息公开行政复议、行政诉讼情况",
			"warn: section 五 numbered 六: 六、存在的主要问题及改进情况",
			"warn: section 六 numbered 七: 七、其他需要报告的事项",
		},
		"unnumbered.html":  {"warn: section 五 heading printed without its numeral: 存在的主要问题及改进情况"},
		"no-headings.html": {"not_assessable: no section heading found"},
	}
	for page, w := range want {
		slices.Sort(w)
		if !slices.Equal(got[page], w) {
			t.Errorf("%s: report_structure = %q; want %q", page, got[page], w)
		}
	}
	if len(got["in-order.html"]) > 0 {
		t.Errorf("in-order.html: report_structure = %q; want nothing", got["in-order.html"])
	}
}

// TestReportStructureCorpus: real pages. Those printing the six headings
// in order raise nothing; 牧野区's report (the seed) prints 一's prose
// without its heading and 五's heading without its numeral, and is told
// so; a real page with two headings swapped is told that, and nothing
// else.
func TestReportStructureCorpus(t *testing.T) {
	shared := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
		t.Skipf("../shared/corpus not present: %v", err)
	}
	pages := map[string][]byte{}
	for _, name := range []string{"corpus/pingtan-2020.html", "corpus/pingtan-2021.html", "corpus/pingtan-2022.html",
		"corpus/putian-kjj-2024.html", "corpus/sanming-2021.txt", "corpus/muye-2021.txt", "seed/muye-2021-annual-report.txt",
		"corpus/hongze-2023.pdf"} {
		b, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		pages[name] = b
	}
	// 五 and 六 of pingtan-2021 swapped, headings with their prose.
	p := string(pages["corpus/pingtan-2021.html"])
	i5, i6 := strings.Index(p, "五、存在的主要问题及改进情况"), strings.Index(p, "六、其他需要报告的事项")
	if i5 < 0 || i6 < i5 {
		t.Fatal("pingtan-2021.html does not print 五 then 六")
	}
	// cut at the paragraph starts around the two headings
	s5 := strings.LastIndex(p[:i5], "<p")
	s6 := strings.LastIndex(p[:i6], "<p")
	end := strings.Index(p[i6:], "</p>") + i6 + len("</p>")
	end = end + strings.Index(p[end:], "</p>") + len("</p>") // 六's prose
	pages["swapped-pingtan-2021.html"] = []byte(p[:s5] + p[s6:end] + p[s5:s6] + p[end:])

	got := structureFlags(t, pages)
	muye := []string{
		"warn: section 一 has no heading: its prose starts the report",
		"warn: section 五 heading printed without its numeral: 存在的主要问题及改进情况",
	}
	want := map[string][]string{
		"corpus/muye-2021.txt":             muye,
		"seed/muye-2021-annual-report.txt": muye,
		"swapped-pingtan-2021.html":        {"warn: section 五 printed after section 六 (heading 6 of 6)"},
	}
	for page := range pages {
		if !slices.Equal(got[page], want[page]) {
			t.Errorf("%s: report_structure = %q; want %q", page, got[page], want[page])
		}
	}
}
