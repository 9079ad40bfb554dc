package extract_test

import (
	"runtime"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// TestPDFMemoryBounded reads one PDF report many times in one process, as
// a night reads thousands: the Go heap must not grow with every document
// (go-pdfium keeps a handle for every page object and path segment it
// hands out until its instance is closed; the reader closes it after each
// document).
func TestPDFMemoryBounded(t *testing.T) {
	body := mustRead(t, "testdata/attach/full-2019.landscape.pdf")
	heap := func() int64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapInuse)
	}
	parse := func() {
		rep, err := extract.Parse(extract.Input{Source: "r.pdf", Body: body})
		if err != nil || len(rep.Cells) == 0 {
			t.Fatalf("parse: %d cells, %v", len(rep.Cells), err)
		}
	}
	for range 5 {
		parse() // warm: engine, caches
	}
	const n = 30
	h0 := heap()
	for range n {
		parse()
	}
	grown := heap() - h0
	t.Logf("heap grew %.1f MB over %d documents", float64(grown)/1e6, n)
	if grown > 4<<20 {
		t.Errorf("heap grew %.1f MB over %d readings of one PDF; want it bounded (< 4 MB; 0.3 MB a document when handles are kept)", float64(grown)/1e6, n)
	}
}
