package extract_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// TestFixtures runs every testdata/<case>.{html,txt} page with an
// <case>.expect.json beside it, and compares the whole report with
// <case>.golden.json (the parse --json object; -update rewrites it).
func TestFixtures(t *testing.T) {
	pairs := findPairs(t, "testdata", ".expect.json")
	if len(pairs) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	for name, p := range pairs {
		t.Run(name, func(t *testing.T) {
			rep := mustParseFile(t, p.page)
			checkExpectation(t, rep, loadExpectation(t, p.expect))
			got, err := json.MarshalIndent(rep, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -run TestFixtures -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (review, then -update):\n%s", golden, firstDiff(string(got), string(want)))
			}
		})
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
