package site

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/output"
	"github.com/nianbao/nianbao/warehouse"
)

// table is one canned query's result with its columns by name: every page
// is a view of such results, never of SQL of its own.
type table struct {
	cols []string
	idx  map[string]int
	rows []row
}

// row is one result row, read by column name.
type row struct {
	t    *table
	vals []any
}

func newTable(res *warehouse.Result) *table {
	t := &table{cols: res.Columns, idx: map[string]int{}}
	for i, c := range res.Columns {
		t.idx[c] = i
	}
	t.rows = make([]row, len(res.Rows))
	for i, r := range res.Rows {
		t.rows[i] = row{t: t, vals: r}
	}
	return t
}

// run runs the canned query name with params, wrapping its error with the
// page it was for.
func run(ctx context.Context, db *warehouse.DB, name string, params map[string]string) (*table, error) {
	res, err := db.Run(ctx, name, params)
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	return newTable(res), nil
}

// raw is the value of col (nil when NULL or no such column).
func (r row) raw(col string) any {
	i, ok := r.t.idx[col]
	if !ok {
		return nil
	}
	return r.vals[i]
}

// S is col as text, "" for NULL.
func (r row) S(col string) string {
	s, _ := output.Text(r.raw(col))
	return s
}

// Null reports whether col is NULL.
func (r row) Null(col string) bool { return r.raw(col) == nil }

// I is col as an integer (0 for NULL or not a number).
func (r row) I(col string) int64 {
	n, _ := strconv.ParseInt(r.S(col), 10, 64)
	return n
}

// B is col as a boolean.
func (r row) B(col string) bool {
	b, _ := r.raw(col).(bool)
	return b
}

// key is the row's values joined, for hashing what a page shows.
func (r row) key() string {
	var b strings.Builder
	for i := range r.vals {
		s, _ := output.Text(r.vals[i])
		b.WriteString(s)
		b.WriteByte(0x1f)
	}
	return b.String()
}

// ids joins report ids for a query's report parameter.
func ids(list []int64) string {
	parts := make([]string, len(list))
	for i, id := range list {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
