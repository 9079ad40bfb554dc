package extract_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/nianbao/nianbao/extract"
)

// benchPages returns the corpus pages when ../shared is present, and the
// testdata fixtures always, keyed by a short name.
func benchPages(b *testing.B) map[string][]byte {
	b.Helper()
	pages := map[string][]byte{}
	if dir := sharedDir(); dir != "" {
		for _, pat := range []string{"*.html", "*.txt"} {
			files, _ := filepath.Glob(filepath.Join(dir, "corpus", pat))
			for _, f := range files {
				pages["corpus/"+filepath.Base(f)] = mustRead(b, f)
			}
		}
	}
	return pages
}

// fixturePages returns the HTML fixtures of testdata.
func fixturePages(b *testing.B) [][]byte {
	b.Helper()
	var all [][]byte
	files, _ := filepath.Glob("testdata/*.html")
	for _, f := range files {
		all = append(all, mustRead(b, f))
	}
	return all
}

// benchFixtures runs fn over every fixture per iteration.
func benchFixtures(b *testing.B, fn func([]byte) error) {
	pages := fixturePages(b)
	n := 0
	for _, p := range pages {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if err := fn(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "pages/s")
}

func parseOnly(body []byte) error {
	_, err := html.Parse(bytes.NewReader(body))
	return err
}

func extractOnly(body []byte) error {
	_, err := extract.Parse(extract.Input{Source: "bench.html", Body: body})
	return err
}

// BenchmarkParseOnly is the floor: golang.org/x/net/html.Parse on the same
// bytes (plain-text pages are skipped: they have no HTML to parse).
func BenchmarkParseOnly(b *testing.B) {
	for name, body := range benchPages(b) {
		if strings.HasSuffix(name, ".txt") {
			continue
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := parseOnly(body); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
	b.Run("fixtures", func(b *testing.B) { benchFixtures(b, parseOnly) })
}

// BenchmarkExtract is the whole of Parse: decoding, DOM, grid, cells,
// metadata and sections.
func BenchmarkExtract(b *testing.B) {
	for name, body := range benchPages(b) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extract.Parse(extract.Input{Source: name, Body: body}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
	b.Run("fixtures", func(b *testing.B) { benchFixtures(b, extractOnly) })
}

// BenchmarkRatio interleaves parse-only and extraction on the same bytes,
// so that a busy machine slows both alike, and reports extraction's
// throughput as a fraction of parse-only throughput ("x-parse-only";
// the target is ≥ 0.5).
func BenchmarkRatio(b *testing.B) {
	sets := map[string][][]byte{"fixtures": fixturePages(b)}
	for name, body := range benchPages(b) {
		if strings.HasSuffix(name, ".html") {
			sets[name] = [][]byte{body}
		}
	}
	for name, pages := range sets {
		b.Run(name, func(b *testing.B) {
			var parse, extr time.Duration
			for b.Loop() {
				for _, p := range pages {
					t0 := time.Now()
					if err := parseOnly(p); err != nil {
						b.Fatal(err)
					}
					t1 := time.Now()
					if err := extractOnly(p); err != nil {
						b.Fatal(err)
					}
					parse += t1.Sub(t0)
					extr += time.Since(t1)
				}
			}
			b.ReportMetric(parse.Seconds()/extr.Seconds(), "x-parse-only")
		})
	}
}
