package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/warehouse"
)

// synthDB is a real DuckDB file holding n synthetic agencies × 10 years,
// checked.
func synthDB(t testing.TB, n int) (*warehouse.DB, []synth.Generated) {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "site.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var gens []synth.Generated
	var loads []warehouse.Load
	for g := range synth.Reports(synth.Options{Agencies: n}) {
		gens = append(gens, g)
		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256, RegionCode: g.RegionCode,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	if _, err := db.LoadReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	return db, gens
}

func build(t *testing.T, db *warehouse.DB, dir string) *Stats {
	t.Helper()
	st, err := Build(context.Background(), db, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func readPage(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func latestIDs(t *testing.T, db *warehouse.DB) map[string]int64 {
	t.Helper()
	res, err := db.Query(context.Background(), "select agency, year, id from latest_reports")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range res.Rows {
		out[r[0].(string)+"/"+strconv.Itoa(int(r[1].(int32)))] = r[2].(int64)
	}
	return out
}

// TestIncrementalBuild: a second build over unchanged data writes nothing;
// re-running the checks (new checked_at, same failures) writes the index
// alone; a
// new version of one report writes its page, removes the superseded one,
// and leaves the other agencies' report pages alone.
func TestIncrementalBuild(t *testing.T) {
	db, gens := synthDB(t, 6)
	dir := t.TempDir()
	first := build(t, db, dir)
	if first.Written != first.Pages || first.Pages == 0 {
		t.Fatalf("first build wrote %d of %d pages; want all", first.Written, first.Pages)
	}
	ids := latestIDs(t, db)
	for key, id := range ids {
		if _, err := os.Stat(filepath.Join(dir, reportPath(id))); err != nil {
			t.Errorf("no page for latest report %s: %v", key, err)
		}
	}

	again := build(t, db, dir)
	if again.Written != 0 || again.Pages != first.Pages {
		t.Errorf("unchanged rebuild wrote %d pages (of %d); want 0", again.Written, again.Pages)
	}
	if _, err := db.Check(context.Background(), warehouse.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	// Only the index changes: its flag changes are now against the run
	// before (nothing new, everything still open).
	if st := build(t, db, dir); st.Written != 1 {
		t.Errorf("rebuild after re-running the same checks wrote %d pages; want 1 (the index)", st.Written)
	}

	// Another agency's report page must not be touched by the change below.
	g := gens[25] // agency 2, year 6
	other := ids[gens[0].Report.Agency+"/"+strconv.Itoa(gens[0].Report.Year)]
	past := time.Now().Add(-time.Hour)
	otherPath := filepath.Join(dir, reportPath(other))
	if err := os.Chtimes(otherPath, past, past); err != nil {
		t.Fatal(err)
	}

	// A revised page: same agency and year, new bytes, one cell changed.
	rev := *g.Report
	rev.Cells = append(rev.Cells[:0:0], rev.Cells...)
	for i, c := range rev.Cells {
		if c.Table == "t3" && c.Row == "new" && c.Col == "natural" {
			v := "9999"
			rev.Cells[i].Value, rev.Cells[i].Raw = &v, v
		}
	}
	ctx := context.Background()
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: &rev, PageSHA256: g.SHA256 + "-revised", RegionCode: g.RegionCode,
		Portal: g.Portal, ExtractorVersion: "synth"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	key := g.Report.Agency + "/" + strconv.Itoa(g.Report.Year)
	oldID, newID := ids[key], latestIDs(t, db)[key]
	if oldID == newID {
		t.Fatalf("the revised report did not become latest (%d)", newID)
	}
	st := build(t, db, dir)
	if st.Removed != 1 {
		t.Errorf("removed %d pages; want 1 (the superseded report %d)", st.Removed, oldID)
	}
	if _, err := os.Stat(filepath.Join(dir, reportPath(oldID))); !os.IsNotExist(err) {
		t.Errorf("superseded report page %s still there", reportPath(oldID))
	}
	if !strings.Contains(readPage(t, dir, reportPath(newID)), `data-cell="new/natural"`) ||
		!strings.Contains(readPage(t, dir, reportPath(newID)), ">9999<") {
		t.Errorf("the new report page does not show the revised cell 9999")
	}
	if fi, err := os.Stat(otherPath); err != nil || !fi.ModTime().Equal(past) {
		t.Errorf("another agency's report page was rewritten (mtime %v)", fi.ModTime())
	}
	// The revised report, its two neighbours (prev/next links), its agency,
	// region, index and rule pages at most: far fewer than the whole site.
	if st.Written == 0 || st.Written > 20 {
		t.Errorf("incremental build after one revision wrote %d of %d pages", st.Written, st.Pages)
	}
	index := readPage(t, dir, "index.html")
	if !strings.Contains(index, "报告被修改") {
		t.Errorf("index does not list the revision among the latest changes")
	}
	// 9999 new requests break i1 in 自然人: a new flag since the last check.
	newFlags := regexp.MustCompile(`(?s)<ul class="new-flags">.*?</ul>`).FindString(index)
	if !strings.Contains(newFlags, `report/`+strconv.FormatInt(newID, 10)+`.html`) || !strings.Contains(newFlags, "i1_balance") {
		t.Errorf("index's new flags do not name report %d and i1_balance:\n%s", newID, newFlags)
	}

	// --full writes everything again.
	full, err := Build(ctx, db, dir, Options{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.Written != full.Pages {
		t.Errorf("--full wrote %d of %d pages", full.Written, full.Pages)
	}
}

// TestReportPage: tables in codebook order, blank cells marked blank (not
// 0), cells a report did not print left empty, failing cells flagged.
func TestReportPage(t *testing.T) {
	db, gens := synthDB(t, 3)
	g := gens[14] // a 2021-format year
	rep := *g.Report
	rep.Cells = append(rep.Cells[:0:0], rep.Cells...)
	var kept = rep.Cells[:0]
	for _, c := range rep.Cells {
		switch {
		case c.Table == "t3" && c.Row == "partial" && c.Col == "research":
			c.Value, c.Raw = nil, "—" // printed, blank
		case c.Table == "t3" && c.Row == "denied.query" && c.Col == "legal":
			continue // not printed at all
		case c.Table == "t3" && c.Row == "result_total" && c.Col == "natural":
			v := "123456" // breaks i1 and i2 in 自然人
			c.Value, c.Raw = &v, v
		}
		kept = append(kept, c)
	}
	rep.Cells = kept
	ctx := context.Background()
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: &rep, PageSHA256: g.SHA256 + "-b", RegionCode: g.RegionCode,
		Portal: g.Portal, ExtractorVersion: "synth"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Check(ctx, warehouse.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build(t, db, dir)
	id := latestIDs(t, db)[rep.Agency+"/"+strconv.Itoa(rep.Year)]
	page := readPage(t, dir, reportPath(id))

	cell := func(code string) string {
		m := regexp.MustCompile(`<td[^>]*data-cell="` + regexp.QuoteMeta(code) + `"[^>]*>.*?</td>`).FindString(page)
		if m == "" {
			t.Fatalf("report page has no cell %s", code)
		}
		return m
	}
	if c := cell("partial/research"); !strings.Contains(c, "blank") || !strings.Contains(c, "空白") || strings.Contains(c, ">0<") {
		t.Errorf("blank cell = %s; want it marked 空白, not 0", c)
	}
	if c := cell("denied.query/legal"); !strings.Contains(c, `class="na"`) {
		t.Errorf("unprinted cell = %s; want class na", c)
	}
	c := cell("result_total/natural")
	for _, want := range []string{"flag", "i1_balance", "i2_results", "actual 123456"} {
		if !strings.Contains(c, want) {
			t.Errorf("failing cell = %s; want %q in it", c, want)
		}
	}
	// The failures say who caused them: synthetic cells were read plainly.
	fails, err := db.Run(ctx, "failures", map[string]string{"report": strconv.FormatInt(id, 10), "rule": "i1_balance"})
	if err != nil {
		t.Fatal(err)
	}
	if ft := newTable(fails); len(ft.rows) == 0 || ft.rows[0].S("attribution") != "source" || !strings.Contains(page, `<td title="source">原文如此</td>`) {
		t.Errorf("the failures table does not show the attribution source as 原文如此")
	}
	// Rows in codebook order: 一 before 二 before （七） before 四.
	order := []string{`data-row="new"`, `data-row="carried_in"`, `data-row="granted"`, `data-row="result_total"`, `data-row="carried_out"`}
	last := -1
	for _, o := range order {
		i := strings.Index(page, o)
		if i < last {
			t.Errorf("row %s out of codebook order", o)
		}
		last = i
	}
	// Every <table> has header cells.
	if n, h := strings.Count(page, "<table"), strings.Count(page, "<thead>"); n != h {
		t.Errorf("%d tables, %d with a header row", n, h)
	}
}

// TestChart: one dot per year that printed the figure, at its exact
// value, and a text alternative naming every year.
func TestChart(t *testing.T) {
	s := series{Code: "received", Label: "本年新收申请", Unit: "件", Points: []point{
		{Year: 2019, Value: "3"}, {Year: 2020}, {Year: 2021, Value: "12.5"}, {Year: 2022, Value: "0"},
	}}
	svg := string(chartSVG(s))
	dots := regexp.MustCompile(`<circle class="pt"[^>]*data-year="(\d+)" data-value="([^"]*)"`).FindAllStringSubmatch(svg, -1)
	var got []string
	for _, d := range dots {
		got = append(got, d[1]+"="+d[2])
	}
	if strings.Join(got, ",") != "2019=3,2021=12.5,2022=0" {
		t.Errorf("dots = %v; want the three printed years", got)
	}
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "2020年 未填报") {
		t.Errorf("chart lacks its role or text alternative: %s", svg)
	}
	// The highest value sits on the top line, 0 on the axis.
	cy := regexp.MustCompile(`data-year="2021"`).FindStringIndex(svg)
	if cy == nil || !strings.Contains(svg, `cy="14.0" r="4" data-year="2021"`) || !strings.Contains(svg, `cy="154.0" r="4" data-year="2022"`) {
		t.Errorf("dots not scaled to the axis: %s", svg)
	}
}

// TestStaticCopy: an archived GBK page becomes UTF-8 with a policy that
// blocks its external resources.
func TestStaticCopy(t *testing.T) {
	page := `<html><head><meta charset="gbk"><script src="http://www.gov.cn/x.js"></script></head><body><img src="http://www.gov.cn/a.png">政府信息公开工作年度报告</body></html>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	out := string(staticCopy([]byte(gbk), "text/html", "http://www.gov.cn/nb.html", "2026-01-02 03:04:05"))
	if !strings.Contains(out, "政府信息公开工作年度报告") {
		t.Errorf("not decoded to UTF-8: %q", out)
	}
	if i, j := strings.Index(out, "Content-Security-Policy"), strings.Index(out, "<script"); i < 0 || i > j || !strings.Contains(out, "default-src 'none'") {
		t.Errorf("the policy must come before the page's own resources: %q", out)
	}
	if !strings.Contains(out, "http://www.gov.cn/nb.html") || !strings.Contains(out, "2026-01-02 03:04:05") {
		t.Errorf("banner lacks URL or fetch time: %q", out)
	}
}

func TestParentCode(t *testing.T) {
	for code, want := range map[string]string{"410711": "410700", "410700": "410000", "410000": "", "": "", "4107": ""} {
		if got := parentCode(code); got != want {
			t.Errorf("parentCode(%q) = %q; want %q", code, got, want)
		}
	}
}

// TestAgencyPage: the agency page's trend chart has one dot per year at
// trend's value, and its rank table shows the indicators query's value,
// peer rank and percentile (or 不排名 where the query suppressed it).
func TestAgencyPage(t *testing.T) {
	db, _ := synthDB(t, 40)
	dir := t.TempDir()
	build(t, db, dir)
	ctx := context.Background()
	res, err := db.Run(ctx, "indicators", map[string]string{"indicator": "granted_rate"})
	if err != nil {
		t.Fatal(err)
	}
	ind := newTable(res)
	r := ind.rows[len(ind.rows)/2]
	id := r.I("agency_id")
	page := readPage(t, dir, agencyPath(id))
	// the row of this year in the rank table, then the granted_rate cell
	rowRe := regexp.MustCompile(`<tr><th scope="row">` + r.S("year") + `</th>.*?</tr>`)
	cellRe := regexp.MustCompile(`<td data-indicator="granted_rate"[^>]*>(.*?)</td>`)
	cell := cellRe.FindStringSubmatch(rowRe.FindString(page))
	if cell == nil {
		t.Fatalf("agency %d page has no granted_rate cell for %s", id, r.S("year"))
	}
	if !strings.Contains(cell[1], r.S("value")+"%") {
		t.Errorf("granted_rate cell = %q; want the value %s%%", cell[1], r.S("value"))
	}
	if r.Null("peer_rank") {
		if !strings.Contains(cell[1], "不排名") {
			t.Errorf("suppressed rank shown: %q (note %s)", cell[1], r.S("note"))
		}
	} else if want := "第 " + r.S("peer_rank") + " / " + r.S("peers") + " · 百分位 " + r.S("peer_percentile"); !strings.Contains(cell[1], want) {
		t.Errorf("granted_rate cell = %q; want %q", cell[1], want)
	}

	tr, err := db.Run(ctx, "trend", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, row := range newTable(tr).rows {
		if row.I("agency_id") == id && row.S("received") != "" {
			want[row.S("year")] = row.S("received")
		}
	}
	svg := regexp.MustCompile(`(?s)<svg[^>]*data-series="received".*?</svg>`).FindString(page)
	got := map[string]string{}
	for _, d := range regexp.MustCompile(`data-year="(\d+)" data-value="([^"]*)"`).FindAllStringSubmatch(svg, -1) {
		got[d[1]] = d[2]
	}
	if len(want) != 10 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("received chart = %v; want one dot per year %v", got, want)
	}
}

// TestRegionRollup: a city's page charts the sum over every body in the
// city (its own and its counties'), a province's over the whole province,
// each year labelled with how many agencies published; a county's page
// sums its own code. The values are worked out by hand below.
func TestRegionRollup(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "site.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bodies := []struct {
		code, name string
		received   []string // first and second year; "" = no report that year
	}{
		{"410000", "河南省人民政府", []string{"1000", "2000"}},
		{"410700", "新乡市人民政府", []string{"100", "200"}},
		{"410711", "新乡市牧野区人民政府", []string{"10", "20"}},
		{"410702", "新乡市红旗区人民政府", []string{"1", ""}},
		{"410100", "郑州市人民政府", []string{"5", "7"}},
	}
	var loads []warehouse.Load
	for g := range synth.Reports(synth.Options{Agencies: len(bodies), Years: 2}) {
		b := bodies[g.Agency]
		v := b.received[g.Report.Year-synth.DefaultFirstYear]
		if v == "" {
			continue
		}
		rep := *g.Report
		rep.Agency = b.name
		rep.Cells = append(rep.Cells[:0:0], rep.Cells...)
		for i, c := range rep.Cells {
			if c.Table == "t3" && c.Row == "new" && c.Col == "total" {
				rep.Cells[i].Value, rep.Cells[i].Raw = &v, v
			}
		}
		loads = append(loads, warehouse.Load{Report: &rep, PageSHA256: g.SHA256, RegionCode: b.code,
			Portal: g.Portal, ExtractorVersion: "synth"})
	}
	if _, err := db.LoadReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build(t, db, dir)
	y1, y2 := strconv.Itoa(synth.DefaultFirstYear), strconv.Itoa(synth.DefaultFirstYear+1)
	for _, tc := range []struct {
		code     string
		received map[string]string // year → sum
		agencies map[string]string // year → agencies that published
	}{
		// 新乡市: the city's own 100 + 牧野区 10 + 红旗区 1; then 200 + 20.
		{"410700", map[string]string{y1: "111", y2: "220"}, map[string]string{y1: "3", y2: "2"}},
		// 河南省: 1000 + 111 + 郑州市 5; then 2000 + 220 + 7.
		{"410000", map[string]string{y1: "1116", y2: "2227"}, map[string]string{y1: "5", y2: "4"}},
		// 牧野区: its own code only.
		{"410711", map[string]string{y1: "10", y2: "20"}, map[string]string{y1: "1", y2: "1"}},
	} {
		page := readPage(t, dir, regionPath(tc.code))
		svg := regexp.MustCompile(`(?s)<svg[^>]*data-series="received".*?</svg>`).FindString(page)
		got := map[string]string{}
		for _, d := range regexp.MustCompile(`data-year="(\d+)" data-value="([^"]*)"`).FindAllStringSubmatch(svg, -1) {
			got[d[1]] = d[2]
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.received) {
			t.Errorf("region %s received chart = %v; want %v", tc.code, got, tc.received)
		}
		numbers := regexp.MustCompile(`(?s)<table class="numbers" data-series="received">.*?</table>`).FindString(page)
		gotN := map[string]string{}
		for _, d := range regexp.MustCompile(`<td data-reports-year="(\d+)">(\d+)</td>`).FindAllStringSubmatch(numbers, -1) {
			gotN[d[1]] = d[2]
		}
		if fmt.Sprint(gotN) != fmt.Sprint(tc.agencies) {
			t.Errorf("region %s agencies per year = %v; want %v", tc.code, gotN, tc.agencies)
		}
	}
	// 郑州市, where only the city's own government published, links up to
	// its province; the index lists the province with its latest year.
	if p := readPage(t, dir, regionPath("410100")); !strings.Contains(p, `href="../region/410000.html"`) {
		t.Errorf("郑州市's page does not link its province")
	}
	if idx := readPage(t, dir, "index.html"); !strings.Contains(idx, `href="region/410000.html"`) || !strings.Contains(idx, y2+"年 4 个机关发布") {
		t.Errorf("index lacks the province roll-up link with its latest year's agencies")
	}
}

func TestPageRange(t *testing.T) {
	for _, c := range []struct {
		pages []int
		want  string
	}{
		{nil, ""}, {[]int{2}, "2"}, {[]int{2, 1, 2, 1}, "1–2"}, {[]int{1, 3}, "1、3"}, {[]int{5, 1, 2, 3}, "1–3、5"},
	} {
		if got := pageRange(c.pages); got != c.want {
			t.Errorf("pageRange(%v) = %q; want %q", c.pages, got, c.want)
		}
	}
}
