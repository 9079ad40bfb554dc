package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
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
	// Types are the columns' DuckDB base type names (DECIMAL, BIGINT,
	// VARCHAR, …), so writers can tell a number from text that looks like one.
	Types []string
	Rows  [][]any
}

// Run executes the canned query name (see [queries.All]) with the given
// parameters, bound by name, never spliced into the SQL. A parameter given
// as "" means "not given": that filter is off. Unknown query names or
// parameter names are errors that list the valid ones.
func (db *DB) Run(ctx context.Context, name string, params map[string]string) (*Result, error) {
	res := &Result{}
	if err := db.RunTo(ctx, res, name, params); err != nil {
		return nil, err
	}
	return res, nil
}

// RunTo is [DB.Run] giving the rows to sink as they are read.
func (db *DB) RunTo(ctx context.Context, sink Sink, name string, params map[string]string) error {
	q, ok := queries.Get(name)
	if !ok {
		return fmt.Errorf("run query %q: no such query; valid names: %s", name, strings.Join(queries.Names(""), ", "))
	}
	args, err := bindParams(q, params)
	if err != nil {
		return err
	}
	if err := db.RefreshFacts(ctx); err != nil {
		return fmt.Errorf("run query %s: %w", name, err)
	}
	if err := db.queryTo(ctx, sink, q.SQL, args...); err != nil {
		var se sinkError
		if errors.As(err, &se) {
			return se.err
		}
		return fmt.Errorf("run query %s on %s: %w", name, db.Path, err)
	}
	return nil
}

// A Sink receives a query's result as it is read, so that a national
// query of millions of rows need not be held in memory: Begin once with
// the columns and their types (as [Result] has them), then Row for each
// row in order, its values as [Result] documents (the slice is the
// sink's to keep). An error from the sink stops the query and is returned
// as it is.
type Sink interface {
	Begin(columns, types []string) error
	Row(vals []any) error
}

// Begin and Row make a Result the Sink that keeps every row.
func (r *Result) Begin(columns, types []string) error {
	r.Columns, r.Types, r.Rows = columns, types, [][]any{}
	return nil
}

// Row appends one row; see Begin.
func (r *Result) Row(vals []any) error {
	r.Rows = append(r.Rows, vals)
	return nil
}

// sinkError marks an error of the sink (a closed pipe), which callers
// return unwrapped: it is not the query's.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }

// bindParams turns params into named arguments for every parameter q
// declares (its default when absent or "", else nil), rejecting names q
// does not declare.
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
	for k, v := range params {
		if err := q.CheckParam(k, v); err != nil {
			return nil, fmt.Errorf("run query %s: %w", q.Name, err)
		}
	}
	args := make([]any, 0, len(q.Params))
	for _, p := range q.Params {
		var v any
		s := params[p.Name]
		if s == "" {
			s = p.Default // the header's `= default`: the query's, whoever runs it
		}
		if s != "" {
			v = s
		}
		args = append(args, sql.Named(p.Name, v))
	}
	return args, nil
}

// Query runs one SQL statement with bound arguments and collects every row
// into a [Result], converting values as documented there. It serves ad-hoc
// SQL (`nianbao sql`) as well as the canned queries.
//
// A SELECT's DECIMAL columns of width up to 18 are fetched as their
// unscaled BIGINT (value × 10^scale, exact) and formatted in Go: the driver
// boxes each DECIMAL in a big.Int — three allocations a value — and a
// national trend is 6 million of them, which this halves. Rows, order and
// strings are the same either way.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*Result, error) {
	res := &Result{}
	if err := db.QueryTo(ctx, res, query, args...); err != nil {
		return nil, err
	}
	return res, nil
}

// QueryTo is [DB.Query] giving the rows to sink as they are read.
func (db *DB) QueryTo(ctx context.Context, sink Sink, query string, args ...any) error {
	err := db.queryTo(ctx, sink, query, args...)
	var se sinkError
	if errors.As(err, &se) {
		return se.err
	}
	return err
}

