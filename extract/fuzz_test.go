package extract_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic (Parse's own
// recover turns a panic into an error, which fails here too) nor hang.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.html")
	txt, _ := filepath.Glob("testdata/*.txt")
	for _, p := range append(seeds, txt...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte("<table><tr><td rowspan=999999 colspan=999999>x</td></tr></table>"), "text/html")
	f.Add([]byte("\t一、本年新收政府信息公开申请数量\n\t1\n\t2\n"), "text/plain")
	f.Add([]byte("\xff\xfe<meta charset=gbk>\xb1\xa8\xb8\xe6"), "")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		start := time.Now()
		rep, err := extract.Parse(extract.Input{Source: "fuzz", Body: body, ContentType: ct})
		if err != nil {
			if len(body) > 0 {
				t.Fatalf("Parse: %v", err)
			}
			return
		}
		if rep == nil || rep.Format == "" {
			t.Fatalf("Parse returned %+v", rep)
		}
		for _, c := range rep.Cells {
			if c.Value != nil && *c.Value == "" {
				t.Fatalf("empty value in %+v", c)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Parse took %v on %d bytes", d, len(body))
		}
	})
}
