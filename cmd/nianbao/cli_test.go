package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/internal/sampleportal"
	"github.com/nianbao/nianbao/queries"
)

// demoDB is one demo database shared by the CLI tests that only read it
// (they open it read-only, or run check, which rewrites check_results the
// same way each time).
var sharedDemoDB struct {
	once sync.Once
	path string
	out  string
	err  error
}

func sharedDemo(t *testing.T) (db, stdout string) {
	t.Helper()
	sharedDemoDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "nianbao-cli-test-")
		if err != nil {
			sharedDemoDB.err = err
			return
		}
		p, err := sampleportal.Start(sampleportal.Options{})
		if err != nil {
			sharedDemoDB.err = err
			return
		}
		defer p.Close()
		cfg := config.Default()
		cfg.Database, cfg.Archive = filepath.Join(dir, "demo.duckdb"), filepath.Join(dir, "archive")
		cfg.Crawl.Delay, cfg.Crawl.Jitter = config.Duration{}, config.Duration{}
		var out, errb bytes.Buffer
		e := &env{argv0: "./nianbao", stdout: &out, stderr: &errb, configPath: "none"}
		if err := demoAgainst(context.Background(), e, p, cfg, time.Now()); err != nil {
			sharedDemoDB.err = err
			return
		}
		sharedDemoDB.path, sharedDemoDB.out = cfg.Database, out.String()
	})
	if sharedDemoDB.err != nil {
		t.Fatalf("demo: %v", sharedDemoDB.err)
	}
	return sharedDemoDB.path, sharedDemoDB.out
}

// packageTimeout is this package's time limit when go test's default
// (10 minutes) is in force: its tests start real portals, Chromium,
// LibreOffice and DuckDB files, about 3 minutes on an idle 2-core machine
// but over 10 under a load of 20 (several test binaries and other work at
// once), where the default would kill a run that is only slow. An explicit
// -timeout other than 10m is kept.
const packageTimeout = 30 * time.Minute

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.timeout"); f != nil && f.Value.String() == (10*time.Minute).String() {
		f.Value.Set(packageTimeout.String())
	}
	code := m.Run()
	if sharedDemoDB.path != "" {
		os.RemoveAll(filepath.Dir(sharedDemoDB.path))
	}
	os.Exit(code)
}

