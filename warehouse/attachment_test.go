package warehouse_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// TestAttachmentProvenance: a report read from a PDF is stored with what it
// was read from and the file's sha256, and SQL answers "where on which page
// is this number".
func TestAttachmentProvenance(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	body, err := os.ReadFile("../extract/testdata/attach/full-2021.pdf")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := extract.Parse(extract.Input{Source: "https://gov.example/P020220128.pdf", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: rep, PageSHA256: rep.SHA256, ExtractorVersion: extract.Version}}); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, db, `select source_kind || ' ' || attachment_sha256 from reports`); got != "pdf "+rep.SHA256 {
		t.Errorf("reports kind/sha = %q", got)
	}
	// The natural persons' 21 new applications: on page 1, in this box.
	want := cellMapOf(rep)["t3.new.natural"]
	got := queryString(t, db, `select c.raw || ' page ' || c.page || ' at ' || c.box
		from cells as c join reports as r on r.id = c.report_id
		where r.source_kind = 'pdf' and c.table_code = 't3' and c.row_code = 'new' and c.col_code = 'natural'`)
	if want.Box == nil || got != "21 page 1 at "+boxString(*want.Box) {
		t.Errorf("got %q; the extractor said page %d box %v", got, want.Page, want.Box)
	}
	if n := queryString(t, db, `select count(*) from cells where page is null or box is null`); n != "0" {
		t.Errorf("%s PDF cells without page or box", n)
	}
}

func cellMapOf(rep *extract.Report) map[string]extract.Cell {
	m := map[string]extract.Cell{}
	for _, c := range rep.Cells {
		m[c.Table+"."+c.Row+"."+c.Col] = c
	}
	return m
}

func boxString(b [4]float64) string {
	return trim(b[0]) + "," + trim(b[1]) + "," + trim(b[2]) + "," + trim(b[3])
}

func trim(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
