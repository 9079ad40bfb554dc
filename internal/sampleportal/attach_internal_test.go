package sampleportal

import (
	"fmt"
	"maps"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

// TestRotatedPagesReadUpright lays the same reports out with table 三 on
// portrait pages, on landscape pages turned by /Rotate 90 and by /Rotate
// 270 (content drawn a quarter turn the other way, so it reads upright),
// and requires the PDF reader to give the same cells from all three, equal
// to what the report prints, with table 三's boxes on the landscape page.
func TestRotatedPagesReadUpright(t *testing.T) {
	p, err := newPortal(Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]int{}
	for _, r := range p.reports {
		if r.kind != KindTables || r.lk.misalignT3 || formats[r.format] >= 2 {
			continue
		}
		formats[r.format]++
		want := r.expected().Cells
		t.Run(r.title, func(t *testing.T) {
			var upright map[string]string
			for _, rot := range []int{0, 90, 270} {
				body := reportPDF(r.document(), r.agency.name, r.year, pdfStyle{landscape: rot})
				rep, err := extract.Parse(extract.Input{Source: fmt.Sprintf("rot%d.pdf", rot), Body: body})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				wide := false
				for _, c := range rep.Cells {
					k := c.Table + "." + c.Row + "." + c.Col
					got[k] = show(c.Value)
					if c.Table == "t3" && c.Box != nil && c.Box[2] > 600 {
						wide = true // only a landscape page is wider than A4 portrait
					}
				}
				if rot != 0 && !wide {
					t.Errorf("/Rotate %d: no table 三 cell beyond x = 600; want table 三 read on a landscape page", rot)
				}
				for k, v := range want {
					if got[k] != show(v) {
						t.Errorf("/Rotate %d: cell %s = %s; want %s", rot, k, got[k], show(v))
					}
				}
				if rot == 0 {
					upright = got
				} else if !maps.Equal(got, upright) {
					t.Errorf("/Rotate %d: %d cells differ from the portrait layout's %d", rot, len(got), len(upright))
				}
			}
		})
	}
	if formats["2019"] == 0 || formats["2021"] == 0 {
		t.Errorf("formats tried %v; want both", formats)
	}
}

func show(s *string) string {
	if s == nil {
		return "blank"
	}
	return *s
}