// TestPlainErrors: every mistake gets one plain sentence, the right exit
// code and no driver or strconv internals.
func TestPlainErrors(t *testing.T) {
	db, _ := sharedDemo(t)
	notDB := filepath.Join(t.TempDir(), "page.duckdb")
	if err := os.WriteFile(notDB, []byte("<html>not a database</html>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"year not a number", []string{"check", "--db", db, "--year", "abc"}, exitUsage, `--year "abc": want a year such as 2021`},
		{"year on report", []string{"report", "trend", "--db", db, "--year", "20x1"}, exitUsage, `--year "20x1"`},
		{"param outside its values", []string{"report", "compare", "--db", db, "--param", "level=district"}, exitUsage, "province, city, county, township, department"},
		{"param year not a number", []string{"report", "compare", "--db", db, "--param", "year=abc"}, exitUsage, `year="abc" is not accepted`},
		{"indicators by outside its values", []string{"report", "indicators", "--db", db, "--param", "by=agency"}, exitUsage, `by="agency" is not accepted; want report, region (default report)`},
		{"indicator outside the files", []string{"report", "outliers", "--db", db, "--param", "indicator=granted"}, exitUsage, "granted_rate, granted_rate_merits"},
		{"region_digits outside its values", []string{"report", "indicators", "--db", db, "--param", "region_digits=3"}, exitUsage, "2, 4, 6 (default 6)"},
		{"unknown param", []string{"report", "compare", "--db", db, "--param", "colour=red"}, exitUsage, "one of year, region, level, metric"},
		{"not a database", []string{"sql", "--db", notDB, "select 1"}, exitError, "not a DuckDB database file"},
		{"not a database, check", []string{"check", "--db", notDB}, exitError, "not a DuckDB database file"},
		{"unknown command", []string{"chek"}, exitUsage, "Try: nianbao check"},
		{"unknown command, no suggestion", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"excel without csv", []string{"sql", "--db", db, "--format", "table", "--excel", "select 1"}, exitUsage, "--excel is for --format csv"},
		{"excel without csv, report", []string{"report", "--format", "json", "--excel"}, exitUsage, "--excel is for --format csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := nianbao(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("nianbao %v = exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
			for _, leak := range []string{"strconv.", "database/sql", "Invalid Input Error", "IO Error", "Binder Error"} {
				if strings.Contains(stderr, leak) {
					t.Errorf("nianbao %v: stderr leaks %q: %s", tc.args, leak, stderr)
				}
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 1 {
				t.Errorf("nianbao %v: %d lines on stderr; want Error and at most Try:\n%s", tc.args, n+1, stderr)
			}
		})
	}
	if _, err := os.ReadFile(notDB); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(notDB); !bytes.HasPrefix(b, []byte("<html>")) {
		t.Errorf("the file named by --db was changed: %q", b)
	}
}

func TestVersion(t *testing.T) {
	out1, _, code1 := nianbao(t, "", "version")
	out2, _, code2 := nianbao(t, "", "--version")
	if code1 != 0 || code2 != 0 || !strings.Contains(out1, version) || strings.TrimSpace(out1) != strings.TrimSpace(out2) {
		t.Errorf("version = %q (exit %d), --version = %q (exit %d); want the same line naming %s", out1, code1, out2, code2, version)
	}
}

// TestReportListsParamValues: `nianbao report` lists each parameter with
// what it accepts and its default.
func TestReportListsParamValues(t *testing.T) {
	stdout, stderr, code := nianbao(t, "", "report", "--format", "csv")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"level: province, city, county, township, department",
		"metric: received, carried_in",
		"(default received)",
		"by: agency, region, regions",
		"year: a year such as 2021",
		"by: report, region (default report)",
		"region_digits: 2, 4, 6 (default 6)",
		"denied_rate.state_secret, denied_rate.third_party",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report listing lacks %q:\n%s", want, stdout)
		}
	}
	// Every closed parameter value is accepted by its query.
	db, _ := sharedDemo(t)
	for _, q := range queries.All() {
		for _, p := range q.Params {
			for i, v := range p.Values {
				if q.Kind != queries.KindReport {
					continue
				}
				// The indicators' names are tested against their SQL in
				// the warehouse (TestIndicatorNamesAreWhatTheFilesYield);
				// here the first and last stand for them.
				if p.Name == "indicator" && i > 0 && i < len(p.Values)-1 {
					continue
				}
				_, stderr, code := nianbao(t, "", "report", q.Name, "--db", db, "--format", "csv", "--param", p.Name+"="+v)
				if code != 0 {
					t.Errorf("report %s --param %s=%s: exit %d: %s", q.Name, p.Name, v, code, stderr)
				}
			}
		}
	}
}

