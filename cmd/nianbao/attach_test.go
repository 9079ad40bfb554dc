package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportAttachments: import takes a PDF, a scanned PDF and a broken
// one; the PDF's cells are stored with their page and box, and status
// counts reports by what they were read from and lists the attachments
// that could not be read, with why.
func TestImportAttachments(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "n.duckdb")
	pdf, err := os.ReadFile("../../extract/testdata/attach/full-2021.pdf")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"report.pdf": pdf, "broken.pdf": pdf[:len(pdf)/4]}
	if b, err := os.ReadFile("../../extract/testdata/attach/scan.pdf"); err == nil {
		files["scan.pdf"] = b
	}
	var paths []string
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if _, stderr, code := nianbao(t, "", append([]string{"import", "--db", db, "--agency", "青山区人民政府", "--year", "2021"}, paths...)...); code != 0 {
		t.Fatalf("import = exit %d: %s", code, stderr)
	}
	out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv",
		`select c.page, c.box from cells as c join reports as r on r.id = c.report_id
		 where r.source_kind = 'pdf' and c.table_code = 't3' and c.row_code = 'new' and c.col_code = 'natural'`)
	if code != 0 || !strings.Contains(out, "1,") || strings.Count(out, ",") < 4 {
		t.Errorf("sql page/box = exit %d %q %s", code, out, stderr)
	}
	out, stderr, code = nianbao(t, "", "status", "--db", db)
	if code != 0 {
		t.Fatalf("status = exit %d: %s", code, stderr)
	}
	for _, want := range []string{"source_kind", "pdf", "tables_are_images", "unreadable_attachment", "incorrect format"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
}
