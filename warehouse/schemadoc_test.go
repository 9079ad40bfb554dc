package warehouse_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

// TestSchemaDocExamples runs every example query of docs/schema.md against
// a loaded database, and checks that every table and view is documented.
func TestSchemaDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "schema.md"))
	if err != nil {
		t.Skipf("docs/schema.md: %v", err)
	}
	ctx := context.Background()
	db, _ := openWarehouse(t)
	r := sampleReport("https://gov.example/nb.html", "新乡市牧野区人民政府", 2022, "7")
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: r, PageSHA256: "a", RegionCode: "410711", ExtractorVersion: "v1"}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "export")
	if err := db.ExportParquet(ctx, dir); err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 10 {
		t.Fatalf("docs/schema.md has %d sql blocks; want one per table and view", len(blocks))
	}
	n := 0
	for _, b := range blocks {
		for _, stmt := range strings.Split(b[1], ";") {
			var lines []string
			for _, l := range strings.Split(stmt, "\n") {
				if !strings.HasPrefix(strings.TrimSpace(l), "--") {
					lines = append(lines, l)
				}
			}
			q := strings.TrimSpace(strings.Join(lines, "\n"))
			if q == "" {
				continue
			}
			n++
			q = strings.ReplaceAll(q, "'DIR/", "'"+dir+"/")
			rows, err := db.SQL.QueryContext(ctx, q)
			if err != nil {
				t.Errorf("example query fails: %v\n%s", err, q)
				continue
			}
			rows.Close()
		}
	}
	rows, err := db.SQL.QueryContext(ctx, `select table_name from information_schema.tables where table_schema = 'main'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/schema.md does not document %s", name)
		}
	}
	t.Logf("%d example queries ran", n)
}
