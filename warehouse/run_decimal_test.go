package warehouse

import (
	"math"
	"math/big"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
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
