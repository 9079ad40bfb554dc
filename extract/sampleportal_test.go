package extract_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// TestSamplePortal fetches every report with tables that the sample portal
// publishes, in every CMS family (layout-table pages included), over real
// HTTP on 127.0.0.1, and requires Parse to read every printed cell exactly
// (blank vs zero included), with the agency, year and format.
func TestSamplePortal(t *testing.T) {
	p, err := sampleportal.Start(sampleportal.Options{Seed: 7, Families: sampleportal.AllFamilies()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	client := portalClient(p.Resolve())
	compared, reports := 0, 0
	perFamily := map[string]int{}
	for _, r := range p.Reports() {
		if r.Kind != "tables" {
			continue
		}
		reports++
		t.Run(r.URL, func(t *testing.T) {
			body, ct, err := fetch(t.Context(), client, r.URL)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := extract.Parse(extract.Input{Source: r.URL, ContentType: ct, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Agency != r.Agency || rep.Year != r.Year || rep.Format != r.Format {
				t.Errorf("agency, year, format = %q, %d, %q; want %q, %d, %q", rep.Agency, rep.Year, rep.Format, r.Agency, r.Year, r.Format)
			}
			got := map[string]extract.Cell{}
			for _, c := range rep.Cells {
				got[c.Table+"."+c.Row+"."+c.Col] = c
			}
			keys := make([]string, 0, len(r.Cells))
			for k := range r.Cells {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				w := r.Cells[k]
				c, ok := got[k]
				switch {
				case !ok:
					t.Errorf("%s: missing; want %s", k, show(w))
				case (c.Value == nil) != (w == nil) || w != nil && *c.Value != *w:
					t.Errorf("%s = %s (raw %q at table %d row %d col %d); want %s", k, show(c.Value), c.Raw, c.SrcTable, c.SrcRow, c.SrcCol, show(w))
				}
			}
			for k, c := range got {
				if _, ok := r.Cells[k]; !ok {
					t.Errorf("%s = %s: not printed on the page", k, show(c.Value))
				}
			}
			if len(keys) == 0 {
				t.Errorf("no expected cells")
			}
			compared += len(keys)
			perFamily[r.Portal] += len(keys)
		})
	}
	if reports == 0 {
		t.Fatal("the portal published no reports with tables")
	}
	t.Logf("%d reports, %d cells compared; by portal: %v", reports, compared, perFamily)
}

// portalClient dials every virtual host of the sample portal on its
// loopback address.
func portalClient(resolve map[string]string) *http.Client {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		a, ok := resolve[host]
		if !ok {
			return nil, fmt.Errorf("dial %s: not a sample portal host", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, a)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dial}}
}

func fetch(ctx context.Context, c *http.Client, url string) (body []byte, contentType string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", err
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("get %s: %w", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("get %s: %s", url, res.Status)
	}
	body, err = io.ReadAll(res.Body)
	if err != nil {
		return nil, "", fmt.Errorf("read %s: %w", url, err)
	}
	return body, res.Header.Get("Content-Type"), nil
}
