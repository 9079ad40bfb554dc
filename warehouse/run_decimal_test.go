package warehouse

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/queries"
)

// TestDecimalString: the int64 fast path prints exactly what
// duckdb.Decimal.String prints.
func TestDecimalString(t *testing.T) {
	values := []int64{0, 1, -1, 7, 10, 100, 20000, 940121, -940121, 5, -5, 1234567890123456789,
		math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 999999999999999999, 10000, -10000}
	for _, scale := range []uint8{0, 1, 2, 4, 18} {
		for _, v := range values {
			d := duckdb.Decimal{Width: 18, Scale: scale, Value: big.NewInt(v)}
			if got, want := decimalString(d), d.String(); got != want {
				t.Errorf("decimalString(%d scale %d) = %q; want %q", v, scale, got, want)
			}
		}
	}
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	d := duckdb.Decimal{Width: 38, Scale: 4, Value: huge}
	if got, want := decimalString(d), "12345678901234567890123456.789"; got != want {
		t.Errorf("decimalString(huge) = %q; want %q", got, want)
	}
}

// queryPlain is Query without the unscaled fetch: the driver's own
// DECIMALs, the reference the fast path must match.
func queryPlain(t *testing.T, db *DB, q string, args ...any) *Result {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	res := &Result{}
	if err := scan(rows, nil, res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestQueryDecimals: DECIMALs fetched unscaled read exactly as the driver's
// own DECIMALs do — negative, tiny, huge, NULL, scale 0 — while wider ones
// and other types pass through, in the query's order.
func TestQueryDecimals(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "d.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const q = `select * from (values
		(1, 1.5::decimal(18,4), 2::decimal(38,4), 'a', 7::decimal(4,0), 0.25::decimal(7,2)),
		(2, -0.0001::decimal(18,4), 12345678901234567890.5::decimal(38,4), 'b', -7::decimal(4,0), null::decimal(7,2)),
		(3, 12345678901234.5678::decimal(18,4), null::decimal(38,4), null, 0::decimal(4,0), 100::decimal(7,2)),
		(4, null::decimal(18,4), -1::decimal(38,4), 'd', 4095::decimal(4,0), -3.1::decimal(7,2))
	) as t(n, d18, d38, s, d4, pct) order by n desc`
	want := queryPlain(t, db, q)
	got, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Query =\n%v %v\nplain =\n%v %v", got.Columns, got.Rows, want.Columns, want.Rows)
	}
	if got.Rows[0][1] != nil || got.Rows[1][1] != "12345678901234.5678" || got.Rows[2][1] != "-0.0001" || got.Rows[3][5] != "0.25" {
		t.Errorf("rows = %v", got.Rows)
	}
	if _, scales := unscaledDecimals(q, []resultColumn{{"a", 4}, {"a", -1}}); scales != nil {
		t.Error("two columns of one name: the query must be left as is")
	}
	// What a researcher types: a trailing semicolon and comment, and
	// statements that are not a SELECT.
	for _, tc := range []struct{ q, want string }{
		{"select 1.50::decimal(18,4) as v; -- one and a half\n", "1.5"},
		{"select 2.5::decimal(18,4) as v, 2.5::decimal(18,4) as v", "2.5"},
		{"select 4166.241619::decimal(18,6) as v", "4166.241619"}, // cells.value since migration 009
		{"select -999999999999.999999::decimal(18,6) as v", "-999999999999.999999"},
		{"pragma version", ""},
		{"describe cells", "report_id"},
	} {
		res, err := db.Query(ctx, tc.q)
		if err != nil {
			t.Errorf("Query(%q): %v", tc.q, err)
			continue
		}
		if tc.want != "" && (len(res.Rows) == 0 || res.Rows[0][0] != tc.want) {
			t.Errorf("Query(%q) = %v; want first value %q", tc.q, res.Rows, tc.want)
		}
	}
}

// TestCannedQueriesReadAsQuery: every canned query, on generated reports
// with flaws, returns through Run exactly the columns, rows and order the
// driver's own DECIMALs give.
func TestCannedQueriesReadAsQuery(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "q.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loads := synthLoads(40)
	// One report of the national format without its section 五, so
	// report_structure has a row.
	k := slices.IndexFunc(loads, func(l Load) bool { return l.Report.Year >= 2021 })
	loads[k].Report.Sections = slices.DeleteFunc(slices.Clone(loads[k].Report.Sections),
		func(s extract.Section) bool { return s.Number == 5 })
	if _, err := db.LoadReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	// One correction, so the corrections listing has a row to compare.
	if _, err := db.Correct(ctx, []Correction{{PageSHA256: loads[0].PageSHA256, Field: FieldPublished, Value: "2020-01-15", Origin: OriginCorrect}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Check(ctx, CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries.All() {
		t.Run(q.Name, func(t *testing.T) {
			got, err := db.Run(ctx, q.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			args, err := bindParams(q, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := queryPlain(t, db, q.SQL, args...)
			if len(want.Rows) == 0 && q.Name != "flagged" && q.Name != "revisions" && q.Name != "legal_subtotal" && q.Name != "stock_roll_forward" {
				t.Errorf("%s returned no rows: the comparison proves nothing", q.Name)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Run(%s) differs from the plain read: %d vs %d rows", q.Name, len(got.Rows), len(want.Rows))
			}
		})
	}
}

// BenchmarkQueryDecimals reads 100,000 rows of 16 DECIMAL(18,4) counts —
// the shape of a national trend — through Query (fetched unscaled) and
// through the driver's own DECIMALs, for the ratio between the two.
func BenchmarkQueryDecimals(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "b.duckdb"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cols := make([]string, 16)
	for i := range cols {
		cols[i] = fmt.Sprintf("cast((i * %d) %% 200 as decimal(18, 4)) as c%d", i+7, i)
	}
	if _, err := db.SQL.ExecContext(ctx, "create table wide as select i, "+strings.Join(cols, ", ")+" from range(100000) as t(i)"); err != nil {
		b.Fatal(err)
	}
	const q = "select * from wide order by i"
	b.Run("unscaled", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := db.Query(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("driver-decimals", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			rows, err := db.SQL.QueryContext(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if err := scan(rows, nil, &Result{}); err != nil {
				b.Fatal(err)
			}
			rows.Close()
		}
	})
}
