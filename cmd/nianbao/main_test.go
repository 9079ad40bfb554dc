package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// nianbao runs one command line in-process and returns its streams and exit status.
func nianbao(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func startPortal(t *testing.T) *sampleportal.Portal {
	t.Helper()
	p, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// fetch GETs a sample-portal URL through its loopback address.
func fetch(t *testing.T, p *sampleportal.Portal, url string) []byte {
	t.Helper()
	resolve := p.Resolve()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return (&net.Dialer{}).DialContext(ctx, network, resolve[host])
	}}}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"check", "--colour"}, exitUsage, "unknown flag"},
		{"parse without files", []string{"parse"}, exitUsage, "at least one FILE"},
		{"sql without query", []string{"sql"}, exitUsage, "exactly one QUERY"},
		{"unknown report", []string{"report", "nosuch", "--db", "x.duckdb"}, exitUsage, `no canned query named "nosuch"`},
		{"unknown rule", []string{"check", "--rule", "i9", "--db", "x.duckdb"}, exitUsage, `no check named "i9"`},
		{"bad severity", []string{"check", "--severity", "fatal"}, exitUsage, "want error, uncertain"},
		{"bad format", []string{"report", "--format", "xlsx"}, exitUsage, "table, csv, json or md"},
		{"no config, no portals", []string{"crawl", "--db", "x.duckdb"}, exitUsage, "no portals configured in nianbao.yaml (no such file"},
		{"missing config named", []string{"crawl", "--config", "/nonexistent/n.yaml"}, exitError, "/nonexistent/n.yaml"},
		{"missing database", []string{"sql", "--db", "/nonexistent/n.duckdb", "select 1"}, exitError, "/nonexistent/n.duckdb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := nianbao(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("nianbao %v = exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestParseMissingFile(t *testing.T) {
	_, stderr, code := nianbao(t, "", "parse", "--json", "/nonexistent/report.html")
	if code == 0 || !strings.Contains(stderr, "/nonexistent/report.html") {
		t.Errorf("parse of a missing file = exit %d, stderr %q; want non-zero naming the file", code, stderr)
	}
}

// TestParseJSONSamplePortal saves the sample portal's report pages and checks
// that `parse --json` prints exactly the values they were generated from.
func TestParseJSONSamplePortal(t *testing.T) {
	p := startPortal(t)
	dir := t.TempDir()
	var files []string
	want := map[string]sampleportal.ExpectedReport{}
	for i, r := range p.Reports() {
		if r.Kind != sampleportal.KindTables {
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("r%03d.html", i))
		if err := os.WriteFile(path, fetch(t, p, r.URL), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
		want[path] = r
	}
	if len(files) < 6 {
		t.Fatalf("sample portal has %d reports with tables; want at least 6", len(files))
	}
	stdout, stderr, code := nianbao(t, "", append([]string{"parse", "--json"}, files...)...)
	if code != 0 {
		t.Fatalf("parse --json: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(files) {
		t.Fatalf("parse --json printed %d lines for %d files", len(lines), len(files))
	}
	compared := 0
	for _, line := range lines {
		var got struct {
			Source, Agency, Format string
			Year                   int
			Cells                  []struct {
				Table, Row, Col string
				Value           *string
				Raw             string
			}
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("parse --json line is not JSON: %v\n%s", err, line)
		}
		exp := want[got.Source]
		if got.Year != exp.Year || got.Format != exp.Format || got.Agency != exp.Agency {
			t.Errorf("%s: agency %q year %d format %q; want %q %d %q", got.Source, got.Agency, got.Year, got.Format, exp.Agency, exp.Year, exp.Format)
		}
		cells := map[string]*string{}
		for _, c := range got.Cells {
			cells[c.Table+"."+c.Row+"."+c.Col] = c.Value
		}
		for k, v := range exp.Cells {
			g, ok := cells[k]
			switch {
			case !ok:
				t.Errorf("%s: cell %s missing", got.Source, k)
			case (g == nil) != (v == nil) || (g != nil && *g != *v):
				t.Errorf("%s: cell %s = %s; want %s", got.Source, k, show(g), show(v))
			}
			compared++
		}
	}
	t.Logf("compared %d cells of %d reports", compared, len(files))
}

func show(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// TestDemo runs the whole pipeline against the sample portal and checks what
// a researcher would: every report found, nothing off-domain fetched, exactly
// the unbalanced reports flagged, and re-running adds nothing.
func TestDemo(t *testing.T) {
	p := startPortal(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.duckdb")
	cfg := config.Default()
	cfg.Database, cfg.Archive = db, filepath.Join(dir, "archive")
	cfg.Crawl.Delay, cfg.Crawl.Jitter = config.Duration{}, config.Duration{}
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, configPath: "none"}
	if err := demoAgainst(context.Background(), e, p, cfg, time.Now()); err != nil {
		t.Fatalf("demo: %v\n%s", err, errb.String())
	}
	t.Log(out.String())

	// Every report page of the sample portal was fetched.
	stdout, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select distinct url from pages where kind = 'report' order by url")
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	fetched := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		fetched[l] = true
	}
	for _, r := range p.Reports() {
		if !fetched[r.URL] {
			t.Errorf("report %s (%s %d) not fetched", r.URL, r.Agency, r.Year)
		}
	}
	// No request ever reached a host outside the portals' allowed domains.
	allowed := map[string]bool{}
	for _, pc := range p.Portals() {
		for _, d := range pc.AllowedDomains {
			allowed[d] = true
		}
	}
	for host := range p.Resolve() {
		if !allowed[host] && p.Requests(host) > 0 {
			t.Errorf("off-domain host %s received %d requests", host, p.Requests(host))
		}
	}

	// The demo says how many reports it read from their attachments: the
	// sample portal's attachment-only reports (pages with tables keep
	// their own).
	attached := 0
	for _, r := range p.Reports() {
		if r.Kind == sampleportal.KindAttachment {
			attached++
		}
	}
	if line := fmt.Sprintf("%d of them read from their PDF/Word attachments", attached); attached == 0 || !strings.Contains(out.String(), line) {
		t.Errorf("demo output lacks %q (%d attachment-only reports in the portal):\n%s", line, attached, out.String())
	}

	// check lists exactly the unbalanced reports, with the rules they break.
	var want []string
	for _, r := range p.Reports() {
		for _, rule := range r.Unbalanced {
			want = append(want, r.Agency+"|"+strconv.Itoa(r.Year)+"|"+rule)
		}
	}
	sort.Strings(want)
	if len(want) < 2 {
		t.Fatalf("sample portal has %d unbalanced report/rule pairs; want at least 2", len(want))
	}
	stdout, stderr, code = nianbao(t, "", "check", "--db", db, "--format", "csv", "--rule", "i1_balance", "--rule", "i2_results", "--rule", "i3_total_column", "--rule", "i4_review_suit")
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	got := distinctFailures(t, stdout)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check flagged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	stdout, _, _ = nianbao(t, "", "check", "--db", db, "--format", "csv", "--severity", "error")
	if got := distinctFailures(t, stdout); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check --severity error listed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := strings.Count(stdout, ",warn,"); n != 0 {
		t.Errorf("check --severity error listed %d warn rows", n)
	}
	_, _, code = nianbao(t, "", "check", "--db", db, "--fail-on-flag")
	if code != exitFlagged {
		t.Errorf("check --fail-on-flag = exit %d; want %d", code, exitFlagged)
	}

	// Extracting again adds no rows.
	count := func() string {
		out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select (select count(*) from reports) || '/' || (select count(*) from cells)")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return out
	}
	before := count()
	cfgFile := filepath.Join(dir, "n.yaml")
	yml := "database: " + db + "\narchive: " + cfg.Archive + "\nportals:\n" + portalsYAML(p)
	if err := os.WriteFile(cfgFile, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := nianbao(t, "", "extract", "--config", cfgFile); code != 0 {
		t.Fatalf("extract: %s", stderr)
	}
	if after := count(); after != before {
		t.Errorf("reports/cells after a second extract = %s; want unchanged %s", after, before)
	}

	// status shows the runs and every portal as crawled and reachable.
	stdout, stderr, code = nianbao(t, "", "status", "--config", cfgFile)
	if code != 0 {
		t.Fatalf("status: %s", stderr)
	}
	for _, pc := range p.Portals() {
		line := ""
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(l, pc.Name) {
				line = l
			}
		}
		if !strings.Contains(line, " ok ") {
			t.Errorf("status line for %s = %q; want state ok", pc.Name, line)
		}
	}

	// status begins with what the database holds.
	stdout, _, _ = nianbao(t, "", "status", "--config", cfgFile, "--format", "csv")
	lines := strings.Split(stdout, "\n")
	unbalanced := 0
	for _, r := range p.Reports() {
		if len(r.Unbalanced) > 0 {
			unbalanced++
		}
	}
	var fields []string
	if len(lines) > 1 && lines[0] == "database,size_mib,report_versions,latest_reports,agencies,cells,flagged_reports,last_check,new_flags" {
		fields = strings.Split(lines[1], ",")
	}
	if len(fields) != 9 || fields[0] != db || fields[2] != strconv.Itoa(len(p.Reports())) || fields[6] != strconv.Itoa(unbalanced) {
		t.Errorf("status database block =\n%s\nwant %s, %d report versions and %d flagged reports",
			strings.Join(lines[:min(2, len(lines))], "\n"), db, len(p.Reports()), unbalanced)
	}

	checkDemoAttachments(t, p, db)

	// sql is read-only.
	_, stderr, code = nianbao(t, "", "sql", "--db", db, "delete from cells")
	if code == 0 || !strings.Contains(stderr, "read-only") {
		t.Errorf("sql delete = exit %d, %q; want a read-only refusal", code, stderr)
	}
	// Every canned report runs on the demo database.
	stdout, _, _ = nianbao(t, "", "report", "--format", "csv")
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		name, _, _ := strings.Cut(l, ",")
		if _, stderr, code := nianbao(t, "", "report", name, "--db", db); code != 0 {
			t.Errorf("report %s on the demo database: exit %d: %s", name, code, stderr)
		}
	}
}

// distinctFailures reads check --format csv output into sorted agency|year|rule keys.
func distinctFailures(t *testing.T, csvOut string) []string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("check csv output unreadable: %v\n%s", err, csvOut)
	}
	idx := map[string]int{}
	for i, c := range recs[0] {
		idx[c] = i
	}
	seen := map[string]bool{}
	for _, f := range recs[1:] {
		if f[idx["severity"]] != "error" {
			continue
		}
		seen[f[idx["agency"]]+"|"+f[idx["year"]]+"|"+f[idx["rule"]]] = true
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// portalConfig writes a config crawling every portal of p into a fresh
// directory, and returns the directory, the file, its text and the loaded
// config.
func portalConfig(t *testing.T, p *sampleportal.Portal) (dir, file, yml string, cfg *config.Config) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "n.yaml")
	yml = "database: " + filepath.Join(dir, "n.duckdb") + "\narchive: " + filepath.Join(dir, "archive") + "\ncrawl: {delay: 0s}\nportals:\n" + portalsYAML(p)
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return dir, file, yml, cfg
}

