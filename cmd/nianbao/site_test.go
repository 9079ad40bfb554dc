package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/nianbao/nianbao/config"
)

// siteFixture is the demo database of the sample portal and its site,
// built once for the browser tests.
type siteFixture struct {
	db, site string
}

// buildDemoSite runs the demo pipeline (sample portal on 127.0.0.1, crawl,
// extract, check, site) into a temporary directory.
func buildDemoSite(t *testing.T) siteFixture {
	t.Helper()
	p := startPortal(t)
	dir := t.TempDir()
	cfg := config.Default()
	cfg.Database, cfg.Archive, cfg.Site = filepath.Join(dir, "demo.duckdb"), filepath.Join(dir, "archive"), filepath.Join(dir, "site")
	cfg.Crawl.Delay, cfg.Crawl.Jitter = config.Duration{}, config.Duration{}
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, configPath: "none"}
	if err := demoAgainst(context.Background(), e, p, cfg, time.Now()); err != nil {
		t.Fatalf("demo: %v\n%s", err, errb.String())
	}
	index := filepath.Join(cfg.Site, "index.html")
	if !strings.Contains(out.String(), "site:      "+index) {
		t.Errorf("demo output does not name the site's index %s:\n%s", index, out.String())
	}
	return siteFixture{db: cfg.Database, site: cfg.Site}
}

// chromium finds Debian's chromium, or skips: .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk; .ci/run does it): browser tests skipped")
	return ""
}

// browserCtx starts headless Chromium with a fresh profile and records the
// URL of every request any page makes.
func browserCtx(t *testing.T, exe string) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	var mu sync.Mutex
	var urls []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

// csvRows parses CSV text, failing the test on bad input.
func csvRows(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v\n%s", err, s)
	}
	return recs
}

func column(recs [][]string, name string) int {
	for i, c := range recs[0] {
		if c == name {
			return i
		}
	}
	return -1
}

