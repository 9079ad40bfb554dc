package warehouse

import (
	"errors"
	"fmt"
	"strings"
)

// cellScale is the scale of cells.value, DECIMAL(18, 4).
const (
	cellWidth = 18
	cellScale = 4
)

var errDecimal = errors.New("not a decimal(18,4)")

// parseScaled reads a decimal string exactly as printed ("3", "-1.5",
// "1234.5678") into its value times 10^4, the unscaled integer DuckDB stores
// for DECIMAL(18,4). It never rounds: more than four significant fractional
// digits, or more than fourteen integer digits, is an error.
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