// queryTo is QueryTo with the sink's errors wrapped in a sinkError, for
// RunTo to tell them from the query's.
func (db *DB) queryTo(ctx context.Context, sink Sink, query string, args ...any) error {
	query, scales := db.unscaledQuery(ctx, query)
	rows, err := db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return scan(rows, scales, sink)
}

// resultColumn is one column a prepared statement returns.
type resultColumn struct {
	name  string
	scale int // a DECIMAL's scale when it fits an int64 and pow10, else -1
}

// unscaledQuery is query rewritten to fetch its DECIMAL columns unscaled,
// with their scales (see Query), or query itself and nil when there is
// nothing to gain or it cannot be done: a statement that is not one
// SELECT, or does not prepare (running it says best what is wrong), or
// whose rewrite does not prepare (a trailing comment after a semicolon).
func (db *DB) unscaledQuery(ctx context.Context, query string) (string, []int) {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return query, nil
	}
	defer conn.Close()
	wrapped, scales := query, []int(nil)
	_ = conn.Raw(func(dc any) error { // an error leaves query as given
		cols, err := describe(ctx, dc.(driver.ConnPrepareContext), query)
		if err != nil {
			return err
		}
		w, sc := unscaledDecimals(query, cols)
		if sc == nil {
			return nil
		}
		if _, err := describe(ctx, dc.(driver.ConnPrepareContext), w); err != nil {
			return err
		}
		wrapped, scales = w, sc
		return nil
	})
	return wrapped, scales
}

// describe prepares query, without running it, for its result columns;
// statements other than one SELECT have none to describe.
func describe(ctx context.Context, conn driver.ConnPrepareContext, query string) ([]resultColumn, error) {
	prepared, err := conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer prepared.Close()
	var st *duckdb.Stmt
	switch s := prepared.(type) {
	case *duckdb.Stmt:
		st = s
	case *readOnlyStmt:
		st = s.Stmt
	default:
		return nil, fmt.Errorf("describe: unexpected statement type %T", prepared)
	}
	if t, err := st.StatementType(); err != nil || t != duckdb.STATEMENT_TYPE_SELECT {
		return nil, errNotSelect
	}
	n, err := st.ColumnCount()
	if err != nil {
		return nil, err
	}
	cols := make([]resultColumn, 0, n)
	for i := range n {
		name, err := st.ColumnName(i)
		if err != nil {
			return nil, err
		}
		info, err := st.ColumnTypeInfo(i)
		if err != nil {
			return nil, err
		}
		col := resultColumn{name: name, scale: -1}
		if d, ok := info.Details().(*duckdb.DecimalDetails); ok && d.Width <= 18 && int(d.Scale) < len(pow10) {
			col.scale = int(d.Scale)
		}
		cols = append(cols, col)
	}
	return cols, nil
}

var errNotSelect = errors.New("not a SELECT statement")

// unscaledDecimals wraps query so that each DECIMAL column of cols comes
// back as its unscaled BIGINT, and says which (scales[i] ≥ 0). A query
// with no such column, or with two columns of one name, is left as is.
// The wrapper is a projection over the query, which keeps its row order.
func unscaledDecimals(query string, cols []resultColumn) (string, []int) {
	scales := make([]int, len(cols))
	seen := map[string]bool{}
	some := false
	for i, c := range cols {
		if seen[c.name] {
			return query, nil
		}
		seen[c.name] = true
		scales[i] = c.scale
		some = some || c.scale >= 0
	}
	if !some {
		return query, nil
	}
	sel := make([]string, len(cols))
	for i, c := range cols {
		q := `q."` + strings.ReplaceAll(c.name, `"`, `""`) + `"`
		if c.scale >= 0 {
			// Whole and fractional parts apart, all in BIGINT: x * 10^s
			// itself is checked against x's width (10^14 · 10^4 would
			// "overflow"), and widening to DECIMAL(38) costs more than the
			// driver's big.Int.
			sel[i] = fmt.Sprintf("cast(trunc(%[1]s) as bigint) * %[2]d + cast((%[1]s - trunc(%[1]s)) * %[2]d as bigint) as %[3]s",
				q, pow10[c.scale], q[2:])
		} else {
			sel[i] = q
		}
	}
	return "select " + strings.Join(sel, ", ") + " from (\n" + strings.TrimRight(strings.TrimSpace(query), ";") + "\n) as q", scales
}

