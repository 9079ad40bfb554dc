package output_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/nianbao/nianbao/output"
)

var (
	cols = []string{"agency", "year", "value"}
	rows = [][]any{
		{"新乡市牧野区人民政府", int64(2021), "94.0121"},
		{"平潭综合实验区管委会", int64(2020), nil},
		{"ab", int64(2019), "73802895.9"},
	}
)

func TestTableAlignsByDisplayWidth(t *testing.T) {
	var b bytes.Buffer
	if err := output.Write(&b, output.Table, cols, rows, output.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// Every data line's "year" column starts at the same display column.
	want := runewidth.StringWidth("新乡市牧野区人民政府") + 2
	for _, l := range lines[2:5] {
		idx := strings.Index(l, "20")
		if got := runewidth.StringWidth(l[:idx]); got != want {
			t.Errorf("year column of %q starts at display column %d; want %d", l, got, want)
		}
	}
	if !strings.Contains(lines[3], "NULL") {
		t.Errorf("null printed as %q; want NULL", lines[3])
	}
	if !strings.Contains(b.String(), "73802895.9") || !strings.Contains(b.String(), "(3 rows)") {
		t.Errorf("table output = %q; want exact decimals and a row count", b.String())
	}
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name  string
		excel bool
		bom   bool
	}{{"plain", false, false}, {"excel", true, true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := output.Write(&b, output.CSV, cols, rows, output.Options{Excel: tc.excel}); err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(b.String(), "\ufeff"); got != tc.bom {
				t.Errorf("BOM present = %v; want %v", got, tc.bom)
			}
			if !strings.Contains(b.String(), "平潭综合实验区管委会,2020,\n") {
				t.Errorf("csv = %q; want NULL as an empty field", b.String())
			}
		})
	}
}

func TestJSONLines(t *testing.T) {
	var b bytes.Buffer
	if err := output.Write(&b, output.JSON, cols, rows, output.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("json lines = %d; want one per row", len(lines))
	}
	if want := `{"agency":"新乡市牧野区人民政府","year":2021,"value":"94.0121"}`; lines[0] != want {
		t.Errorf("json line = %s; want %s", lines[0], want)
	}
	if !strings.Contains(lines[1], `"value":null`) {
		t.Errorf("json line = %s; want null", lines[1])
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := output.Write(&b, output.Markdown, cols, rows, output.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "| agency | year | value |\n|---|---:|---:|\n") {
		t.Errorf("md = %q", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"table", "csv", "json", "md", "markdown"} {
		if _, err := output.ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q) = %v", s, err)
		}
	}
	if _, err := output.ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "table, csv, json or md") {
		t.Errorf("ParseFormat(xlsx) = %v; want an error listing the formats", err)
	}
}

// TestTableExact pins the table layout byte for byte: numbers right-aligned
// (a column is numeric when every value printed is a number), text padded
// by display width, the last column without trailing spaces, line breaks
// and tabs in values as spaces.
func TestTableExact(t *testing.T) {
	var b bytes.Buffer
	err := output.Write(&b, output.Table, []string{"agency", "n", "note"}, [][]any{
		{"牧野区", int64(7), "a\nb"},
		{"ab", int64(12345), nil},
		{"x\ty", nil, "last  "},
	}, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "agency  n      note\n" +
		"------  -----  ------\n" + // the widest note is "last  "
		"牧野区      7  a b\n" +
		"ab      12345  NULL\n" +
		"x y      NULL  last\n" +
		"(3 rows)\n"
	if b.String() != want {
		t.Errorf("table =\n%s\nwant\n%s", b.String(), want)
	}
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// TestStreamPrintsAsItGoes: CSV and JSON rows reach the writer before the
// stream ends (a national query is not held in memory); a table, whose
// widths depend on every row, is printed at Close.
func TestStreamPrintsAsItGoes(t *testing.T) {
	for _, c := range []struct {
		f      output.Format
		before bool
	}{{output.CSV, true}, {output.JSON, true}, {output.Table, false}, {output.Markdown, false}} {
		var w countingWriter
		s, err := output.NewStream(&w, c.f, cols, output.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for range 10000 {
			if err := s.Row(rows[0]); err != nil {
				t.Fatal(err)
			}
		}
		if got := w.n > 100000; got != c.before {
			t.Errorf("%s: %d bytes written before Close; want printing as it goes = %v", c.f, w.n, c.before)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if w.n < 10000*20 {
			t.Errorf("%s: %d bytes after Close; want every row", c.f, w.n)
		}
	}
}
