package queries_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

func TestAllListsEveryFile(t *testing.T) {
	files, err := filepath.Glob("*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, strings.TrimSuffix(f, ".sql"))
	}
	var got []string
	for _, q := range queries.All() {
		got = append(got, q.Name)
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("All() names = %v; want the .sql files %v", got, want)
	}
	for _, name := range want {
		if q, ok := queries.Get(name); !ok || q.Name != name {
			t.Errorf("Get(%q) = %v, %v; want the query", name, q.Name, ok)
		}
	}
	if _, ok := queries.Get("no_such_query"); ok {
		t.Error(`Get("no_such_query") found a query`)
	}
}

var paramRef = regexp.MustCompile(`\$([a-z_]+)`)

func TestHeaders(t *testing.T) {
	for _, q := range queries.All() {
		t.Run(q.Name, func(t *testing.T) {
			if q.Description == "" || q.Returns == "" {
				t.Errorf("description %q, returns %q; want both", q.Description, q.Returns)
			}
			if q.Kind != queries.KindCheck && q.Kind != queries.KindReport {
				t.Errorf("kind = %q", q.Kind)
			}
			// Every declared parameter is used and every $name is declared:
			// Run binds exactly the declared ones.
			used := map[string]bool{}
			for _, m := range paramRef.FindAllStringSubmatch(q.SQL, -1) {
				used[m[1]] = true
			}
			for _, p := range q.Params {
				if !used[p.Name] {
					t.Errorf("param %s declared but $%s not used", p.Name, p.Name)
				}
				delete(used, p.Name)
			}
			for name := range used {
				t.Errorf("$%s used but not declared in -- params:", name)
			}
			if q.Kind == queries.KindCheck {
				if got := strings.Join(q.ParamNames(), ","); got != "year,region" {
					t.Errorf("check params = %s; want year,region (Check binds both)", got)
				}
			}
			// style.md §21: lines under 80 columns (CJK counts 2).
			for i, line := range strings.Split(q.SQL, "\n") {
				if w := runewidth.StringWidth(line); w > 80 {
					t.Errorf("line %d is %d columns wide: %s", i+1, w, line)
				}
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, file, sql string
		wantErr         string
		wantParams      []string
	}{
		{"complete", "x", "-- name: x\n-- kind: report\n-- description: d\n--   continued\n-- params: a: first; b: second\n-- returns: r\nselect 1", "", []string{"a", "b"}},
		{"no params", "x", "-- name: x\n-- kind: check\n-- description: d\n-- params: none\n-- returns: r\nselect 1", "", nil},
		{"missing returns", "x", "-- name: x\n-- kind: check\n-- description: d\n-- params: none\nselect 1", "lacks `-- returns:`", nil},
		{"name differs from file", "y", "-- name: x\n-- kind: check\n-- description: d\n-- params: none\n-- returns: r\n", "differs from the file name", nil},
		{"bad kind", "x", "-- name: x\n-- kind: view\n-- description: d\n-- params: none\n-- returns: r\n", `kind "view"`, nil},
		{"param without description", "x", "-- name: x\n-- kind: report\n-- description: d\n-- params: year\n-- returns: r\n", `param "year"`, nil},
		{"header ends at the first SQL line", "x", "-- name: x\n-- kind: report\n-- description: d\nselect 1\n-- params: none\n-- returns: r\n", "lacks `-- params:`", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := queries.Parse(tc.file, tc.sql)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse error = %v; want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := q.ParamNames(); !slices.Equal(got, tc.wantParams) && len(got)+len(tc.wantParams) > 0 {
				t.Errorf("params = %v; want %v", got, tc.wantParams)
			}
			if tc.name == "complete" && q.Description != "d continued" {
				t.Errorf("description = %q; want the continuation joined", q.Description)
			}
		})
	}
}

// TestRunOnEmptyDatabase runs every query, unfiltered and filtered, on a
// freshly migrated database: each must succeed (checks with zero rows).
func TestRunOnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "empty.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries.All() {
		t.Run(q.Name, func(t *testing.T) {
			res, err := db.Run(ctx, q.Name, nil)
			if err != nil {
				t.Fatalf("Run(%s) on an empty database: %v", q.Name, err)
			}
			if len(res.Columns) == 0 {
				t.Errorf("Run(%s) returned no columns", q.Name)
			}
			if q.Kind == queries.KindCheck {
				if got, want := strings.Join(res.Columns, ","), strings.Join(warehouse.CheckColumns, ","); got != want {
					t.Errorf("columns = %s; want %s", got, want)
				}
				if len(res.Rows) != 0 {
					t.Errorf("%d rows on an empty database; want 0", len(res.Rows))
				}
			}
			params := map[string]string{}
			for _, p := range q.Params {
				params[p.Name] = sampleValue(p.Name)
				if len(p.Values) > 0 {
					// A closed parameter takes only its values (CheckParam).
					params[p.Name] = p.Values[len(p.Values)-1]
				}
			}
			if _, err := db.Run(ctx, q.Name, params); err != nil {
				t.Errorf("Run(%s, %v): %v", q.Name, params, err)
			}
		})
	}
}

func sampleValue(param string) string {
	switch param {
	case "year":
		return "2021"
	case "region":
		return "41'07" // a quote: bound, so harmless
	case "metric":
		return "received"
	case "by":
		return "region"
	case "region_digits":
		return "4"
	case "min_n", "yoy_high", "zero_peers":
		return "10"
	case "yoy_low":
		return "0.2"
	case "as_of":
		return "2024-06-01"
	case "run", "since":
		return "1"
	case "indicator":
		return "granted_rate"
	}
	return "新乡市'牧野区"
}

// TestIndicatorDocs: docs/indicators.md lists every indicator file with
// its formula, numerator and denominator as its header states them.
func TestIndicatorDocs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "indicators.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	inds := queries.Indicators()
	if len(inds) < 15 {
		t.Fatalf("%d indicators; want the files of indicator/", len(inds))
	}
	for _, ind := range inds {
		row := fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s |", ind.Name, ind.Description, ind.Formula, ind.Numerator, ind.Denominator, ind.Unit)
		if !strings.Contains(doc, row) {
			t.Errorf("docs/indicators.md lacks the row\n%s", row)
		}
	}
}