// scan gives rows to sink; a column with scales[i] ≥ 0 holds unscaled
// BIGINTs of that scale (see Query).
func scan(rows *sql.Rows, scales []int, sink Sink) error {
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	names, typeNames := make([]string, len(types)), make([]string, len(types))
	dates := make([]bool, len(types))
	for i, t := range types {
		names[i] = t.Name()
		// The base type name (DECIMAL, not DECIMAL(18,6)): a column fetched
		// unscaled as BIGINT is still a DECIMAL.
		typeNames[i], _, _ = strings.Cut(t.DatabaseTypeName(), "(")
		if scales != nil && scales[i] >= 0 {
			typeNames[i] = "DECIMAL"
		}
		dates[i] = typeNames[i] == "DATE"
	}
	if err := sink.Begin(names, typeNames); err != nil {
		return sinkError{err}
	}
	// One scan buffer for all rows; each row's values get their own slice.
	scanned := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range scanned {
		ptrs[i] = &scanned[i]
	}
	cache := newDecimalCache()
	var block []any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		// Rows are cut from blocks of 1024: one allocation per row was a
		// third of a national trend's garbage.
		if len(block) < len(types) {
			block = make([]any, len(types)*1024)
		}
		vals := block[:len(types):len(types)]
		block = block[len(types):]
		for i, v := range scanned {
			if scales != nil && scales[i] >= 0 && v != nil {
				vals[i] = cache.unscaled(v.(int64), uint8(scales[i]))
				continue
			}
			switch x := v.(type) {
			case time.Time:
				if dates[i] {
					vals[i] = x.Format(time.DateOnly)
					continue
				}
			case duckdb.Decimal:
				if x.Value != nil && x.Value.IsInt64() && int(x.Scale) < len(pow10) {
					vals[i] = cache.unscaled(x.Value.Int64(), x.Scale)
					continue
				}
			}
			vals[i] = exact(v)
		}
		if err := sink.Row(vals); err != nil {
			return sinkError{err}
		}
	}
	return rows.Err()
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

// decimalCache makes the exact strings of decimals given unscaled. National
// reports return millions of decimals, mostly the same few small counts:
// their strings are made once per query, the whole ones found by index (a
// map lookup per value showed in profiles).
type decimalCache struct {
	small map[decimalKey]any
	whole [smallWhole]any
}

func newDecimalCache() *decimalCache {
	return &decimalCache{small: map[decimalKey]any{}}
}

// unscaled is the string of v / 10^scale; scale < len(pow10).
func (c *decimalCache) unscaled(v int64, scale uint8) any {
	if v >= 0 && v%pow10[scale] == 0 && v/pow10[scale] < smallWhole {
		w := v / pow10[scale]
		if c.whole[w] == nil {
			c.whole[w] = strconv.FormatInt(w, 10)
		}
		return c.whole[w]
	}
	if v < -smallDecimals || v > smallDecimals {
		return formatUnscaled(v, scale)
	}
	k := decimalKey{v, scale}
	s, ok := c.small[k]
	if !ok {
		s = formatUnscaled(v, scale)
		c.small[k] = s
	}
	return s
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
// for the values that fit an int64 (all of a DECIMAL(18,6)): a national
// trend is millions of values, and big.Int.String dominated collecting them.
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil || !d.Value.IsInt64() {
		return d.String()
	}
	return formatUnscaled(d.Value.Int64(), d.Scale)
}

// formatUnscaled writes v / 10^scale exactly, without trailing zeros.
func formatUnscaled(v int64, scale uint8) string {
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
	sc := int(scale) - (len(digits) - len(trimmed))
	switch {
	case sc <= 0:
		return sign + trimmed + strings.Repeat("0", -sc)
	case len(trimmed) <= sc:
		return sign + "0." + strings.Repeat("0", sc-len(trimmed)) + trimmed
	}
	return sign + trimmed[:len(trimmed)-sc] + "." + trimmed[len(trimmed)-sc:]
}
