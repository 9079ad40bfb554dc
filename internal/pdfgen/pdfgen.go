// Package pdfgen writes small PDFs with Chinese text, ruled lines and
// rotated pages, in pure Go, with no font embedded: the sample portal makes
// its PDF attachments with it at run time, and tests make PDFs of known
// geometry with it.
//
// Chinese text uses the non-embedded CID font STSong-Light (Adobe-GB1, one
// of the fonts every PDF reader must know) with the predefined CMap
// UniGB-UCS2-H, so a character's code is its UCS-2 value and readers map it
// back to Unicode without a ToUnicode table; ASCII runs use the standard
// Times-Roman, as Word's exports print digits in a Latin font.
//
// Callers draw in reading coordinates: points from the top-left corner of
// the page as it is displayed, y growing downwards. A page with /Rotate 90
// or 270 is stored unrotated (portrait MediaBox) with its content turned a
// quarter so that it reads upright once the viewer applies /Rotate, as
// scanners' and printers' landscape pages are.
package pdfgen

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

// A4 in points.
const (
	A4Width  = 595.0
	A4Height = 842.0
)

// Doc is a PDF being written.
type Doc struct {
	pages []*Page
	title string
	// Plain writes text as other producers do, without the two
	// workarounds for PDFium described in Text: tests use it to show
	// what a reader keeps of such a file.
	Plain bool
}

// New starts an empty document; title goes into the document information
// dictionary ("" for none).
func New(title string) *Doc { return &Doc{title: title} }

// Page is one page. Its methods take reading coordinates.
type Page struct {
	w, h   float64 // as displayed
	rotate int     // 0, 90, 180 or 270
	ops    bytes.Buffer
	plain  bool // Doc.Plain
}

// AddPage appends a page w×h points as displayed, turned by rotate degrees
// (0, 90, 180 or 270; anything else is 0).
func (d *Doc) AddPage(w, h float64, rotate int) *Page {
	switch rotate {
	case 90, 180, 270:
	default:
		rotate = 0
	}
	p := &Page{w: w, h: h, rotate: rotate, plain: d.Plain}
	d.pages = append(d.pages, p)
	return p
}

// Size is the page's displayed width and height.
func (p *Page) Size() (w, h float64) { return p.w, p.h }

// cm is the matrix from display space (y up, origin bottom-left of the
// page as displayed) to the unrotated user space.
func (p *Page) cm() string {
	switch p.rotate {
	case 90:
		return fmt.Sprintf("0 1 -1 0 %s 0 cm\n", num(p.h))
	case 180:
		return fmt.Sprintf("-1 0 0 -1 %s %s cm\n", num(p.w), num(p.h))
	case 270:
		return fmt.Sprintf("0 -1 1 0 0 %s cm\n", num(p.w))
	}
	return ""
}

// mediaBox is the unrotated page size.
func (p *Page) mediaBox() (w, h float64) {
	if p.rotate == 90 || p.rotate == 270 {
		return p.h, p.w
	}
	return p.w, p.h
}

// Line draws a straight line from (x0,y0) to (x1,y1), width points wide.
func (p *Page) Line(x0, y0, x1, y1, width float64) {
	fmt.Fprintf(&p.ops, "%s w %s %s m %s %s l S\n", num(width), num(x0), num(p.h-y0), num(x1), num(p.h-y1))
}

// Text writes s with its baseline's left end at (x, y), size points high.
// Characters outside the BMP are dropped (UCS-2 cannot carry them).
func (p *Page) Text(x, y, size float64, s string) {
	for _, run := range runs(s) {
		w := Width(run.text, size)
		if run.latin {
			fmt.Fprintf(&p.ops, "BT /F2 %s Tf 1 0 0 1 %s %s Tm (%s) Tj ET\n", num(size), num(x), num(p.h-y), escape(run.text))
			x += w
			continue
		}
		// PDFium drops a text object whose glyph boxes span no width in
		// user space. A font it has no outlines for (STSong-Light, not
		// embedded) gives boxes of no height, so the span is the spread of
		// the glyph origins: nothing for one character, and nothing across
		// for any run on a quarter-turned page, where the baseline is
		// vertical in user space. So a lone character is followed by a
		// space (readers drop it), and on quarter-turned pages the
		// baseline leans by 0.05 pt over the run, which no eye sees.
		text := run.text
		if len([]rune(text)) == 1 && !p.plain {
			text += " "
		}
		tm := "1 0 0 1"
		if (p.rotate == 90 || p.rotate == 270) && !p.plain {
			lean := 0.05 / Width(text, size)
			tm = fmt.Sprintf("1 %.5f %.5f 1", lean, -lean)
		}
		fmt.Fprintf(&p.ops, "BT /F1 %s Tf %s %s %s Tm <%s> Tj ET\n", num(size), tm, num(x), num(p.h-y), ucs2(text))
		x += w
	}
}

// Width is how wide s prints at size points, as Text lays it out.
func Width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += advance(r)
	}
	return w * size / 1000
}

// advance is a character's width in thousandths of the size: CJK and
// full-width forms one em (STSong-Light's default), ASCII Times-Roman's.
func advance(r rune) float64 {
	if r > 0x7e || r < 0x20 {
		return 1000
	}
	switch {
	case r >= '0' && r <= '9':
		return 500
	case r == ' ', r == '.', r == ',':
		return 250
	case r == '-', r == '(', r == ')':
		return 333
	case r == '/', r == ':', r == ';':
		return 278
	case r == '%':
		return 833
	case r >= 'A' && r <= 'Z':
		return 700
	case r >= 'a' && r <= 'z':
		return 470
	}
	return 500
}

type run struct {
	text  string
	latin bool
}

// runs splits s into ASCII and non-ASCII runs.
func runs(s string) []run {
	var out []run
	for _, r := range s {
		if r > 0xffff || r < 0x20 && r != '\t' {
			continue
		}
		latin := r <= 0x7e
		if n := len(out); n > 0 && out[n-1].latin == latin {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, run{text: string(r), latin: latin})
	}
	return out
}

func ucs2(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}

func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\t", " ")
	return r.Replace(s)
}

// num prints a coordinate with at most two decimals.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Bytes writes the document.
func (d *Doc) Bytes() []byte {
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled below
	pagesObj := add("")
	desc := add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	cid := add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 >>", desc))
	f1 := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>", cid))
	f2 := add("<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>")
	var kids []string
	for _, p := range d.pages {
		content := p.cm() + p.ops.String()
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, _ = zw.Write([]byte(content)) // writes to a bytes.Buffer cannot fail
		_ = zw.Close()
		stream := add(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()))
		mw, mh := p.mediaBox()
		rot := ""
		if p.rotate != 0 {
			rot = fmt.Sprintf(" /Rotate %d", p.rotate)
		}
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s]%s /Contents %d 0 R /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>",
			pagesObj, num(mw), num(mh), rot, stream, f1, f2))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	info := 0
	if d.title != "" {
		info = add(fmt.Sprintf("<< /Title <FEFF%s> /Producer (nianbao pdfgen) >>", ucs2(d.title)))
	}
	trailer := fmt.Sprintf("/Root %d 0 R", catalog)
	if info != 0 {
		trailer += fmt.Sprintf(" /Info %d 0 R", info)
	}
	return File(objs, trailer)
}

// File writes objs as objects 1…n of a PDF file with a classic
// cross-reference table, and a trailer of /Size and the given entries
// (at least /Root).
func File(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return b.Bytes()
}

// Rotation is the page's /Rotate in degrees.
func (p *Page) Rotation() int { return p.rotate }
