package sampleportal_test

import (
	"testing"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

// BenchmarkStart measures building every site (all reports rendered) and
// opening the listener.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		p, err := sampleportal.Start(sampleportal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}

// BenchmarkServeReport measures one keep-alive GET of a report page.
func BenchmarkServeReport(b *testing.B) {
	p, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	c := client(p, false)
	u := p.Reports()[0].URL
	var n int64
	for b.Loop() {
		resp, err := c.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 32<<10)
		for {
			k, err := resp.Body.Read(buf)
			n += int64(k)
			if err != nil {
				break
			}
		}
		resp.Body.Close()
	}
	b.SetBytes(n / int64(b.N))
}
