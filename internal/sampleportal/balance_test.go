package sampleportal_test

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

var t3Cols = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

func resultRows(format string) []string {
	rows := []string{"granted", "partial",
		"denied.state_secret", "denied.law_prohibited", "denied.three_safety", "denied.third_party",
		"denied.internal", "denied.process", "denied.enforcement", "denied.query",
		"unable.no_info", "unable.need_creation", "unable.unclear",
		"rejected.complaint", "rejected.duplicate", "rejected.publication", "rejected.excessive", "rejected.confirm"}
	if format == "2021" {
		return append(rows, "other.no_correction", "other.no_fee", "other.other")
	}
	return append(rows, "other")
}

// brokenRules computes I1–I4 (format.md §6) from a report's cells, blank = 0,
// exactly as the checks in queries/ must.
func brokenRules(t *testing.T, r sampleportal.ExpectedReport) []string {
	t.Helper()
	val := func(k string) *big.Rat {
		v, ok := r.Cells[k]
		if !ok {
			t.Fatalf("%s: cell %s missing from Cells", r.URL, k)
		}
		x := new(big.Rat)
		if v == nil {
			return x
		}
		if _, ok := x.SetString(*v); !ok {
			t.Fatalf("%s: cell %s = %q is not a decimal", r.URL, k, *v)
		}
		return x
	}
	sum := func(ks ...string) *big.Rat {
		s := new(big.Rat)
		for _, k := range ks {
			s.Add(s, val(k))
		}
		return s
	}
	var broken []string
	note := func(rule string) {
		if !slices.Contains(broken, rule) {
			broken = append(broken, rule)
		}
	}
	for _, c := range t3Cols {
		if sum("t3.new."+c, "t3.carried_in."+c).Cmp(sum("t3.result_total."+c, "t3.carried_out."+c)) != 0 {
			note("i1_balance")
		}
		var ks []string
		for _, row := range resultRows(r.Format) {
			ks = append(ks, "t3."+row+"."+c)
		}
		if val("t3.result_total."+c).Cmp(sum(ks...)) != 0 {
			note("i2_results")
		}
	}
	rows := append([]string{"new", "carried_in"}, resultRows(r.Format)...)
	for _, row := range append(rows, "result_total", "carried_out") {
		var ks []string
		for _, c := range t3Cols[:6] {
			ks = append(ks, "t3."+row+"."+c)
		}
		if val("t3."+row+".total").Cmp(sum(ks...)) != 0 {
			note("i3_total_column")
		}
	}
	for _, g := range []string{"review", "suit_direct", "suit_after_review"} {
		p := "t4.all." + g + "."
		if val(p+"total").Cmp(sum(p+"upheld", p+"corrected", p+"other", p+"pending")) != 0 {
			note("i4_review_suit")
		}
	}
	slices.Sort(broken)
	return broken
}

func TestReports_BreakExactlyTheNamedRules(t *testing.T) {
	p, _ := start(t, sampleportal.Options{Families: sampleportal.AllFamilies()})
	rules := map[string]bool{}
	for _, r := range p.Reports() {
		t.Run(r.Title, func(t *testing.T) {
			if len(r.Cells) == 0 {
				t.Skipf("%s report: no cells", r.Kind)
			}
			got := brokenRules(t, r)
			want := slices.Sorted(slices.Values(r.Unbalanced))
			if !slices.Equal(got, want) {
				t.Errorf("%s breaks %v; Unbalanced = %v", r.URL, got, want)
			}
			if len(want) == 0 {
				return
			}
			// A broken equation must be certain: no blank that a reader could
			// take for a missing number.
			for k, v := range r.Cells {
				if v == nil && !strings.HasPrefix(k, "t2.") {
					t.Errorf("unbalanced report %s: cell %s is blank; want every table 三/四 cell printed", r.URL, k)
				}
			}
		})
		for _, u := range r.Unbalanced {
			rules[u] = true
		}
	}
	if len(rules) < 2 {
		t.Errorf("unbalanced reports break rules %v; want at least two different rules", rules)
	}
}

