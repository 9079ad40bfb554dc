package warehouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// TestCodebookMatchesExtractor checks that the codebook table and the cell
// code ENUMs hold exactly the extractor's codes.
func TestCodebookMatchesExtractor(t *testing.T) {
	db, _ := openWarehouse(t)
	entries := extract.Codebook()
	if got := queryInt(t, db, `select count(*) from codebook`); got != int64(len(entries)) {
		t.Errorf("codebook rows = %d; want %d", got, len(entries))
	}
	ctx := context.Background()
	for _, e := range entries {
		enum := map[string]string{"row": "cell_row_code", "col": "cell_col_code"}[e.Kind]
		var n int
		err := db.SQL.QueryRowContext(ctx, `select count(*) from codebook
			where kind = ? and table_code = ? and code = ? and list_contains(enum_range(null::`+enum+`), ?)
			  and list_contains(enum_range(null::cell_table_code), ?)`, e.Kind, e.Table, e.Code, e.Code, e.Table).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("codebook %s %s %s: in table and enum %d times; want 1", e.Kind, e.Table, e.Code, n)
		}
	}
	// An unknown code is refused with the cell named, not stored.
	r := sampleReport("u", "甲县人民政府", 2021, "7")
	r.Cells[0].Row = "no_such_row"
	_, err := db.LoadReports(ctx, []warehouse.Load{{Report: r, PageSHA256: "x"}})
	if err == nil || !strings.Contains(err.Error(), "t3/no_such_row/natural") {
		t.Errorf("load with an unknown row code: err = %v; want an error naming t3/no_such_row/natural", err)
	}
}