// TestSiteInBrowser opens the demo site from disk in headless Chromium and
// follows it as a reader would: index → region → agency → flagged report
// → rule, checking what each page must show against what the CLI prints
// from the same database.
func TestSiteInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	exe := chromium(t)
	fx := buildDemoSite(t)
	ctx, requests := browserCtx(t, exe)

	// What the site must show, from the CLI: the flagged report, its i1
	// failure on 自然人, the agency's trend and the rule's CSV.
	const agency, year, rule = "新乡市牧野区教育局", "2021", "i1_balance"
	checkCSV, stderr, code := nianbao(t, "", "check", "--db", fx.db, "--rule", rule, "--format", "csv")
	if code != 0 {
		t.Fatalf("check: %s", stderr)
	}
	checkRecs := csvRows(t, checkCSV)
	var failure map[string]string
	for _, r := range checkRecs[1:] {
		m := map[string]string{}
		for i, c := range checkRecs[0] {
			m[c] = r[i]
		}
		if m["agency"] == agency && m["year"] == year && m["col_code"] == "natural" && m["severity"] == "error" {
			failure = m
		}
	}
	if failure == nil {
		t.Fatalf("check --rule %s: no error for %s %s natural:\n%s", rule, agency, year, checkCSV)
	}
	trendCSV, stderr, code := nianbao(t, "", "report", "trend", "--db", fx.db, "--param", "agency="+agency, "--format", "csv")
	if code != 0 {
		t.Fatalf("report trend: %s", stderr)
	}
	trend := csvRows(t, trendCSV)
	wantPoints := map[string]string{} // year → received
	for _, r := range trend[1:] {
		if r[column(trend, "agency")] == agency && r[column(trend, "received")] != "" {
			wantPoints[r[column(trend, "year")]] = r[column(trend, "received")]
		}
	}
	if len(wantPoints) < 2 {
		t.Fatalf("trend of %s has %d years; the chart test needs several:\n%s", agency, len(wantPoints), trendCSV)
	}

	shots := screenshotDir(t)
	index := "file://" + filepath.Join(fx.site, "index.html")
	var title, h1 string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(index),
		chromedp.Title(&title),
		chromedp.Text("h1", &h1),
	); err != nil {
		t.Fatalf("open %s: %v", index, err)
	}
	if !strings.Contains(h1, "年度报告") {
		t.Errorf("index h1 = %q", h1)
	}
	shoot(t, ctx, shots, "index")

	// index → region 410711 (新乡市牧野区), by its link in the coverage table.
	follow(t, ctx, `table.coverage a[title="410711"]`, "/region/410711.html")
	shoot(t, ctx, shots, "region")
	// region → its city 新乡市 (410700), which no body of its own code
	// published for in the demo: the page charts the city's roll-up, with
	// `nianbao report trend --param by=city` values and agency counts.
	cityCSV, stderr, code := nianbao(t, "", "report", "trend", "--db", fx.db, "--region", "4107", "--param", "by=city", "--format", "csv")
	if code != 0 {
		t.Fatalf("report trend by=city: %s", stderr)
	}
	city := csvRows(t, cityCSV)
	wantCity, wantCount := map[string]string{}, map[string]string{}
	for _, r := range city[1:] {
		if r[column(city, "region_code")] == "410700" && r[column(city, "received")] != "" {
			wantCity[r[column(city, "year")]] = r[column(city, "received")]
			wantCount[r[column(city, "year")]] = r[column(city, "reports")]
		}
	}
	if len(wantCity) < 2 {
		t.Fatalf("trend by=city has %d years of 410700:\n%s", len(wantCity), cityCSV)
	}
	follow(t, ctx, `main a[href$="/region/410700.html"]`, "/region/410700.html")
	var cityPts, cityCounts []map[string]string
	var countText []string
	if err := chromedp.Run(ctx,
		chromedp.AttributesAll(`svg[data-series="received"] circle.pt`, &cityPts, chromedp.ByQueryAll),
		chromedp.AttributesAll(`table.numbers[data-series="received"] td[data-reports-year]`, &cityCounts, chromedp.ByQueryAll),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('table.numbers[data-series="received"] td[data-reports-year]')).map(td => td.textContent)`, &countText),
	); err != nil {
		t.Fatal(err)
	}
	gotCity, gotCount := map[string]string{}, map[string]string{}
	for _, p := range cityPts {
		gotCity[p["data-year"]] = p["data-value"]
	}
	for i, c := range cityCounts {
		if i < len(countText) && wantCity[c["data-reports-year"]] != "" {
			gotCount[c["data-reports-year"]] = countText[i]
		}
	}
	if fmt.Sprint(gotCity) != fmt.Sprint(wantCity) || fmt.Sprint(gotCount) != fmt.Sprint(wantCount) {
		t.Errorf("新乡市 roll-up chart = %v over %v agencies; want trend by=city %v over %v", gotCity, gotCount, wantCity, wantCount)
	}
	shoot(t, ctx, shots, "region-city")
	if err := chromedp.Run(ctx, chromedp.NavigateBack(), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	// region → agency
	follow(t, ctx, fmt.Sprintf(`//table[contains(@class,"agencies")]//a[text()=%q]`, agency), "/agency/")
	shoot(t, ctx, shots, "agency")

	// The trend chart has one point per year the agency printed the
	// figure, with the values `nianbao report trend` gives.
	var pts []map[string]string
	if err := chromedp.Run(ctx, chromedp.AttributesAll(`svg[data-series="received"] circle.pt`, &pts, chromedp.ByQueryAll)); err != nil {
		t.Fatal(err)
	}
	gotPoints := map[string]string{}
	for _, p := range pts {
		gotPoints[p["data-year"]] = p["data-value"]
	}
	if fmt.Sprint(gotPoints) != fmt.Sprint(wantPoints) || len(pts) != len(wantPoints) {
		t.Errorf("received chart points = %v (%d dots); want one per year %v", gotPoints, len(pts), wantPoints)
	}
	// Its text alternative holds the same numbers.
	var alt string
	if err := chromedp.Run(ctx, chromedp.Text(`table.numbers[data-series="received"] tbody`, &alt)); err != nil {
		t.Fatal(err)
	}
	for y, v := range wantPoints {
		if !strings.Contains(alt, v) {
			t.Errorf("the chart's number table lacks %s's value %s: %q", y, v, alt)
		}
	}

	// agency → the flagged report of 2021
	follow(t, ctx, `//ul[contains(@class,"years")]//a[text()="`+year+`年"]`, "/report/"+failure["report_id"]+".html")
	shoot(t, ctx, shots, "report")
	var cell map[string]string
	var cellText string
	sel := `table[data-table="t3"] td[data-cell="new/natural"]`
	if err := chromedp.Run(ctx, chromedp.Attributes(sel, &cell), chromedp.Text(sel, &cellText)); err != nil {
		t.Fatal(err)
	}
	wantFlag := fmt.Sprintf("%s: expected %s, actual %s, difference %s", rule, failure["expected"], failure["actual"], failure["difference"])
	if !strings.Contains(cell["class"], "flag") || !strings.Contains(cell["data-rule"], rule) || !strings.Contains(cell["title"], wantFlag) {
		t.Errorf("failing cell new/natural = %v; want class flag, data-rule %s and title with %q", cell, rule, wantFlag)
	}
	if !strings.Contains(cellText, rule) {
		t.Errorf("failing cell shows %q; want the rule %s visible", cellText, rule)
	}
	// A cell the check does not involve is not highlighted.
	var plain map[string]string
	if err := chromedp.Run(ctx, chromedp.Attributes(`table[data-table="t3"] td[data-cell="granted/commercial"]`, &plain)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain["class"], "flag") {
		t.Errorf("granted/commercial is highlighted: %v", plain)
	}

	// The archived page opens as a static copy; it must load nothing.
	follow(t, ctx, `a.archived`, "/archive/")
	var banner string
	if err := chromedp.Run(ctx, chromedp.Text(`#nianbao-archived`, &banner)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(banner, failure["source"]) {
		t.Errorf("archived copy banner = %q; want the source URL %s", banner, failure["source"])
	}
	shoot(t, ctx, shots, "archived")

	// rule page: its CSV download is what `nianbao check --rule` prints.
	if err := chromedp.Run(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	follow(t, ctx, `table.failures a[href$="/`+rule+`.html"]`, "/rule/"+rule+".html")
	shoot(t, ctx, shots, "rule")
	downloads := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*browser.EventDownloadProgress); ok && e.State == browser.DownloadProgressStateCompleted {
			done <- e.GUID
		}
	})
	if err := chromedp.Run(ctx,
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(downloads).WithEventsEnabled(true),
		chromedp.Click(`a.csv`, chromedp.NodeVisible),
	); err != nil {
		t.Fatal(err)
	}
	select {
	case guid := <-done:
		got, err := os.ReadFile(filepath.Join(downloads, guid))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != checkCSV {
			t.Errorf("downloaded CSV differs from `nianbao check --rule %s --format csv`:\n%s\nwant\n%s", rule, got, checkCSV)
		}
	case <-time.After(30 * time.Second):
		t.Error("the CSV link downloaded nothing in 30 s")
	}

	// Filtering by severity leaves only that severity's rows.
	var shown int
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`select[data-filter="severity"]`, "error"),
		chromedp.Evaluate(`document.querySelector('select[data-filter="severity"]').dispatchEvent(new Event('change'))`, nil),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('table.sortable tbody tr')).filter(r => !r.hidden).length`, &shown),
	); err != nil {
		t.Fatal(err)
	}
	errorsInCSV := 0
	for _, r := range checkRecs[1:] {
		if r[column(checkRecs, "severity")] == "error" {
			errorsInCSV++
		}
	}
	if shown != errorsInCSV {
		t.Errorf("severity filter error shows %d rows; check has %d error rows", shown, errorsInCSV)
	}

	// Nothing left the file system.
	for _, u := range requests() {
		if !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request left the file system: %s", u)
		}
	}
}

// TestSiteAccessibility: every table has header cells, every chart a text
// alternative, and at 375 px no page scrolls sideways.
func TestSiteAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	exe := chromium(t)
	fx := buildDemoSite(t)
	ctx, _ := browserCtx(t, exe)
	pages := map[string]string{"index": "index.html", "region": "region/410711.html", "city": "region/410700.html", "rule": "rule/i1_balance.html"}
	for kind, dir := range map[string]string{"agency": "agency", "report": "report"} {
		m, _ := filepath.Glob(filepath.Join(fx.site, dir, "*.html"))
		if len(m) == 0 {
			t.Fatalf("no %s pages", kind)
		}
		pages[kind] = strings.TrimPrefix(m[0], fx.site+"/")
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	for kind, rel := range pages {
		var noHeader, noAlt, overflow int
		var sw, iw int
		if err := chromedp.Run(ctx,
			chromedp.Navigate("file://"+filepath.Join(fx.site, rel)),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('table')).filter(t => !t.querySelector('th')).length`, &noHeader),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('svg.chart')).filter(s => !(s.getAttribute('role') === 'img' && s.querySelector('title') && document.querySelector('table.numbers[data-series="' + s.dataset.series + '"]'))).length`, &noAlt),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &sw),
			chromedp.Evaluate(`window.innerWidth`, &iw),
			chromedp.Evaluate(`Array.from(document.body.children).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length`, &overflow),
		); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if noHeader > 0 {
			t.Errorf("%s page %s: %d tables without a header cell", kind, rel, noHeader)
		}
		if noAlt > 0 {
			t.Errorf("%s page %s: %d charts without a text alternative", kind, rel, noAlt)
		}
		if sw > iw || overflow > 0 {
			t.Errorf("%s page %s at 375 px: document %d px wide in a %d px window (%d elements overflow)", kind, rel, sw, iw, overflow)
		}
	}
}

// follow clicks the link sel (CSS, or XPath when it starts with "//") and
// waits for a page whose URL contains want.
func follow(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	by := chromedp.ByQuery
	if strings.HasPrefix(sel, "//") {
		by = chromedp.BySearch
	}
	var loc string
	if err := chromedp.Run(ctx,
		chromedp.Click(sel, by, chromedp.NodeVisible),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitReady("body"),
		chromedp.Location(&loc),
	); err != nil {
		t.Fatalf("follow %s: %v", sel, err)
	}
	if !strings.Contains(loc, want) {
		t.Fatalf("after clicking %s the page is %s; want one containing %s", sel, loc, want)
	}
}

// screenshotDir is where page screenshots go (git-ignored), kept between
// runs so each run compares against the last.
func screenshotDir(t *testing.T) string {
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shoot takes a full-page screenshot of the current page and compares it
// with the previous run's: more than 3% of pixels changed, or a changed
// size, is a layout change. The new shot is kept beside as NAME.new.png
// when it differs, so a wanted change is accepted by renaming it.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	old, err := os.ReadFile(path)
	if err == nil {
		if diff, why := pngDiff(old, buf); diff > 0.03 {
			os.WriteFile(filepath.Join(dir, name+".new.png"), buf, 0o644)
			t.Errorf("%s page looks different from the last run (%s; %.1f%% of pixels): compare %s with %s.new.png",
				name, why, 100*diff, path, name)
			return
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, name+".new.png"))
}

// pngDiff is the share of pixels that differ clearly between two PNGs (1
// when their sizes differ).
func pngDiff(a, b []byte) (float64, string) {
	ia, err1 := png.Decode(bytes.NewReader(a))
	ib, err2 := png.Decode(bytes.NewReader(b))
	if err1 != nil || err2 != nil {
		return 1, "unreadable PNG"
	}
	if ia.Bounds() != ib.Bounds() {
		return 1, fmt.Sprintf("size %v → %v", ia.Bounds().Size(), ib.Bounds().Size())
	}
	r := ia.Bounds()
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if pixelDiffers(ia, ib, x, y) {
				diff++
			}
		}
	}
	return float64(diff) / float64(r.Dx()*r.Dy()), "pixels changed"
}

func pixelDiffers(a, b image.Image, x, y int) bool {
	r1, g1, b1, _ := a.At(x, y).RGBA()
	r2, g2, b2, _ := b.At(x, y).RGBA()
	d := func(p, q uint32) uint32 {
		if p > q {
			return p - q
		}
		return q - p
	}
	const tol = 48 << 8
	return d(r1, r2) > tol || d(g1, g2) > tol || d(b1, b2) > tol
}

// TestSiteAttachmentProvenance: a report read from a PDF (nianbao import)
// names on its page the file its tables came from and the page each table
// and each cell is printed on: 表三 starts on page 1 (一、本年新收) and
// runs onto page 2 (四、结转下年度), 表四 is on page 2 — read off the PDF
// by hand — and every cell's title gives the page the database stores.
func TestSiteAttachmentProvenance(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.duckdb")
	pdf, err := os.ReadFile("../../extract/testdata/attach/full-2021.pdf")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "full-2021.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := nianbao(t, "", "import", "--db", db, "--agency", "青山区人民政府", "--year", "2021", file); code != 0 {
		t.Fatalf("import = exit %d: %s", code, stderr)
	}
	site := filepath.Join(dir, "site")
	if _, stderr, code := nianbao(t, "", "site", "--db", db, site); code != 0 {
		t.Fatalf("site = exit %d: %s", code, stderr)
	}
	out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv",
		`select r.id, c.table_code, c.row_code, c.col_code, c.page from cells as c join reports as r on r.id = c.report_id
		 where r.source_kind = 'pdf' order by all`)
	if code != 0 {
		t.Fatalf("sql = exit %d: %s", code, stderr)
	}
	cells := csvRows(t, out)
	if len(cells) < 100 {
		t.Fatalf("the PDF gave %d cells", len(cells)-1)
	}
	b, err := os.ReadFile(filepath.Join(site, "report", cells[1][0]+".html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	title := func(table, cell string) string {
		sec := regexp.MustCompile(`(?s)<table class="report-table" data-table="` + table + `">.*?</table>`).FindString(page)
		m := regexp.MustCompile(`<td[^>]*data-cell="` + regexp.QuoteMeta(cell) + `"[^>]*title="([^"]*)"`).FindStringSubmatch(sec)
		if m == nil {
			t.Fatalf("no cell %s %s on the report page", table, cell)
		}
		return html.UnescapeString(m[1])
	}
	for _, c := range []struct{ table, cell, want string }{
		{"t3", "new/natural", "full-2021.pdf 第1页"},
		{"t3", "carried_out/total", "full-2021.pdf 第2页"},
		{"t2", "rules/made", "full-2021.pdf 第1页"},
		{"t4", "all/review.upheld", "full-2021.pdf 第2页"},
	} {
		if got := title(c.table, c.cell); !strings.Contains(got, c.want) {
			t.Errorf("cell %s %s title = %q; want %q", c.table, c.cell, got, c.want)
		}
	}
	for _, c := range cells[1:] {
		if want := "第" + c[4] + "页"; c[4] != "" && !strings.Contains(title(c[1], c[2]+"/"+c[3]), want) {
			t.Errorf("cell %s %s/%s: title lacks %s", c[1], c[2], c[3], want)
		}
	}
	prov := regexp.MustCompile(`(?s)<section class="provenance">.*?</section>`).FindString(page)
	for _, want := range []string{"附件文件</dt><dd>" + file, "三、收到和处理政府信息公开申请情况：第1–2页", "四、政府信息公开行政复议、行政诉讼情况：第2页", "二、主动公开政府信息情况：第1页"} {
		if !strings.Contains(prov, want) {
			t.Errorf("provenance lacks %q:\n%s", want, prov)
		}
	}
}
