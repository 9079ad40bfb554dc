package extract_test

import (
	"bytes"
	"path/filepath"
	"slices"
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
// the target is ≥ 0.5). On a shared machine a single preempted call
// swings that sum, so it also reports the ratio of the per-page medians
// ("x-parse-only-median"), which such spikes do not move.
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
			parseT := make([][]time.Duration, len(pages))
			extrT := make([][]time.Duration, len(pages))
			for b.Loop() {
				for i, p := range pages {
					t0 := time.Now()
					if err := parseOnly(p); err != nil {
						b.Fatal(err)
					}
					t1 := time.Now()
					if err := extractOnly(p); err != nil {
						b.Fatal(err)
					}
					t2 := time.Now()
					parse += t1.Sub(t0)
					extr += t2.Sub(t1)
					parseT[i] = append(parseT[i], t1.Sub(t0))
					extrT[i] = append(extrT[i], t2.Sub(t1))
				}
			}
			b.ReportMetric(parse.Seconds()/extr.Seconds(), "x-parse-only")
			var mp, me time.Duration
			for i := range pages {
				mp += median(parseT[i])
				me += median(extrT[i])
			}
			b.ReportMetric(mp.Seconds()/me.Seconds(), "x-parse-only-median")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkParsePDF reads the PDFs bench/pdf-vs-pdftotext.sh measures (the
// corpus's when ../shared is present, and the attachment fixtures with a
// text layer) in one process, as the night does: for profiling the PDF
// reader (-cpuprofile) between runs of the script.
func BenchmarkParsePDF(b *testing.B) {
	var files []string
	if dir := sharedDir(); dir != "" {
		files, _ = filepath.Glob(filepath.Join(dir, "corpus", "*.pdf"))
	}
	fixtures, _ := filepath.Glob("testdata/attach/*.pdf")
	for _, f := range fixtures {
		if !strings.Contains(f, "scan") {
			files = append(files, f)
		}
	}
	var bodies [][]byte
	for _, f := range files {
		bodies = append(bodies, mustRead(b, f))
	}
	if err := extract.WarmPDF(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, body := range bodies {
			rep, err := extract.Parse(extract.Input{Source: files[i], Body: body})
			if err != nil || len(rep.Cells) == 0 {
				b.Fatalf("%s: %d cells, %v", files[i], len(rep.Cells), err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(bodies))/b.Elapsed().Seconds(), "files/s")
}
