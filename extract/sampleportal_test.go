package extract_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
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
		if r.Kind != sampleportal.KindTables {
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
			n := checkExpectation(t, rep, expectation{Year: r.Year, Format: r.Format, Cells: r.Cells, FixAgency: r.Agency})
			if n == 0 {
				t.Errorf("no expected cells")
			}
			compared += n
			perFamily[r.Portal] += n
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
