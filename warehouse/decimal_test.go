package warehouse

import (
	"errors"
	"testing"
)

func TestParseScaled(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"0", 0, false},
		{"3", 3000000, false},
		{"-1.5", -1500000, false},
		{"+2", 2000000, false},
		{"94.0121", 94012100, false},
		{"4166.241619", 4166241619, false}, // 万元 to the fen and beyond (pingtan-2021)
		{"1.2345670", 1234567, false},      // trailing zeros are not precision
		{".5", 500000, false},
		{"999999999999.999999", 999999999999999999, false},
		{"-999999999999.999999", -999999999999999999, false},
		{"1.2345678", 0, true},     // would round
		{"1000000000000", 0, true}, // 13 integer digits overflow DECIMAL(18,6)
		{"", 0, true},
		{"-", 0, true},
		{".", 0, true},
		{"1e3", 0, true},
		{"1,000", 0, true},
		{"３", 0, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseScaled(tc.in)
			if tc.err {
				if !errors.Is(err, errDecimal) {
					t.Errorf("parseScaled(%q) = %d, %v; want errDecimal", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseScaled(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
		})
	}
}