func TestReports_Coverage(t *testing.T) {
	for _, seed := range []int64{0, 1, 42} {
		p, _ := start(t, sampleportal.Options{Seed: seed})
		reports := p.Reports()
		agencies := map[string]bool{}
		years := map[int]bool{}
		formats := map[string]bool{}
		old2022, nilCells, unbalanced := false, 0, 0
		for _, r := range reports {
			if r.Kind != sampleportal.KindTables && r.Kind != sampleportal.KindAttachment {
				if len(r.Cells) != 0 || len(r.Unbalanced) != 0 {
					t.Errorf("%s (%s): %d cells, unbalanced %v; want none", r.URL, r.Kind, len(r.Cells), r.Unbalanced)
				}
				continue
			}
			agencies[r.Agency] = true
			years[r.Year] = true
			formats[r.Format] = true
			if r.Year >= 2022 && r.Format == "2019" {
				old2022 = true
			}
			if len(r.RegionCode) != 6 {
				t.Errorf("%s: RegionCode %q; want six digits", r.URL, r.RegionCode)
			}
			want := map[string]int{"2019": 22 + 23*7 + 15, "2021": 10 + 25*7 + 15}[r.Format]
			if len(r.Cells) != want {
				t.Errorf("%s (%s format): %d cells; want %d", r.URL, r.Format, len(r.Cells), want)
			}
			for _, v := range r.Cells {
				if v == nil {
					nilCells++
				}
			}
			if len(r.Unbalanced) > 0 {
				unbalanced++
			}
		}
		if len(agencies) < 6 {
			t.Errorf("seed %d: %d agencies; want ≥ 6", seed, len(agencies))
		}
		for y := 2019; y <= 2023; y++ {
			if !years[y] {
				t.Errorf("seed %d: no report for %d", seed, y)
			}
		}
		if !formats["2019"] || !formats["2021"] || !old2022 {
			t.Errorf("seed %d: formats %v, 2022+ report on 2019 tables %v; want both formats and one", seed, formats, old2022)
		}
		if nilCells == 0 {
			t.Errorf("seed %d: no blank or placeholder cell in any report", seed)
		}
		if unbalanced < 2 || unbalanced > len(reports)/4 {
			t.Errorf("seed %d: %d of %d reports unbalanced; want a few", seed, unbalanced, len(reports))
		}
	}
}

// TestReports_YearsChain checks the cross-year relations real reports keep
// (format.md §6.3 H1, H2): 上年结转 is last year's 结转下年度, and 现行有效
// rolls forward by 制发 − 废止 within the 2021 format.
func TestReports_YearsChain(t *testing.T) {
	p, _ := start(t, sampleportal.Options{Families: sampleportal.AllFamilies()})
	type key struct {
		agency string
		year   int
	}
	byKey := map[key]sampleportal.ExpectedReport{}
	for _, r := range p.Reports() {
		if r.Kind == "tables" && r.VersionOf == "" {
			byKey[key{r.Agency, r.Year}] = r
		}
	}
	num := func(r sampleportal.ExpectedReport, k string) string {
		if v := r.Cells[k]; v != nil {
			return *v
		}
		return "0"
	}
	var pairs, chained int
	for k, r := range byKey {
		prev, ok := byKey[key{k.agency, k.year - 1}]
		if !ok {
			continue
		}
		pairs++
		for _, c := range t3Cols {
			if a, b := num(r, "t3.carried_in."+c), num(prev, "t3.carried_out."+c); a != b {
				t.Errorf("%s %d: 上年结转 %s = %s; %d 结转下年度 = %s", k.agency, k.year, c, a, k.year-1, b)
			}
		}
		if r.Format == "2021" && prev.Format == "2021" {
			chained++
			a, _ := new(big.Rat).SetString(num(prev, "t2.normative.in_force"))
			m, _ := new(big.Rat).SetString(num(r, "t2.normative.made"))
			d, _ := new(big.Rat).SetString(num(r, "t2.normative.repealed"))
			want := new(big.Rat).Sub(new(big.Rat).Add(a, m), d)
			if got := num(r, "t2.normative.in_force"); got != want.RatString() {
				t.Errorf("%s %d: 现行有效 %s; want %s + %s − %s", k.agency, k.year, got, a.RatString(), m.RatString(), d.RatString())
			}
		}
	}
	if pairs < 20 || chained < 10 {
		t.Errorf("%d consecutive-year pairs, %d in the 2021 format; want many", pairs, chained)
	}
}
