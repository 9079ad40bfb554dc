package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strconv"
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
	if err := db.RefreshFacts(ctx); err != nil {
		return nil, fmt.Errorf("run query %s: %w", name, err)
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
	// One scan buffer for all rows; each row's values get their own slice.
	scanned := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range scanned {
		ptrs[i] = &scanned[i]
	}
	// National reports return millions of decimals, mostly the same few
	// small counts: their strings are made once per query, the whole ones
	// found by index (a map lookup per value showed in profiles).
	small := map[decimalKey]any{}
	var whole [smallWhole]any
	var block []any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		// Rows are cut from blocks of 1024: one allocation per row was a
		// third of a national trend's garbage.
		if len(block) < len(types) {
			block = make([]any, len(types)*1024)
		}
		vals := block[:len(types):len(types)]
		block = block[len(types):]
		for i, v := range scanned {
			switch x := v.(type) {
			case time.Time:
				if dates[i] {
					vals[i] = x.Format(time.DateOnly)
					continue
				}
			case duckdb.Decimal:
				if x.Value != nil && x.Value.IsInt64() {
					k := decimalKey{x.Value.Int64(), x.Scale}
					if x.Scale < uint8(len(pow10)) && k.v >= 0 && k.v%pow10[x.Scale] == 0 && k.v/pow10[x.Scale] < smallWhole {
						w := k.v / pow10[x.Scale]
						if whole[w] == nil {
							whole[w] = strconv.FormatInt(w, 10)
						}
						vals[i] = whole[w]
						continue
					}
					if k.v >= -smallDecimals && k.v <= smallDecimals {
						s, ok := small[k]
						if !ok {
							s = decimalString(x)
							small[k] = s
						}
						vals[i] = s
						continue
					}
				}
			}
			vals[i] = exact(v)
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// smallDecimals bounds the unscaled values collect shares strings for;
// smallWhole the whole numbers it finds by index.
const (
	smallDecimals = 1 << 20
	smallWhole    = 1 << 12
)

// pow10[s] is 10^s for the scales whole decimals are recognised at.
var pow10 = [...]int64{1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000}

type decimalKey struct {
	v     int64
	scale uint8
}

// exact converts driver values that would otherwise be printed inexactly or
// opaquely: decimals and huge integers become exact strings, recursively
// inside lists, structs and maps.
func exact(v any) any {
	switch x := v.(type) {
	case duckdb.Decimal:
		return decimalString(x)
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

// decimalString is duckdb.Decimal.String without its big.Int formatting
// for the values that fit an int64 (all of a DECIMAL(18,4)): a national
// trend is millions of values, and big.Int.String dominated collecting them.
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil || !d.Value.IsInt64() {
		return d.String()
	}
	v := d.Value.Int64()
	if v == 0 {
		return "0"
	}
	var sign string
	u := uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-v) // -MinInt64 wraps to its own magnitude
	}
	digits := strconv.FormatUint(u, 10)
	trimmed := strings.TrimRight(digits, "0")
	scale := int(d.Scale) - (len(digits) - len(trimmed))
	switch {
	case scale <= 0:
		return sign + trimmed + strings.Repeat("0", -scale)
	case len(trimmed) <= scale:
		return sign + "0." + strings.Repeat("0", scale-len(trimmed)) + trimmed
	}
	return sign + trimmed[:len(trimmed)-scale] + "." + trimmed[len(trimmed)-scale:]
}