// TestCheckSeverityOrderAndGate: failures are listed most serious first,
// a summary line per severity goes to stderr, and --fail-on-flag fails on
// what is listed, nothing else.
func TestCheckSeverityOrderAndGate(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "check", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	rank := map[string]int{}
	for i, s := range queries.Severities {
		rank[s] = i
	}
	counts := map[string]int{}
	last := -1
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var row struct{ Severity string }
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("check --format json line %q: %v", l, err)
		}
		r, ok := rank[row.Severity]
		if !ok {
			t.Fatalf("unknown severity %q", row.Severity)
		}
		if r < last {
			t.Fatalf("a %s failure listed after a less serious one", row.Severity)
		}
		last = r
		counts[row.Severity]++
	}
	if counts["error"] == 0 || counts["warn"] == 0 {
		t.Fatalf("the demo database has %v failures; the test needs errors and warnings", counts)
	}
	for _, s := range queries.Severities {
		want := regexp.MustCompile(`(?m)^` + s + `:\s+` + strconv.Itoa(counts[s]) + ` failures in \d+ reports`)
		if !want.MatchString(stderr) {
			t.Errorf("stderr lacks the summary line for %s (%d):\n%s", s, counts[s], stderr)
		}
	}

	// The gate fails on what is shown.
	absent := ""
	for _, s := range queries.Severities {
		if counts[s] == 0 {
			absent = s
		}
	}
	gates := []struct {
		severity string
		code     int
	}{
		{"error", exitFlagged},
		{"warn", exitFlagged},
	}
	if absent != "" {
		// Errors exist but are not listed: the gate passes.
		gates = append(gates, struct {
			severity string
			code     int
		}{absent, exitOK})
	}
	for _, g := range gates {
		_, stderr, code := nianbao(t, "", "check", "--db", db, "--severity", g.severity, "--fail-on-flag", "--format", "csv")
		if code != g.code {
			t.Errorf("check --severity %s --fail-on-flag = exit %d; want %d\n%s", g.severity, code, g.code, stderr)
		}
	}
	help, _, _ := nianbao(t, "", "check", "--help")
	usage := regexp.MustCompile(`(?m)^  nianbao check .*$`).FindString(help)
	for _, flag := range []string{"--db", "--rule", "--year", "--region", "--severity", "--format", "--excel", "--fail-on-flag"} {
		if !strings.Contains(usage, "["+flag) {
			t.Errorf("check's usage line %q lacks %s", usage, flag)
		}
	}
}

// TestCheckDetailsOneStyle: every detail names cells as 标签 [code].
func TestCheckDetailsOneStyle(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "check", "--db", db, "--severity", "error", "--format", "json")
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	codeRef := regexp.MustCompile(`\[([a-z_.]+)\]`)
	bare := regexp.MustCompile(`(^|[ (])(natural|commercial|research|social|legal|total|granted|partial|unable\.[a-z_]+|rejected\.[a-z_]+|denied\.[a-z_]+)( |$|,|:)`)
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var row struct{ Detail string }
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		n++
		if !codeRef.MatchString(row.Detail) {
			t.Errorf("detail %q names no cell as 标签 [code]", row.Detail)
		}
		if m := bare.FindString(row.Detail); m != "" {
			t.Errorf("detail %q has a bare code %q (want 标签 [code])", row.Detail, m)
		}
		for _, m := range codeRef.FindAllStringIndex(row.Detail, -1) {
			before := []rune(strings.TrimRight(row.Detail[:m[0]], " "))
			if len(before) == 0 || before[len(before)-1] < 0x2E80 && before[len(before)-1] != '）' {
				t.Errorf("detail %q: code at %d has no Chinese label before it", row.Detail, m[0])
			}
		}
	}
	if n == 0 {
		t.Fatal("no error-severity failures in the demo database")
	}
}

