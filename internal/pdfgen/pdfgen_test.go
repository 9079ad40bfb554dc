package pdfgen

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// TestXrefAndPages checks the file's structure as a strict reader would:
// every xref offset points at its object, and each page has the unrotated
// MediaBox and /Rotate for its turn.
func TestXrefAndPages(t *testing.T) {
	d := New("标题")
	for _, rot := range []int{0, 90, 270} {
		w, h := A4Width, A4Height
		if rot != 0 {
			w, h = h, w
		}
		p := d.AddPage(w, h, rot)
		p.Text(72, 72, 12, "表三 2023")
		p.Line(72, 80, 300, 80, 0.5)
	}
	b := d.Bytes()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(b[xref:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q; want %q", i+1, b[off:min(off+12, len(b))], want)
		}
	}
	pages := regexp.MustCompile(`/MediaBox \[0 0 (\d+) (\d+)\]( /Rotate (\d+))?`).FindAllSubmatch(b, -1)
	want := []string{"595 842 ", "595 842 90", "595 842 270"}
	for i, p := range pages {
		if got := fmt.Sprintf("%s %s %s", p[1], p[2], p[4]); i >= len(want) || got != want[i] {
			t.Errorf("page %d: MediaBox/Rotate %q; want %q", i+1, got, want[min(i, len(want)-1)])
		}
	}
	if len(pages) != 3 {
		t.Errorf("%d pages; want 3", len(pages))
	}
}

func TestWidthAndRuns(t *testing.T) {
	if got := Width("表三12", 10); got != 30 {
		t.Errorf("Width(表三12, 10) = %v; want 30 (two ems and two half-em digits)", got)
	}
	rs := runs("（一）予以公开 12.5 件")
	var kinds []bool
	for _, r := range rs {
		kinds = append(kinds, r.latin)
	}
	if len(rs) != 3 || rs[1].text != " 12.5 " || fmt.Sprint(kinds) != "[false true false]" {
		t.Errorf("runs = %+v; want CJK, Latin \" 12.5 \", CJK", rs)
	}
}
