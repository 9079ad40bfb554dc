package extract

import (
	bin "encoding/binary"
	"math"
	"unicode/utf8"
)

// Ink boxes. The layout is tuned on PDFium's glyph boxes, which are the
// glyph's ink, not its advance: the gap after "、" or between two cells'
// words is measured between inks. So the fast reader takes the ink box
// where the file has it: from an embedded TrueType font's glyf table
// (each glyph's bounds, by glyph id = CID for Identity fonts) and from a
// Type 3 glyph's d1 operator. A font with neither gets the advance box.

// inkBox is a glyph's ink in em units (text space per unit of font size).
type inkBox struct {
	x0, y0, x1, y1 float64
	ok             bool // false: no ink (a space) or unknown
}

// ttInk measures the glyphs of a TrueType font program on demand (a
// subset of a CJK font still has tens of thousands of glyph slots).
type ttInk struct {
	loca, glyf []byte
	// cmap subtables (platform, encoding): (3,1) Unicode, (3,0) symbol,
	// (1,0) Mac Roman; nil when absent. Simple TrueType fonts find a
	// code's glyph through them.
	c31, c30, c10 []byte
	long          bool
	upem          float64
	glyphs        int
	cache         map[int]inkBox
}

// trueTypeInk opens a TrueType font program's glyph table; nil when the
// program is not one it understands.
func trueTypeInk(font []byte) *ttInk {
	be := bin.BigEndian
	if len(font) < 12 {
		return nil
	}
	n := int(be.Uint16(font[4:]))
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil
		}
		off, ln := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
		if off < 0 || ln < 0 || off+ln > len(font) || off+ln < off {
			return nil
		}
		tables[string(font[rec:rec+4])] = font[off : off+ln]
	}
	head, maxp := tables["head"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 || tables["glyf"] == nil || tables["loca"] == nil {
		return nil
	}
	t := &ttInk{loca: tables["loca"], glyf: tables["glyf"], long: be.Uint16(head[50:]) == 1,
		upem: float64(be.Uint16(head[18:])), glyphs: int(be.Uint16(maxp[4:])), cache: map[int]inkBox{}}
	if t.upem < 16 {
		return nil
	}
	if cm := tables["cmap"]; len(cm) >= 4 {
		for i := 0; i < int(be.Uint16(cm[2:])); i++ {
			rec := 4 + 8*i
			if rec+8 > len(cm) {
				break
			}
			off := int(be.Uint32(cm[rec+4:]))
			if off < 0 || off >= len(cm) {
				continue
			}
			switch be.Uint32(cm[rec:]) {
			case 3<<16 | 1:
				t.c31 = cm[off:]
			case 3<<16 | 0:
				t.c30 = cm[off:]
			case 1<<16 | 0:
				t.c10 = cm[off:]
			}
		}
	}
	return t
}

// cmapGlyph looks c up in a cmap subtable (formats 0, 4, 6, 12); 0 is
// "none".
func cmapGlyph(sub []byte, c uint32) int {
	be := bin.BigEndian
	if len(sub) < 6 {
		return 0
	}
	switch be.Uint16(sub) {
	case 0:
		if c < 256 && 6+int(c) < len(sub) {
			return int(sub[6+c])
		}
	case 4:
		if len(sub) < 14 || c > 0xffff {
			return 0
		}
		segs := int(be.Uint16(sub[6:])) / 2
		ends, starts := 14, 16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		if ranges+2*segs > len(sub) {
			return 0
		}
		for i := 0; i < segs; i++ {
			if uint32(be.Uint16(sub[ends+2*i:])) < c {
				continue
			}
			start := uint32(be.Uint16(sub[starts+2*i:]))
			if c < start {
				return 0
			}
			delta := be.Uint16(sub[deltas+2*i:])
			ro := int(be.Uint16(sub[ranges+2*i:]))
			if ro == 0 {
				return int(uint16(c) + delta)
			}
			at := ranges + 2*i + ro + 2*int(c-start)
			if at+2 > len(sub) {
				return 0
			}
			if g := be.Uint16(sub[at:]); g != 0 {
				return int(g + delta)
			}
			return 0
		}
	case 6:
		if len(sub) < 10 {
			return 0
		}
		first, n := uint32(be.Uint16(sub[6:])), uint32(be.Uint16(sub[8:]))
		if c >= first && c < first+n && 10+2*int(c-first)+2 <= len(sub) {
			return int(be.Uint16(sub[10+2*(c-first):]))
		}
	case 12:
		if len(sub) < 16 {
			return 0
		}
		n := int(be.Uint32(sub[12:]))
		for i := 0; i < n && 16+12*i+12 <= len(sub); i++ {
			g := sub[16+12*i:]
			lo, hi := be.Uint32(g), be.Uint32(g[4:])
			if c >= lo && c <= hi {
				return int(be.Uint32(g[8:]) + c - lo)
			}
		}
	}
	return 0
}