// portalsYAML is the portals: list of a config crawling every portal of p.
func portalsYAML(p *sampleportal.Portal) string {
	var b strings.Builder
	for _, pc := range p.Portals() {
		fmt.Fprintf(&b, "  - name: %s\n    start_urls: [%q]\n    allowed_domains: [%s]\n", pc.Name, pc.StartURLs[0], strings.Join(pc.AllowedDomains, ", "))
	}
	return b.String()
}

// crawlPortal crawls p as cfg says, its virtual hosts resolved to it.
func crawlPortal(t *testing.T, p *sampleportal.Portal, cfg *config.Config) *crawlSummary {
	t.Helper()
	opts := crawlerOptions(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	opts.Resolve = p.Resolve()
	sum, err := crawl(context.Background(), cfg, cfg.Portals, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestCrawlAfterDatabaseLoss: the database is deleted between two crawls.
// The crawler does not fetch again the report pages it archived, so the
// second crawl records the earlier crawls' pages from the archive: extract
// then finds every report again.
func TestCrawlAfterDatabaseLoss(t *testing.T) {
	p := startPortal(t)
	_, cfgFile, _, cfg := portalConfig(t, p)
	first := crawlPortal(t, p, cfg)
	reports := func() string {
		t.Helper()
		if _, stderr, code := nianbao(t, "", "extract", "--config", cfgFile); code != 0 {
			t.Fatalf("extract: %s", stderr)
		}
		out, stderr, code := nianbao(t, "", "sql", "--config", cfgFile, "--format", "csv", "select count(*) as n from reports")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return strings.TrimPrefix(strings.TrimSpace(out), "n\n")
	}
	want := reports()
	if want != fmt.Sprint(first.Reports) {
		t.Fatalf("first crawl: %s reports extracted; want %d", want, first.Reports)
	}
	for _, f := range []string{cfg.Database, cfg.Database + ".wal"} {
		os.Remove(f)
	}
	second := crawlPortal(t, p, cfg)
	if second.Reports >= first.Reports || second.Recorded == 0 {
		t.Errorf("second crawl fetched %d report pages and recorded %d from the archive; want fewer than %d fetched, some recorded",
			second.Reports, second.Recorded, first.Reports)
	}
	if got := reports(); got != want {
		t.Errorf("after losing the database and crawling again: %s reports; want %s", got, want)
	}
}

// TestExtractOffline crawls the sample portal, shuts it down, then extracts:
// every report page is read from the archive alone. Then the database is
// deleted, the archive moved, and the database rebuilt from the archive
// alone (extract --from-archive): the same pages, reports and cells; a
// second rebuild adds nothing.
func TestExtractOffline(t *testing.T) {
	p := startPortal(t)
	dir, cfgFile, yml, cfg := portalConfig(t, p)
	sum := crawlPortal(t, p, cfg)
	p.Close() // the network is off from here on

	stdout, stderr, code := nianbao(t, "", "extract", "--config", cfgFile)
	if code != 0 {
		t.Fatalf("extract offline: exit %d: %s", code, stderr)
	}
	want := fmt.Sprintf("%d pages read, %d reports loaded", sum.Reports, sum.Reports)
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, " 0 failed") {
		t.Errorf("extract with the network off said %q; want %q and 0 failed", stdout, want)
	}

	counts := func() string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "sql", "--config", cfgFile, "--format", "csv",
			"select (select count(*) from pages) || '/' || (select count(*) from reports) || '/' || (select count(*) from cells) || '/' || (select sum(value) from cells) as counts")
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return strings.TrimPrefix(strings.TrimSpace(out), "counts\n")
	}
	before := counts()
	for _, f := range []string{cfg.Database, cfg.Database + ".wal"} {
		os.Remove(f)
	}
	moved := filepath.Join(dir, "moved-archive")
	if err := os.Rename(cfg.Archive, moved); err != nil {
		t.Fatal(err)
	}
	yml = strings.Replace(yml, "archive: "+cfg.Archive, "archive: "+moved, 1)
	if err := os.WriteFile(cfgFile, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = nianbao(t, "", "extract", "--config", cfgFile, "--from-archive")
	if code != 0 {
		t.Fatalf("extract --from-archive: exit %d: %s", code, stderr)
	}
	if want := fmt.Sprintf("%d pages recorded", sum.Pages); !strings.Contains(stdout, want) {
		t.Errorf("extract --from-archive said %q; want %q", stdout, want)
	}
	if after := counts(); after != before {
		t.Errorf("pages/reports/cells/sum after rebuilding from the archive = %s; want %s as before", after, before)
	}
	stdout, _, _ = nianbao(t, "", "extract", "--config", cfgFile, "--from-archive")
	if !strings.Contains(stdout, " 0 pages recorded") || !strings.Contains(stdout, " 0 reports loaded") {
		t.Errorf("a second extract --from-archive said %q; want 0 pages recorded, 0 reports loaded", stdout)
	}
	if again := counts(); again != before {
		t.Errorf("counts after a second rebuild = %s; want %s", again, before)
	}
}
