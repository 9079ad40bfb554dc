package sampleportal_test

import (
	"maps"
	"net/http"
	"testing"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

func TestNextNight(t *testing.T) {
	p, c := start(t, sampleportal.Options{})
	before := map[string]sampleportal.ExpectedReport{}
	etags := map[string]string{}
	for _, r := range p.Reports() {
		before[r.URL] = r
		etags[r.URL] = get(t, c, r.URL).header.Get("ETag")
	}
	p.NextNight()
	after := map[string]sampleportal.ExpectedReport{}
	for _, r := range p.Reports() {
		after[r.URL] = r
	}
	var added, gone, changed []string
	for u := range after {
		if _, ok := before[u]; !ok {
			added = append(added, u)
		}
	}
	for u, b := range before {
		a, ok := after[u]
		if !ok {
			gone = append(gone, u)
			continue
		}
		f := get(t, c, u, "If-None-Match", etags[u])
		same := maps.EqualFunc(a.Cells, b.Cells, func(x, y *string) bool { return str(x) == str(y) })
		switch {
		case !same:
			changed = append(changed, u)
			if f.status != http.StatusOK {
				t.Errorf("changed report %s: conditional GET %d; want 200 with the new page", u, f.status)
			}
		case f.status != http.StatusNotModified:
			t.Errorf("unchanged report %s: conditional GET %d; want 304", u, f.status)
		}
	}
	if len(added) != 1 || len(gone) != 1 || len(changed) != 1 {
		t.Fatalf("night 2: added %v, gone %v, changed %v; want one of each", added, gone, changed)
	}
	if f := get(t, c, gone[0]); f.status != http.StatusNotFound {
		t.Errorf("gone report %s answers %d; want 404", gone[0], f.status)
	}
	seen, _ := miniCrawl(t, p, c)
	if seen[added[0]] != http.StatusOK {
		t.Errorf("new report %s not reachable from the lists", added[0])
	}
	if a := after[added[0]]; a.Year != 2024 {
		t.Errorf("new report year %d; want 2024 (a new year column)", a.Year)
	}
}
