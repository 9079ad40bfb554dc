package warehouse_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	db, path := openWarehouse(t)
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: sampleReport("u", "甲县人民政府", 2021, "7"), PageSHA256: "s", ExtractorVersion: "v1"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	defer ro.Close()
	if got := queryInt(t, ro, `select count(*) from cells`); got != 5 {
		t.Errorf("cells read through a read-only handle = %d; want 5", got)
	}
	for _, tc := range []struct {
		name  string
		write func() error
	}{
		{"load", func() error {
			_, err := ro.LoadReports(ctx, []warehouse.Load{{Report: sampleReport("u", "乙县人民政府", 2021, "7"), PageSHA256: "t"}})
			return err
		}},
		{"record pages", func() error {
			_, err := ro.RecordPages(ctx, []warehouse.Page{{URL: "x"}})
			return err
		}},
		{"begin run", func() error { _, err := ro.BeginRun(ctx, "crawl", nil); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if !errors.Is(err, warehouse.ErrReadOnly) {
				t.Fatalf("write on read-only database: err = %v; want ErrReadOnly", err)
			}
			if !strings.Contains(err.Error(), "database opened read-only: nianbao sql does not modify data") {
				t.Errorf("error %q lacks the plain explanation", err)
			}
		})
	}
	if got := queryInt(t, ro, `select count(*) from reports`); got != 1 {
		t.Errorf("reports after refused writes = %d; want 1", got)
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := warehouse.Open(ctx, path+".nope", warehouse.Options{ReadOnly: true})
		if err == nil || !strings.Contains(err.Error(), ".nope") {
			t.Errorf("Open read-only of a missing file: err = %v; want an error naming it", err)
		}
	})
}

// TestHelperProcess is not a test: TestLockMessage runs it in a child
// process that holds the database open for writing until stdin closes.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("NIANBAO_HOLD_DB")
	if path == "" {
		t.Skip("helper process for TestLockMessage")
	}
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{})
	if err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("ready\n")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

func TestLockMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	ctx := context.Background()
	db, path := openWarehouse(t)
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "NIANBAO_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("helper process said %q, %v; want ready", line, err)
	}

	for _, tc := range []struct {
		name string
		opts warehouse.Options
	}{
		{"read-write", warehouse.Options{}},
		{"read-only", warehouse.Options{ReadOnly: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := warehouse.Open(ctx, path, tc.opts)
			if err == nil {
				db.Close()
				t.Fatal("Open while another process holds the write lock succeeded; want ErrLocked")
			}
			if !errors.Is(err, warehouse.ErrLocked) {
				t.Fatalf("Open: err = %v; want ErrLocked", err)
			}
			msg := err.Error()
			for _, want := range []string{path, "in use by another process", "try again"} {
				if !strings.Contains(msg, want) {
					t.Errorf("lock message %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	path := t.TempDir() + "/m.duckdb"
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{MemoryLimit: "512MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := queryString(t, db, `select current_setting('memory_limit')`); got != "488.2 MiB" && got != "512.0 MB" {
		t.Errorf("memory_limit = %s; want 512MB", got)
	}
}

// TestReadOnlySQL is what `nianbao sql` does: ad-hoc SQL on a read-only
// handle. Reads work; writes fail with the plain message.
func TestReadOnlySQL(t *testing.T) {
	ctx := context.Background()
	db, path := openWarehouse(t)
	db.Close()
	ro, err := warehouse.Open(ctx, path, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	res, err := ro.Query(ctx, `select count(*) as n from codebook`)
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("read on a read-only database: %v, %v", res, err)
	}
	for _, q := range []string{
		`delete from reports`,
		`insert into portals (name) values ('x')`,
		`create table scratch (a int)`,
		`update pages set error = 'x'`,
	} {
		t.Run(q, func(t *testing.T) {
			_, err := ro.Query(ctx, q)
			if !errors.Is(err, warehouse.ErrReadOnly) {
				t.Fatalf("Query(%q) err = %v; want ErrReadOnly", q, err)
			}
			if !strings.Contains(err.Error(), "database opened read-only: nianbao sql does not modify data") {
				t.Errorf("Query(%q) err = %q; want the plain message", q, err)
			}
			if _, err := ro.SQL.ExecContext(ctx, q); !errors.Is(err, warehouse.ErrReadOnly) {
				t.Errorf("Exec(%q) err = %v; want ErrReadOnly", q, err)
			}
		})
	}
}
