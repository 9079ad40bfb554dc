package synth_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/synth"
)

// grid reads a report's cells as integers (blank = 0); amounts are skipped.
func grid(t *testing.T, r *extract.Report) map[string]int64 {
	t.Helper()
	g := map[string]int64{}
	for _, c := range r.Cells {
		if c.Table == "t2" && (c.Col == "amount_wan_yuan" || c.Col == "amount_yuan") {
			continue
		}
		var v int64
		if c.Value != nil {
			var err error
			if v, err = strconv.ParseInt(*c.Value, 10, 64); err != nil {
				t.Fatalf("%s %s/%s/%s = %q: %v", r.Source, c.Table, c.Row, c.Col, *c.Value, err)
			}
		} else if c.Raw != "" {
			t.Fatalf("%s %s/%s/%s: nil value with raw %q", r.Source, c.Table, c.Row, c.Col, c.Raw)
		}
		g[c.Table+"/"+c.Row+"/"+c.Col] = v
	}
	return g
}

var cols = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

// broken lists the rules (i1..i4, as named by the checks) a report violates.
func broken(r *extract.Report, g map[string]int64) []string {
	results := []string{"granted", "partial", "denied.state_secret", "denied.law_prohibited", "denied.three_safety",
		"denied.third_party", "denied.internal", "denied.process", "denied.enforcement", "denied.query",
		"unable.no_info", "unable.need_creation", "unable.unclear", "rejected.complaint", "rejected.duplicate",
		"rejected.publication", "rejected.excessive", "rejected.confirm"}
	if r.Format == "2021" {
		results = append(results, "other.no_correction", "other.no_fee", "other.other")
	} else {
		results = append(results, "other")
	}
	var out []string
	add := func(rule string) {
		if !slices.Contains(out, rule) {
			out = append(out, rule)
		}
	}
	for _, c := range cols {
		if g["t3/new/"+c]+g["t3/carried_in/"+c] != g["t3/result_total/"+c]+g["t3/carried_out/"+c] {
			add("i1_balance")
		}
		var sum int64
		for _, row := range results {
			sum += g["t3/"+row+"/"+c]
		}
		if sum != g["t3/result_total/"+c] {
			add("i2_results")
		}
	}
	for _, row := range append(results, "new", "carried_in", "result_total", "carried_out") {
		var sum int64
		for _, c := range cols[:6] {
			sum += g["t3/"+row+"/"+c]
		}
		if sum != g["t3/"+row+"/total"] {
			add("i3_total_column")
		}
	}
	for _, grp := range []string{"review", "suit_direct", "suit_after_review"} {
		p := "t4/all/" + grp + "."
		if g[p+"upheld"]+g[p+"corrected"]+g[p+"other"]+g[p+"pending"] != g[p+"total"] {
			add("i4_review_suit")
		}
	}
	return out
}

func TestReportsBalanceExceptFlaws(t *testing.T) {
	const agencies = 300
	var n, flawed, blanks int
	formats := map[string]int{}
	prev := map[int]map[string]int64{}
	prevFlaw := map[int]*synth.Flaw{}
	for g := range synth.Reports(synth.Options{Agencies: agencies}) {
		n++
		r := g.Report
		formats[r.Format]++
		if r.Format != synth.FormatFor(r.Year) {
			t.Errorf("%s: format %s in %d", r.Source, r.Format, r.Year)
		}
		cells := grid(t, r)
		got := broken(r, cells)
		var want []string
		if g.Flaw != nil {
			flawed++
			want = []string{g.Flaw.Rule}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s (flaw %+v): broken rules = %v; want %v", r.Source, g.Flaw, got, want)
		}
		for _, c := range r.Cells {
			if c.Value == nil {
				blanks++
				break
			}
		}
		// Carry-over and stock roll-forward across years, same agency.
		if p, ok := prev[g.Agency]; ok && (prevFlaw[g.Agency] == nil || prevFlaw[g.Agency].Rule != "i1_balance") {
			for _, c := range cols {
				if cells["t3/carried_in/"+c] != p["t3/carried_out/"+c] {
					t.Errorf("%s: carried_in/%s = %d; last year's carried_out = %d", r.Source, c, cells["t3/carried_in/"+c], p["t3/carried_out/"+c])
				}
			}
			if r.Format == "2021" {
				last := p["t2/normative/in_force"]
				if r.Year == 2021 {
					last = p["t2/normative/total_published"]
				}
				if want := last + cells["t2/normative/made"] - cells["t2/normative/repealed"]; cells["t2/normative/in_force"] != want {
					t.Errorf("%s: normative in_force = %d; want %d", r.Source, cells["t2/normative/in_force"], want)
				}
			}
		}
		prev[g.Agency], prevFlaw[g.Agency] = cells, g.Flaw
	}
	if n != agencies*synth.DefaultYears {
		t.Errorf("reports = %d; want %d", n, agencies*synth.DefaultYears)
	}
	if share := float64(flawed) / float64(n); share < 0.035 || share > 0.065 {
		t.Errorf("flawed share = %.3f; want about %.2f", share, synth.DefaultImbalanceShare)
	}
	if share := float64(blanks) / float64(n); share < 0.10 || share > 0.20 {
		t.Errorf("share with blanks = %.3f; want about %.2f", share, synth.DefaultBlankShare)
	}
	if formats["2019"] == 0 || formats["2021"] == 0 {
		t.Errorf("formats = %v; want both", formats)
	}
}

func TestReportsDeterministic(t *testing.T) {
	dump := func(opts synth.Options, agency int) string {
		for g := range synth.Reports(opts) {
			if g.Agency == agency && g.Report.Year == 2022 {
				b, _ := json.Marshal(g)
				return string(b)
			}
		}
		return ""
	}
	a := dump(synth.Options{Agencies: 5}, 3)
	if a == "" {
		t.Fatal("no report for agency 3, 2022")
	}
	if b := dump(synth.Options{Agencies: 5}, 3); a != b {
		t.Error("same options gave different reports")
	}
	if b := dump(synth.Options{Agencies: 50}, 3); a != b {
		t.Error("agency 3 changed with the number of agencies")
	}
	if b := dump(synth.Options{Agencies: 5, Seed: 7}, 3); a == b {
		t.Error("another seed gave the same report")
	}
}

func TestReportsCellCount(t *testing.T) {
	var reports, cells int
	shas := map[string]bool{}
	for g := range synth.Reports(synth.Options{Agencies: 50}) {
		reports++
		cells += len(g.Report.Cells)
		shas[g.SHA256] = true
	}
	// About 50M cells for 300,000 reports at N = 30,000.
	if per := cells / reports; per < 150 || per > 230 {
		t.Errorf("cells per report = %d; want 150..230", per)
	}
	if len(shas) != reports {
		t.Errorf("distinct sha256 = %d; want %d", len(shas), reports)
	}
}
