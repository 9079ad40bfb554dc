package warehouse_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nianbao/nianbao/internal/synth"
	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

func TestZZProfile(t *testing.T) {
	path := os.Getenv("PROFILE_DB")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	_, statErr := os.Stat(path)
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if statErr != nil {
		n, _ := strconv.Atoi(os.Getenv("PROFILE_N"))
		start := time.Now()
		var loads []warehouse.Load
		for g := range synth.Reports(synth.Options{Agencies: n}) {
			loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256,
				RegionCode: g.RegionCode, Portal: g.Portal, ExtractorVersion: "synth"})
		}
		if _, err := db.LoadReports(ctx, loads); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated in %s", time.Since(start))
	}
	q, _ := queries.Get(os.Getenv("PROFILE_Q"))
	if raw := os.Getenv("PROFILE_SQL"); raw != "" {
		q = queries.Query{SQL: raw}
	}
	args := []any{}
	for _, p := range q.Params {
		args = append(args, sql.Named(p.Name, nil))
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{"set enable_profiling = 'json'", "set profiling_output = '/tmp/prof.json'", "set profiling_mode = 'detailed'"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	rows, err := conn.QueryContext(ctx, q.SQL, args...)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	t.Logf("took %s, %d rows", time.Since(start), n)
	fmt.Print()
}
