package warehouse_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

// BenchmarkLoadReports loads 100 agencies × 10 years (about 200,000 cells)
// into a fresh file per iteration and reports cells/s.
func BenchmarkLoadReports(b *testing.B) {
	ctx := context.Background()
	loads, _, cells := synthLoads(100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), warehouse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := db.LoadReports(ctx, loads); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkPagesToExtract measures the nightly listing of pages to extract
// over 100,000 report pages, each linking one attachment, each fetched on
// three nights (600,000 page rows) and already extracted: the cost a
// national night pays to find that nothing changed, with the attachment
// join (pages.go pageAttachments).
func BenchmarkPagesToExtract(b *testing.B) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), warehouse.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 100000
	for _, q := range []string{
		`insert into crawl_runs (id, kind, started_at, status) select i, 'crawl', timestamp '2026-01-01' + to_days(i::int), 'ok' from range(1, 4) as t(i)`,
		`insert into pages (run_id, portal, url, kind, fetched_at, status, sha256, archive_path)
		 select r.i, 'p', 'http://gov/nb/' || p.i || '.html', 'report', timestamp '2026-01-01' + to_days(r.i::int) + to_seconds(p.i::bigint / 10), 200, 'page' || p.i, 'a.warc'
		 from range(n) as p(i), range(1, 4) as r(i)`,
		`insert into pages (run_id, portal, url, parent_url, kind, fetched_at, status, sha256, archive_path)
		 select r.i, 'p', 'http://gov/nb/' || p.i || '.pdf', 'http://gov/nb/' || p.i || '.html', 'attachment', timestamp '2026-01-01' + to_days(r.i::int) + to_seconds(p.i::bigint / 10 + 1), 200, 'att' || p.i, 'a.warc'
		 from range(n) as p(i), range(1, 4) as r(i)`,
		`insert into reports (id, page_sha256, attachment_set, extractor_version, extracted_at)
		 select nextval('report_id'), 'page' || p.i, 'att' || p.i, 'v1', now() from range(n) as p(i)`,
	} {
		if _, err := db.SQL.ExecContext(ctx, strings.ReplaceAll(q, "range(n)", fmt.Sprintf("range(%d)", n))); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps, err := db.PagesToExtract(ctx, false, "v1")
		if err != nil {
			b.Fatal(err)
		}
		if len(ps) != 0 {
			b.Fatalf("%d pages pending; want 0", len(ps))
		}
	}
}