// TestSQLStatements: several statements print each result; a query
// starting with a comment is not a flag; COPY … TO writes its file and
// never the database.
func TestSQLStatements(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select 1 as a; select 'x;y' as b -- a ; in a comment\n; select count(*) as n from reports")
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"a\n1\n", "b\nx;y\n", "n\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("sql with three statements printed %q; want it to contain %q", stdout, want)
		}
	}
	stdout, stderr, code = nianbao(t, "", "sql", "--db", db, "--format", "csv", "-- how many reports\nselect count(*) as n from reports")
	if code != 0 || !strings.HasPrefix(stdout, "n\n") {
		t.Errorf("sql '-- comment…' = exit %d, %q, %q; want the query run", code, stdout, stderr)
	}
	before, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "reports.csv")
	_, stderr, code = nianbao(t, "", "sql", "--db", db, "copy (select agency, year from latest_reports) to '"+out+"'")
	if code != 0 {
		t.Fatalf("sql copy to: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "agency,year\n") {
		t.Errorf("copy … to wrote %q (%v); want the CSV", b, err)
	}
	_, stderr, code = nianbao(t, "", "sql", "--db", db, "create table x (i int)")
	if code != exitError || !strings.Contains(stderr, "read-only") {
		t.Errorf("sql create table = exit %d, %q; want it refused as read-only", code, stderr)
	}
	after, _ := os.Stat(db)
	if !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Errorf("sql changed the database file")
	}
}

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"select 1", []string{"select 1"}},
		{"select 1;", []string{"select 1"}},
		{"select 1; select 2", []string{"select 1", "select 2"}},
		{"select ';' as s; select 2", []string{"select ';' as s", "select 2"}},
		{`select "a;b" from t`, []string{`select "a;b" from t`}},
		{"select 'it''s;' as s", []string{"select 'it''s;' as s"}},
		{"-- only a comment;\n", nil},
		{"select 1 /* ; */ ; -- end;", []string{"select 1 /* ; */"}},
		{"select $$a;b$$", []string{"select $$a;b$$"}},
		{"  ;  ; ", nil},
	}
	for _, tc := range tests {
		if got := splitStatements(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitStatements(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestJSONNumbers: numbers print as JSON numbers, text as strings, and an
// exact decimal a float would round stays a string.
func TestJSONNumbers(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "json",
		"select 2::decimal(18,6) as v, 4166.241619::decimal(18,6) as fee, 123456789012.123456::decimal(18,6) as big, '2' as s, 7::bigint as n, null::decimal(18,6) as blank")
	if code != 0 {
		t.Fatalf("sql: exit %d: %s", code, stderr)
	}
	want := `{"v":2,"fee":4166.241619,"big":"123456789012.123456","s":"2","n":7,"blank":null}`
	if strings.TrimSpace(stdout) != want {
		t.Errorf("json = %s; want %s", stdout, want)
	}
}

// TestStatusJSONKinds: status --format json is one object per line, each
// with a kind naming its section.
func TestStatusJSONKinds(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "status", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, stderr)
	}
	kinds := map[string]int{}
	for _, l := range strings.Split(strings.TrimRight(stdout, "\n"), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			t.Fatalf("status json line %q: %v", l, err)
		}
		k, _ := obj["kind"].(string)
		if k == "" {
			t.Errorf("status json line without kind: %s", l)
		}
		kinds[k]++
	}
	if kinds["database"] != 1 || kinds["run"] == 0 {
		t.Errorf("status json kinds = %v; want one database and the runs", kinds)
	}
}

// TestDemoSpeaksAsInvoked: the demo's suggestions use the command the user
// typed, and its help tells the truth about the sample portal.
func TestDemoSpeaksAsInvoked(t *testing.T) {
	_, out := sharedDemo(t)
	tryNext := out[strings.Index(out, "Try next:"):]
	for _, l := range strings.Split(strings.TrimSpace(tryNext), "\n")[1:] {
		if !strings.HasPrefix(strings.TrimSpace(l), "./nianbao ") {
			t.Errorf("Try next line %q; want it to start with ./nianbao (as invoked)", l)
		}
	}
	e := &env{argv0: "/tmp/go-build123/b001/exe/nianbao"}
	if got := e.invocation(); got != "go run ./cmd/nianbao" {
		t.Errorf("invocation from go run = %q", got)
	}
	m := regexp.MustCompile(`flagged:\s+(\d+) reports do not balance`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("demo output lacks the flagged line:\n%s", out)
	}
	// The catalogue is counted only when the help is asked for (building
	// the sample portal on every run of the binary cost 0.1 CPU-s).
	for _, args := range [][]string{{"help", "demo"}, {"demo", "--help"}} {
		help, _, _ := nianbao(t, "", args...)
		if !strings.Contains(strings.Join(strings.Fields(help), " "), m[1]+" of which do not balance") {
			t.Errorf("%s does not say the %s unbalanced reports the demo flags:\n%s", strings.Join(args, " "), m[1], help)
		}
	}
}

