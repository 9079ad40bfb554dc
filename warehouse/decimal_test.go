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
		{"3", 30000, false},
		{"-1.5", -15000, false},
		{"+2", 20000, false},
		{"94.0121", 940121, false},
		{"1.23450", 12345, false}, // trailing zeros are not precision
		{".5", 5000, false},
		{"99999999999999.9999", 999999999999999999, false},
		{"1.23456", 0, true},         // would round
		{"100000000000000", 0, true}, // 15 integer digits overflow DECIMAL(18,4)
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
