package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/internal/charset"
	"golang.org/x/net/html"
)

func BenchmarkZZStages(b *testing.B) {
	files, _ := filepath.Glob("testdata/*.html")
	var pages [][]byte
	for _, f := range files {
		d, _ := os.ReadFile(f)
		pages = append(pages, d)
	}
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				charset.Decode(p, "")
			}
		}
	})
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				html.Parse(bytes.NewReader(p))
			}
		}
	})
	b.Run("readHTML", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				readHTML(p)
			}
		}
	})
	var ps []*page
	for _, p := range pages {
		pg, _ := readHTML(p)
		ps = append(ps, pg)
	}
	b.Run("readTables", func(b *testing.B) {
		for b.Loop() {
			for _, p := range ps {
				readTables(&Report{}, p)
			}
		}
	})
	b.Run("metadata", func(b *testing.B) {
		for b.Loop() {
			for _, p := range ps {
				metadata(&Report{}, p)
			}
		}
	})
	b.Run("sections", func(b *testing.B) {
		for b.Loop() {
			for _, p := range ps {
				sections(p)
			}
		}
	})
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pages {
				Parse(Input{Body: p})
			}
		}
	})
}
