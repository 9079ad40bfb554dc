package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
	"github.com/nianbao/nianbao/warehouse"
)

// TestHelperNianbao is not a test: the kill tests re-execute the test
// binary with NIANBAO_HELPER_ARGS set, and this runs nianbao with them in
// that child process, which the test then kills.
func TestHelperNianbao(t *testing.T) {
	if path := os.Getenv("NIANBAO_HELPER_HOLD"); path != "" {
		// A reader's session: the file open read-only for two seconds.
		db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var n int
		db.SQL.QueryRow("select count(*) from reports").Scan(&n)
		fmt.Println("open", n)
		time.Sleep(2 * time.Second)
		db.Close()
		os.Exit(0)
	}
	raw := os.Getenv("NIANBAO_HELPER_ARGS")
	if raw == "" {
		t.Skip("helper process for the kill tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(run(context.Background(), args, os.Stdin, os.Stdout, os.Stderr))
}

// startNianbao starts nianbao args in a child process.
func startNianbao(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNianbao$")
	cmd.Env = append(os.Environ(), "NIANBAO_HELPER_ARGS="+string(b))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// importFiles writes n distinct report pages of the sample portal.
func importFiles(t *testing.T, dir string, n int) []string {
	t.Helper()
	p := startPortal(t)
	var bodies [][]byte
	for _, r := range p.Reports() {
		if r.Kind == sampleportal.KindTables && len(bodies) < 10 {
			bodies = append(bodies, fetch(t, p, r.URL))
		}
	}
	var files []string
	for i := range n {
		f := filepath.Join(dir, fmt.Sprintf("page%03d.html", i))
		body := append(append([]byte{}, bodies[i%len(bodies)]...), fmt.Sprintf("<!-- copy %d -->", i)...)
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// TestKillWhileCreatingDatabase kills `nianbao import` (SIGKILL, a real
// child process) at several moments while it creates and fills a new
// database: each time there is either no database file or one that opens
// and answers, and the next write marks the killed run interrupted.
func TestKillWhileCreatingDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	files := importFiles(t, t.TempDir(), 60)
	var made, none int
	for _, delay := range []time.Duration{150, 300, 500, 650, 800, 1000, 1500, 3000} {
		t.Run(fmt.Sprint(delay*time.Millisecond), func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "n.duckdb")
			cfg := filepath.Join(dir, "n.yaml")
			os.WriteFile(cfg, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644)
			cmd := startNianbao(t, append([]string{"import", "--config", cfg}, files...)...)
			time.Sleep(delay * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			if _, err := os.Stat(db); err != nil {
				none++
				if _, err := os.Stat(db + ".wal"); err == nil {
					t.Errorf("a WAL without its database: %s.wal", db)
				}
			} else {
				made++
				out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", "select count(*) from reports")
				if code != 0 {
					t.Fatalf("the database left by a kill %v in does not open: %s", delay*time.Millisecond, stderr)
				}
				t.Logf("killed %v in: database with %s reports", delay*time.Millisecond, strings.TrimSpace(strings.Split(out, "\n")[1]))
			}
			// The next import works, and the killed run is not left running.
			if _, stderr, code := nianbao(t, "", "import", "--config", cfg, files[0]); code != 0 {
				t.Fatalf("import after the kill: %s", stderr)
			}
			out, _, _ := nianbao(t, "", "sql", "--db", db, "--format", "csv",
				"select count(*) filter (where status = 'running') || ' ' || count(*) filter (where status = 'interrupted' and note like '%killed%') from crawl_runs")
			got := strings.TrimSpace(strings.Split(out, "\n")[1])
			if !strings.HasPrefix(got, "0 ") {
				t.Errorf("running/interrupted runs after the kill = %s; want no run left running", got)
			}
			if matches, _ := filepath.Glob(db + ".creating-*"); len(matches) != 0 {
				t.Errorf("temporaries left after the next import: %v", matches)
			}
		})
	}
	t.Logf("%d kills left a database, %d left none", made, none)
}

// TestMissingDatabaseRefused: commands that read a database refuse a
// missing file — check --fail-on-flag on a typo must not pass on an empty
// database it created — and create nothing.
func TestMissingDatabaseRefused(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "nianbau.duckdb")
	for _, args := range [][]string{
		{"check", "--db", typo, "--fail-on-flag"},
		{"extract", "--db", typo},
		{"ack", "--db", typo, "abc123", "--status", "confirmed"},
		{"status", "--db", typo},
		{"sql", "--db", typo, "select 1"},
	} {
		_, stderr, code := nianbao(t, "", args...)
		if code == 0 || !strings.Contains(stderr, typo) || !strings.Contains(stderr, "no such file") {
			t.Errorf("%s on a missing database: exit %d, %q; want an error naming %s", args[0], code, stderr, typo)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%s created %s", args[0], typo)
		}
	}
}

// TestImportInterrupted: Ctrl-C in the middle of a long import keeps every
// batch done (the batch in flight is finished), records the run as
// interrupted, and the same import run again adds only the rest.
func TestImportInterrupted(t *testing.T) {
	dir := t.TempDir()
	files := importFiles(t, dir, 260)
	db := filepath.Join(dir, "n.duckdb")
	cfg := filepath.Join(dir, "n.yaml")
	os.WriteFile(cfg, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	old := parseReport
	parseReport = func(in extract.Input) (*extract.Report, error) {
		calls++
		if calls == 150 { // Ctrl-C while the second batch is being read
			cancel()
		}
		return extract.Parse(in)
	}
	defer func() { parseReport = old }()
	var out, errb strings.Builder
	code := run(ctx, append([]string{"import", "--config", cfg}, files...), strings.NewReader(""), &out, &errb)
	if code == 0 || !strings.Contains(out.String(), "import interrupted: 150 of 260 files done and kept") {
		t.Fatalf("interrupted import: exit %d, %q %q; want an error saying 150 of 260 kept", code, out.String(), errb.String())
	}
	sql := func(q string) string {
		t.Helper()
		o, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", q)
		if code != 0 {
			t.Fatalf("sql: %s", stderr)
		}
		return strings.TrimSpace(strings.SplitN(o, "\n", 2)[1])
	}
	if got := sql(`select count(*) from reports`); got != "150" {
		t.Errorf("reports after the interrupted import = %s; want 150", got)
	}
	if got := sql(`select status || ' ' || pages_fetched from crawl_runs where kind = 'import'`); got != "interrupted 150" {
		t.Errorf("import run = %q; want interrupted 150", got)
	}
	o, stderr, code := nianbao(t, "", append([]string{"import", "--config", cfg}, files...)...)
	if code != 0 || !strings.Contains(o, "110 reports added") {
		t.Errorf("import again: exit %d %q %s; want the 110 left added", code, o, stderr)
	}
	if got := sql(`select count(*) || ' ' || count(distinct page_sha256) from reports`); got != "260 260" {
		t.Errorf("reports after importing again = %s; want 260 260", got)
	}
}

// TestNightWaitsForReader: a researcher's read-only session (another
// process) holds the database when the night starts. The night waits for
// it instead of failing, then runs and is recorded.
func TestNightWaitsForReader(t *testing.T) {
	p := startPortal(t)
	_, cfgFile, _, cfg := portalConfig(t, p)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	opts := func() crawler.Options {
		o := crawlerOptions(cfg, log, nil)
		o.Resolve = p.Resolve()
		return o
	}
	if err := scheduleLoop(context.Background(), cfg, true, log, opts); err != nil {
		t.Fatalf("first night: %v", err)
	}
	reader := exec.Command(os.Args[0], "-test.run=^TestHelperNianbao$")
	reader.Env = append(os.Environ(), "NIANBAO_HELPER_HOLD="+cfg.Database)
	out, err := reader.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := reader.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "open") {
		t.Fatalf("reader: %q %v", line, err)
	}
	started := time.Now()
	p.NextNight()
	err = scheduleLoop(context.Background(), cfg, true, log, opts)
	took := time.Since(started)
	reader.Wait()
	if err != nil {
		t.Fatalf("night with a reader holding the database: %v", err)
	}
	if !strings.Contains(logs.String(), "database in use by another process") {
		t.Errorf("the night did not meet the reader (took %v); logs:\n%s", took, logs.String())
	}
	o, stderr, code := nianbao(t, "", "sql", "--config", cfgFile, "--format", "csv",
		"select count(*) from crawl_runs where kind = 'schedule' and finished_at is not null and status in ('ok', 'partial')")
	if code != 0 {
		t.Fatal(stderr)
	}
	if got := strings.TrimSpace(strings.Split(o, "\n")[1]); got != "2" {
		t.Errorf("finished nights = %s; want 2 (the one that met the reader recorded)", got)
	}
	t.Logf("night with a reader holding the file for 2 s took %v", took)
}
