package warehouse

import (
	"errors"
	"fmt"
	"strings"
)

// cellWidth and cellScale are those of cells.value and every derived
// value column, DECIMAL(18, 6) (migrations 010, 011): twelve integer digits and
// six fractional ones, the most an int64 holds with six decimals — so
// values are appended and fetched as unscaled int64s, never big.Int.
const (
	cellWidth = 18
	cellScale = 6
)

// cellUnit is 10^cellScale, the unscaled value of 1.
const cellUnit = 1_000_000

var errDecimal = errors.New("not a decimal(18,6)")

// WarnValueOutOfRange is the warning code of a printed value that
// DECIMAL(18,6) cannot hold exactly: the cell is stored with a NULL value
// and its raw text, and the report says which cell.
const WarnValueOutOfRange = "value_out_of_range"

// parseScaled reads a decimal string exactly as printed ("3", "-1.5",
// "4166.241619") into its value times 10^6, the unscaled integer DuckDB
// stores for DECIMAL(18,6). It never rounds: more than six significant
// fractional digits, or more than twelve integer digits, is an error.
func parseScaled(s string) (int64, error) {
	orig := s
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	if (intPart == "" && frac == "" && !strings.ContainsAny(s, "0")) || len(frac) > cellScale || len(intPart) > cellWidth-cellScale {
		return 0, fmt.Errorf("%q: %w", orig, errDecimal)
	}
	var v int64
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q: %w", orig, errDecimal)
		}
		v = v*10 + int64(c-'0')
	}
	for i := 0; i < cellScale; i++ {
		v *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("%q: %w", orig, errDecimal)
			}
			v += int64(c - '0')
		}
	}
	if neg {
		v = -v
	}
	return v, nil
}
