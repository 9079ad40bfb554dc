package extract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// TestHostileMarkup: spans and sizes that would explode a naive grid must
// neither hang nor exhaust memory.
func TestHostileMarkup(t *testing.T) {
	wide := strings.Repeat(`<td rowspan=100000 colspan=100000>1</td>`, 400)
	cases := []struct {
		name string
		body string
	}{
		{"huge spans", "<table>" + strings.Repeat("<tr>"+wide+"</tr>", 300) + "</table>"},
		{"deep nesting", strings.Repeat("<table><tr><td>", 3000) + "一、本年新收政府信息公开申请数量"},
		{"unclosed everything", strings.Repeat("<p><span><b>2021年", 20000)},
		{"long text line", strings.Repeat("一、本年新收 1 ", 50000)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			if _, err := extract.Parse(extract.Input{Source: tc.name, Body: []byte(tc.body)}); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Parse took %v", d)
			}
		})
	}
}