// TestSQLHelpListsEverySchemaObject: `sql --help` names every table and
// view the database has.
func TestSQLHelpListsEverySchemaObject(t *testing.T) {
	db, _ := sharedDemo(t)
	stdout, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select table_name from information_schema.tables where table_schema = 'main' order by 1")
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	help, _, _ := nianbao(t, "", "sql", "--help")
	for _, name := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		if !regexp.MustCompile(`(?m)^\s+(.*[ ,])?` + regexp.QuoteMeta(name) + `(,| —)`).MatchString(help) {
			t.Errorf("sql --help does not list %s", name)
		}
	}
}

// TestImportArchiveBesideDatabase: `import --db X` keeps its archive beside
// X (config.ArchiveFor), not in the working directory; the report's source
// is the file's absolute path; an archive location that cannot be written
// fails before anything is stored.
func TestImportArchiveBesideDatabase(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "extract", "testdata", "full-2021.html"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	page := filepath.Join("pages", "p001.html")
	if err := os.MkdirAll("pages", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, seed, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "dbs", "x.duckdb")
	if _, stderr, code := nianbao(t, "", "import", "--db", db, page); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "dbs", "x-archive")); err != nil {
		t.Errorf("no archive beside the database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(work, "data")); err == nil {
		t.Errorf("import --db wrote ./data in the working directory")
	}
	stdout, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select r.source, p.archive_path from reports as r join pages as p on p.id = r.page_id")
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	abs, _ := filepath.Abs(page)
	if !strings.Contains(stdout, abs+",") || !strings.Contains(stdout, filepath.Join(dir, "dbs", "x-archive")) {
		t.Errorf("reports.source, pages.archive_path = %q; want the absolute path %s and the archive beside the database", stdout, abs)
	}

	// An archive that cannot be created (a file stands in its place): the
	// import fails at once and no database is created.
	db2 := filepath.Join(dir, "blocked", "y.duckdb")
	if err := os.MkdirAll(filepath.Dir(db2), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "blocked", "y-archive"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = nianbao(t, "", "import", "--db", db2, page)
	if code != exitError || !strings.Contains(stderr, "cannot write "+filepath.Join(dir, "blocked", "y-archive")) {
		t.Errorf("import into an unwritable archive = exit %d, %q; want a plain error naming it", code, stderr)
	}
	if _, err := os.Stat(db2); err == nil {
		t.Errorf("the import created %s although it could not archive", db2)
	}
}

// TestImportNotAReport: a binary file, random bytes and a README are kept
// as pages with reason not_a_report, never counted as reports; the real
// reports beside them load.
func TestImportNotAReport(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, f := range []string{"full-2021.html", "full-2019.html"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "extract", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 8<<20)
	for i := range random {
		random[i] = byte(i*7919 + i>>8*31 + i>>16)
	}
	binary := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 4096)...)
	for name, body := range map[string][]byte{"README.md": readme, "random.bin": random, "nianbao": binary} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	db := filepath.Join(dir, "n.duckdb")
	stdout, stderr, code := nianbao(t, "", append([]string{"import", "--db", db}, files...)...)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2 reports added") || !strings.Contains(stdout, "3 not reports") || !strings.Contains(stdout, "0 failed") {
		t.Errorf("import summary = %q; want 2 reports added, 3 not reports, 0 failed", stdout)
	}
	out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv",
		"select (select count(*) from reports) as reports, (select count(*) from pages where extract_error like 'not_a_report%' or extract_error like '%: not_a_report: %') as not_reports, (select count(*) from pages) as pages")
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	if got := strings.Split(strings.TrimSpace(out), "\n")[1]; got != "2,3,5" {
		t.Errorf("reports, not_a_report pages, pages = %s; want 2,3,5", got)
	}
}
