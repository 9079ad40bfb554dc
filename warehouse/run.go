package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/nianbao/nianbao/queries"
)

// Result is the outcome of a query: column names and rows in order.
// DECIMAL values are exact decimal strings ("20", "94.0121"), never float64;
// DATE values are "YYYY-MM-DD" strings; TIMESTAMP values are time.Time;
// NULL is nil.
type Result struct {
	Columns []string
	Rows    [][]any
}

// Run executes the canned query name (see [queries.All]) with the given
// parameters, bound by name, never spliced into the SQL. A parameter given
// as "" means "not given": that filter is off. Unknown query names or
// parameter names are errors that list the valid ones.
func (db *DB) Run(ctx context.Context, name string, params map[string]string) (*Result, error) {
	q, ok := queries.Get(name)
	if !ok {
		return nil, fmt.Errorf("run query %q: no such query; valid names: %s", name, strings.Join(queries.Names(""), ", "))
	}
	args, err := bindParams(q, params)
	if err != nil {
		return nil, err
	}
	res, err := db.Query(ctx, q.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("run query %s on %s: %w", name, db.Path, err)
	}
	return res, nil
}

// bindParams turns params into named arguments for every parameter q
// declares (nil when absent or ""), rejecting names q does not declare.
func bindParams(q queries.Query, params map[string]string) ([]any, error) {
	var unknown []string
	for k := range params {
		if !q.Param(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		valid := "none"
		if len(q.Params) > 0 {
			valid = strings.Join(q.ParamNames(), ", ")
		}
		return nil, fmt.Errorf("run query %s: unknown parameter %s; valid parameters: %s", q.Name, strings.Join(unknown, ", "), valid)
	}
	args := make([]any, 0, len(q.Params))
	for _, p := range q.Params {
		var v any
		if s := params[p.Name]; s != "" {
			v = s
		}
		args = append(args, sql.Named(p.Name, v))
	}
	return args, nil
}

// Query runs one SQL statement with bound arguments and collects every row
// into a [Result], converting values as documented there. It serves ad-hoc
// SQL (`nianbao sql`) as well as the canned queries.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*Result, error) {
	rows, err := db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return collect(rows)
}

func collect(rows *sql.Rows) (*Result, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: make([]string, len(types)), Rows: [][]any{}}
	dates := make([]bool, len(types))
	for i, t := range types {
		res.Columns[i] = t.Name()
		dates[i] = t.DatabaseTypeName() == "DATE"
	}
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if t, ok := v.(time.Time); ok && dates[i] {
				vals[i] = t.Format(time.DateOnly)
				continue
			}
			vals[i] = exact(v)
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// exact converts driver values that would otherwise be printed inexactly or
// opaquely: decimals and huge integers become exact strings, recursively
// inside lists, structs and maps.
func exact(v any) any {
	switch x := v.(type) {
	case duckdb.Decimal:
		return x.String()
	case *big.Int:
		return x.String()
	case duckdb.UUID:
		return x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = exact(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = exact(e)
		}
		return out
	case duckdb.Map:
		out := make(duckdb.Map, len(x))
		for k, e := range x {
			out[k] = exact(e)
		}
		return out
	}
	return v
}