// simpleGlyph finds a simple TrueType font's glyph for a code, in the
// order PDFium tries the font's cmaps: a symbolic font by (3,0) at the
// code and at 0xF000+code, else by (1,0); a non-symbolic one by the
// Unicode of the code in (3,1), then (1,0).
func (t *ttInk) simpleGlyph(code uint32, uni string, symbolic bool) int {
	if !symbolic && t.c31 != nil {
		if r, n := utf8.DecodeRuneInString(uni); n > 0 && r != utf8.RuneError {
			if g := cmapGlyph(t.c31, uint32(r)); g != 0 {
				return g
			}
		}
	}
	if t.c30 != nil {
		for _, c := range []uint32{code, 0xf000 + code, 0xf100 + code, 0xf200 + code} {
			if g := cmapGlyph(t.c30, c); g != 0 {
				return g
			}
		}
	}
	if t.c10 != nil {
		if g := cmapGlyph(t.c10, code); g != 0 {
			return g
		}
	}
	if t.c31 != nil && symbolic {
		if r, n := utf8.DecodeRuneInString(uni); n > 0 && r != utf8.RuneError {
			return cmapGlyph(t.c31, uint32(r))
		}
	}
	if t.c31 == nil && t.c30 == nil && t.c10 == nil {
		return int(code)
	}
	return 0
}

func (t *ttInk) at(i int) (int, bool) {
	be := bin.BigEndian
	if t.long {
		if 4*i+4 > len(t.loca) {
			return 0, false
		}
		return int(be.Uint32(t.loca[4*i:])), true
	}
	if 2*i+2 > len(t.loca) {
		return 0, false
	}
	return 2 * int(be.Uint16(t.loca[2*i:])), true
}

// ink is glyph g's bounds in em units.
func (t *ttInk) ink(g int) inkBox {
	if b, ok := t.cache[g]; ok {
		return b
	}
	var out inkBox
	a, ok1 := t.at(g)
	b, ok2 := t.at(g + 1)
	if g >= 0 && g < t.glyphs && ok1 && ok2 && b > a && a+10 <= len(t.glyf) {
		be := bin.BigEndian
		h := t.glyf[a:min(b, len(t.glyf))]
		x0, y0, x1, y1 := int16(be.Uint16(h[2:])), int16(be.Uint16(h[4:])), int16(be.Uint16(h[6:])), int16(be.Uint16(h[8:]))
		if px0, py0, px1, py1, ok := glyphPointBounds(h); ok {
			// Some subsets write the em square as every glyph's bounds;
			// FreeType (PDFium) measures the points.
			x0, y0, x1, y1 = px0, py0, px1, py1
		}
		// PDFium keeps a glyph's bounds in whole thousandths of an em.
		scale := func(v int16) float64 { return math.Round(float64(v)*1000/t.upem) / 1000 }
		out = inkBox{x0: scale(x0), y0: scale(y0), x1: scale(x1), y1: scale(y1), ok: true}
	}
	t.cache[g] = out
	return out
}

// type3Ink reads a Type 3 glyph's bounds from its "wx wy llx lly urx ury
// d1", mapped by the font matrix (a and d only; skewed ones are refused).
func type3Ink(proc []byte, fm [6]float64) inkBox {
	l := &pdfLexer{b: proc, content: true}
	var v []float64
	for len(v) < 7 {
		o, err := l.object(0)
		if err != nil {
			return inkBox{}
		}
		switch x := o.(type) {
		case int:
			v = append(v, float64(x))
		case float64:
			v = append(v, x)
		case pdfOp:
			if x != "d1" || len(v) != 6 {
				return inkBox{}
			}
			ax, bx := v[2]*fm[0], v[4]*fm[0]
			ay, by := v[3]*fm[3], v[5]*fm[3]
			r := func(f float64) float64 { return math.Round(f*1000) / 1000 }
			b := inkBox{x0: r(math.Min(ax, bx)), x1: r(math.Max(ax, bx)), y0: r(math.Min(ay, by)), y1: r(math.Max(ay, by)), ok: true}
			if b.x1 <= b.x0 && b.y1 <= b.y0 {
				return inkBox{}
			}
			return b
		default:
			return inkBox{}
		}
	}
	return inkBox{}
}

// glyphPointBounds measures a simple glyph's points (on and off the
// curve, as FreeType's control box does); composite glyphs keep their
// header's bounds (ok false).
func glyphPointBounds(h []byte) (x0, y0, x1, y1 int16, ok bool) {
	be := bin.BigEndian
	nc := int(int16(be.Uint16(h)))
	if nc <= 0 || 10+2*nc+2 > len(h) {
		return
	}
	npts := int(be.Uint16(h[10+2*(nc-1):])) + 1
	p := 10 + 2*nc
	p += 2 + int(be.Uint16(h[p:])) // instructions
	flags := make([]byte, 0, npts)
	for len(flags) < npts {
		if p >= len(h) {
			return
		}
		f := h[p]
		p++
		flags = append(flags, f)
		if f&8 != 0 {
			if p >= len(h) {
				return
			}
			for r := int(h[p]); r > 0 && len(flags) < npts; r-- {
				flags = append(flags, f)
			}
			p++
		}
	}
	coords := func(short, same byte) ([]int, bool) {
		out := make([]int, npts)
		v := 0
		for i, f := range flags {
			switch {
			case f&short != 0:
				if p >= len(h) {
					return nil, false
				}
				d := int(h[p])
				p++
				if f&same == 0 {
					d = -d
				}
				v += d
			case f&same == 0:
				if p+2 > len(h) {
					return nil, false
				}
				v += int(int16(be.Uint16(h[p:])))
				p += 2
			}
			out[i] = v
		}
		return out, true
	}
	xs, okx := coords(2, 16)
	if !okx {
		return
	}
	ys, oky := coords(4, 32)
	if !oky {
		return
	}
	lx, ly, hx, hy := xs[0], ys[0], xs[0], ys[0]
	for i := range xs {
		lx, ly, hx, hy = min(lx, xs[i]), min(ly, ys[i]), max(hx, xs[i]), max(hy, ys[i])
	}
	return int16(lx), int16(ly), int16(hx), int16(hy), true
}
