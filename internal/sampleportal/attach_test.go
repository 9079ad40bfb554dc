package sampleportal_test

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// fetchAttachment gets an attachment over HTTP as a crawler does, following
// the Hanweb downfile.jsp redirect.
func fetchAttachment(t *testing.T, c *http.Client, url string) fetched {
	t.Helper()
	f := get(t, c, url)
	for i := 0; i < 3 && f.status/100 == 3; i++ {
		loc := f.header.Get("Location")
		if strings.HasPrefix(loc, "/") {
			loc = url[:strings.Index(url[len("http://"):], "/")+len("http://")] + loc
		}
		f = get(t, c, loc)
	}
	return f
}

// TestAttachments_ReadToCells fetches every attachment the portal publishes
// (TRS P0….pdf, Hanweb downfile.jsp → 302 → PDF, gkmlpt /attachment/… PDF
// and DOCX), parses it with extract.Parse, and requires exactly the
// report's expected cells (blank vs zero included), its agency and year:
// the attachment prints the same report as the page, or the only copy of
// it. Pages of attachment-only reports have no tables of their own.
func TestAttachments_ReadToCells(t *testing.T) {
	p, c := start(t, sampleportal.Options{Seed: 3})
	type count struct{ only, both, pdf, docx int }
	perFamily := map[string]*count{}
	rotated := map[string]bool{}
	for _, r := range p.Reports() {
		if len(r.Attachments) == 0 {
			continue
		}
		family := strings.SplitN(strings.TrimPrefix(r.URL, "http://"), ".", 2)[0]
		n := perFamily[family]
		if n == nil {
			n = &count{}
			perFamily[family] = n
		}
		page := get(t, c, r.URL)
		if page.status != 200 {
			t.Fatalf("report page %s: %d", r.URL, page.status)
		}
		pageRep, err := extract.Parse(extract.Input{Source: r.URL, ContentType: page.header.Get("Content-Type"), Body: page.body})
		if err != nil {
			t.Fatalf("parse page %s: %v", r.URL, err)
		}
		switch r.Kind {
		case sampleportal.KindAttachment:
			n.only++
			if len(pageRep.Cells) != 0 {
				t.Errorf("attachment-only page %s has %d cells of its own; want none", r.URL, len(pageRep.Cells))
			}
		case sampleportal.KindTables:
			n.both++
			if len(pageRep.Cells) != len(r.Cells) {
				t.Errorf("page %s with its own tables gives %d cells; want %d", r.URL, len(pageRep.Cells), len(r.Cells))
			}
		default:
			t.Errorf("%s report %s links attachments", r.Kind, r.URL)
		}
		if family != "gkmlpt" { // gkmlpt lists attachments only in its JSON
			text := page.body
			if family == "trs" {
				text, _ = simplifiedchinese.GBK.NewDecoder().Bytes(page.body)
			}
			for _, a := range r.Attachments {
				if !bytes.Contains(text, []byte("附件")) || !bytes.Contains(text, []byte(path.Base(a))) {
					t.Errorf("page %s does not say 附件 and link %s", r.URL, a)
				}
			}
		}
		for _, a := range r.Attachments {
			t.Run(a, func(t *testing.T) {
				f := fetchAttachment(t, c, a)
				if f.status != 200 {
					t.Fatalf("GET %s: %d", a, f.status)
				}
				rep, err := extract.Parse(extract.Input{Source: a, ContentType: f.header.Get("Content-Type"), Body: f.body})
				if err != nil {
					t.Fatal(err)
				}
				switch rep.Kind {
				case extract.KindPDF:
					n.pdf++
					for _, m := range regexp.MustCompile(`/Rotate (\d+)`).FindAllSubmatch(f.body, -1) {
						rotated[string(m[1])] = true
					}
				case extract.KindDOCX:
					n.docx++
				default:
					t.Errorf("read as %q; want pdf or docx", rep.Kind)
				}
				if rep.Agency != r.Agency || rep.Year != r.Year || rep.Format != r.Format {
					t.Errorf("agency %q year %d format %q; want %q %d %q", rep.Agency, rep.Year, rep.Format, r.Agency, r.Year, r.Format)
				}
				got := map[string]*string{}
				for _, cell := range rep.Cells {
					got[cell.Table+"."+cell.Row+"."+cell.Col] = cell.Value
				}
				for k, want := range r.Cells {
					g, ok := got[k]
					switch {
					case !ok:
						t.Errorf("cell %s missing; want %s", k, show(want))
					case (g == nil) != (want == nil) || g != nil && *g != *want:
						t.Errorf("cell %s = %s; want %s", k, show(g), show(want))
					}
				}
				for k := range got {
					if _, ok := r.Cells[k]; !ok {
						t.Errorf("cell %s = %s read but not printed", k, show(got[k]))
					}
				}
			})
		}
	}
	for _, f := range []string{"trs", "hanweb", "gkmlpt"} {
		n := perFamily[f]
		if n == nil || n.only == 0 || n.both == 0 || n.pdf == 0 {
			t.Errorf("%s publishes %+v; want an attachment-only report, one with tables and attachment, PDFs", f, n)
		}
	}
	if perFamily["gkmlpt"] == nil || perFamily["gkmlpt"].docx == 0 {
		t.Errorf("gkmlpt publishes no DOCX attachment")
	}
	if !rotated["90"] || !rotated["270"] {
		t.Errorf("PDF pages turned by /Rotate %v; want 90 and 270", slices.Sorted(func(yield func(string) bool) {
			for k := range rotated {
				if !yield(k) {
					return
				}
			}
		}))
	}
}

func show(s *string) string {
	if s == nil {
		return "blank"
	}
	return fmt.Sprintf("%q", *s)
}
