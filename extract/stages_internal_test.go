package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"

	"github.com/nianbao/nianbao/internal/charset"
)

// BenchmarkStages times Parse's stages one by one over the HTML fixtures,
// for profiling (go test ./extract -bench Stages -cpuprofile cpu.out):
// parse is html.Parse alone, readHTML adds the walk and the grids.
func BenchmarkStages(b *testing.B) {
	files, err := filepath.Glob("testdata/*.html")
	if err != nil || len(files) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	var pages [][]byte
	var ps []*page
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pg, err := readHTML(d)
		if err != nil {
			b.Fatalf("%s: %v", f, err)
		}
		pages, ps = append(pages, d), append(ps, pg)
	}
	stages := []struct {
		name string
		fn   func(i int)
	}{
		{"decode", func(i int) { charset.Decode(pages[i], "") }},
		{"parse", func(i int) { _, _ = html.Parse(bytes.NewReader(pages[i])) }},
		{"readHTML", func(i int) { _, _ = readHTML(pages[i]) }},
		{"readTables", func(i int) { readTables(&Report{}, ps[i]) }},
		{"metadata", func(i int) { metadata(&Report{}, ps[i]) }},
		{"sections", func(i int) { sections(ps[i]) }},
		{"Parse", func(i int) { _, _ = Parse(Input{Body: pages[i]}) }},
	}
	for _, st := range stages {
		b.Run(st.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := range pages {
					st.fn(i)
				}
			}
		})
	}
}
