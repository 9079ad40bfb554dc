package extract

import (
	"bytes"
	"math"
	"strconv"
)

// Type 1 font programs (FontFile), as LibreOffice embeds CJK fonts (CFF
// programs, FontFile3, go to PDFium: no test file has one): a
// glyph's ink box is the control box of its charstring's points, as
// FreeType (PDFium) measures it. The font's own /Encoding (code → glyph
// name) picks the glyph when the PDF names no encoding.

type type1Font struct {
	enc   map[int]string    // the program's /Encoding
	chars map[string][]byte // decrypted charstrings by glyph name
	subrs [][]byte          // decrypted subroutines
	scale float64           // FontMatrix a
	cache map[string]inkBox
}

// decrypt undoes Type 1 encryption (eexec: r = 55665; charstrings:
// 4330), dropping the first skip bytes.
func type1Decrypt(b []byte, r uint16, skip int) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = append(out, c^byte(r>>8))
		r = (uint16(c)+r)*52845 + 22719
	}
	if len(out) < skip {
		return nil
	}
	return out[skip:]
}

func parseType1(prog []byte, length1 int) *type1Font {
	if length1 <= 0 || length1 > len(prog) {
		failf("Type 1: bad /Length1")
	}
	clear, bin := prog[:length1], prog[length1:]
	if len(bin) < 4 {
		failf("Type 1: no eexec part")
	}
	for _, c := range bin[:4] {
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' {
			continue
		}
		goto binary
	}
	failf("Type 1: hex eexec part")
binary:
	f := &type1Font{enc: map[int]string{}, chars: map[string][]byte{}, scale: 0.001, cache: map[string]inkBox{}}
	if i := bytes.Index(clear, []byte("/FontMatrix")); i >= 0 {
		l := &pdfLexer{b: clear, p: i + len("/FontMatrix"), content: true}
		if o, err := l.object(0); err == nil {
			if a, ok := o.(pdfArray); ok && len(a) == 6 {
				var m [6]float64
				for k := range m {
					switch v := a[k].(type) {
					case int:
						m[k] = float64(v)
					case float64:
						m[k] = v
					}
				}
				if m[1] != 0 || m[2] != 0 || m[0] <= 0 || m[0] != m[3] {
					failf("Type 1: FontMatrix %v", m)
				}
				f.scale = m[0]
			}
		}
	}
	if bytes.Contains(clear, []byte("/Encoding StandardEncoding")) {
		for c, n := range standardNames() {
			f.enc[c] = n
		}
	} else {
		l := &pdfLexer{b: clear, content: true}
		if i := bytes.Index(clear, []byte("/Encoding")); i >= 0 {
			l.p = i
		}
		var prev []any
		for {
			o, err := l.object(0)
			if err != nil || o == pdfOp("readonly") || o == pdfOp("def") && len(f.enc) > 0 {
				break
			}
			if o == pdfOp("put") && len(prev) >= 3 && prev[len(prev)-3] == pdfOp("dup") {
				if c, ok := prev[len(prev)-2].(int); ok {
					if n, ok := prev[len(prev)-1].(pdfName); ok {
						f.enc[c] = string(n)
					}
				}
				prev = prev[:0]
				continue
			}
			prev = append(prev, o)
			if len(prev) > 8 {
				prev = prev[1:]
			}
		}
	}
	priv := type1Decrypt(bin, 55665, 4)
	lenIV := 4
	if i := bytes.Index(priv, []byte("/lenIV")); i >= 0 {
		l := &pdfLexer{b: priv, p: i + len("/lenIV"), content: true}
		if o, _ := l.object(0); o != nil {
			if v, ok := o.(int); ok && v >= -1 && v < 16 {
				lenIV = v
			}
		}
	}
	cs := func(b []byte) []byte {
		if lenIV < 0 {
			return b
		}
		return type1Decrypt(b, 4330, lenIV)
	}
	// readBin reads "<len> RD <len bytes>" at p (after the length token).
	readBin := func(p, n int) ([]byte, int) {
		// skip " RD " / " -| ": the token and exactly one space
		for p < len(priv) && priv[p] == ' ' {
			p++
		}
		for p < len(priv) && priv[p] != ' ' {
			p++
		}
		p++
		if n < 0 || p+n > len(priv) {
			failf("Type 1: charstring out of range")
		}
		return priv[p : p+n], p + n
	}
	num := func(p int) (int, int) {
		for p < len(priv) && isPDFSpace(priv[p]) {
			p++
		}
		s := p
		for p < len(priv) && priv[p] >= '0' && priv[p] <= '9' {
			p++
		}
		v, err := strconv.Atoi(string(priv[s:p]))
		if err != nil {
			return -1, p
		}
		return v, p
	}
	if i := bytes.Index(priv, []byte("/Subrs")); i >= 0 {
		n, p := num(i + len("/Subrs"))
		if n < 0 || n > 1<<16 {
			failf("Type 1: bad /Subrs")
		}
		f.subrs = make([][]byte, n)
		for k := 0; k < n; k++ {
			j := bytes.Index(priv[p:], []byte("dup "))
			if j < 0 {
				break
			}
			idx, q := num(p + j + 4)
			ln, q := num(q)
			if idx < 0 || idx >= n || ln < 0 {
				failf("Type 1: bad subroutine")
			}
			var b []byte
			b, p = readBin(q, ln)
			f.subrs[idx] = cs(b)
		}
	}
	i := bytes.Index(priv, []byte("/CharStrings"))
	if i < 0 {
		failf("Type 1: no /CharStrings")
	}
	n, p := num(i + len("/CharStrings"))
	if n < 0 || n > 1<<16 {
		failf("Type 1: bad /CharStrings")
	}
	for k := 0; k < n; k++ {
		j := bytes.IndexByte(priv[p:], '/')
		if j < 0 {
			break
		}
		s := p + j + 1
		e := s
		for e < len(priv) && !isPDFSpace(priv[e]) && !isPDFDelim(priv[e]) {
			e++
		}
		name := string(priv[s:e])
		ln, q := num(e)
		if ln < 0 {
			failf("Type 1: bad charstring")
		}
		var b []byte
		b, p = readBin(q, ln)
		f.chars[name] = cs(b)
	}
	return f
}

// standardNames are StandardEncoding's names for the ASCII codes.
func standardNames() map[int]string {
	m := map[int]string{}
	for n, r := range glyphNames {
		if r > ' ' && r < 127 && r != '\'' && r != '`' {
			m[int(r)] = n
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		m[int(c)] = string(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		m[int(c)] = string(c)
	}
	m['\''], m['`'] = "quoteright", "quoteleft"
	return m
}

// ink measures the glyph a code names in the program's encoding.
func (f *type1Font) ink(code int) inkBox {
	name, ok := f.enc[code]
	if !ok {
		return inkBox{}
	}
	return f.inkNamed(name)
}

// inkNamed measures a glyph by name.
func (f *type1Font) inkNamed(name string) inkBox {
	if b, ok := f.cache[name]; ok {
		return b
	}
	var out inkBox
	if cs, ok := f.chars[name]; ok {
		r := &t1run{f: f, outlineBox: outlineBox{x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}}
		r.exec(cs, 0)
		if r.x1 >= r.x0 {
			s := func(v float64) float64 { return math.Round(v*f.scale*1000) / 1000 }
			out = inkBox{x0: s(r.x0), y0: s(r.y0), x1: s(r.x1), y1: s(r.y1), ok: true}
		}
	}
	f.cache[name] = out
	return out
}

// outlineBox follows a charstring's pen: the control box of the points
// of its contours (FreeType's cbox, which PDFium's glyph boxes are).
type outlineBox struct {
	st             []float64
	x, y           float64
	x0, y0, x1, y1 float64
	open           bool
	steps          int
	done           bool
}

func (r *outlineBox) pt(dx, dy float64) {
	r.x += dx
	r.y += dy
	r.x0, r.y0 = math.Min(r.x0, r.x), math.Min(r.y0, r.y)
	r.x1, r.y1 = math.Max(r.x1, r.x), math.Max(r.y1, r.y)
}

// moveTo starts a contour; its first point counts once a segment follows
// (FreeType's outline holds it then).
func (r *outlineBox) moveTo(dx, dy float64) {
	r.x += dx
	r.y += dy
	r.open = false
}

func (r *outlineBox) seg() {
	if !r.open {
		r.pt(0, 0)
		r.open = true
	}
}

// t1run interprets a Type 1 charstring for its points.
type t1run struct {
	outlineBox
	f     *type1Font
	ps    []float64 // the PostScript stack othersubrs leave for pop
	flex  bool
	flexN int
}

func (r *t1run) exec(cs []byte, depth int) {
	if depth > 10 {
		failf("Type 1: subroutines nested too deep")
	}
	for i := 0; i < len(cs) && !r.done; {
		r.steps++
		if r.steps > 100000 {
			failf("Type 1: charstring too long")
		}
		c := cs[i]
		switch {
		case c >= 32 && c <= 246:
			r.st = append(r.st, float64(int(c)-139))
			i++
			continue
		case c >= 247 && c <= 250 && i+1 < len(cs):
			r.st = append(r.st, float64((int(c)-247)*256+int(cs[i+1])+108))
			i += 2
			continue
		case c >= 251 && c <= 254 && i+1 < len(cs):
			r.st = append(r.st, float64(-(int(c)-251)*256-int(cs[i+1])-108))
			i += 2
			continue
		case c == 255 && i+4 < len(cs):
			r.st = append(r.st, float64(int32(uint32(cs[i+1])<<24|uint32(cs[i+2])<<16|uint32(cs[i+3])<<8|uint32(cs[i+4]))))
			i += 5
			continue
		}
		if len(r.st) > 64 {
			failf("Type 1: stack overflow")
		}
		i++
		s := r.st
		arg := func(k int) float64 {
			if k >= len(s) {
				failf("Type 1: operator lacks operands")
			}
			return s[k]
		}
		clear := true
		switch c {
		case 1, 3: // hstem vstem
		case 13: // hsbw: sbx wx
			r.x, r.y = arg(0), 0
		case 9: // closepath
		case 21, 22, 4: // rmoveto hmoveto vmoveto
			dx, dy := 0.0, 0.0
			switch c {
			case 21:
				dx, dy = arg(0), arg(1)
			case 22:
				dx = arg(0)
			case 4:
				dy = arg(0)
			}
			if r.flex {
				// Flex: the points of two curves come as moves; the
				// first is the reference point, not on the outline.
				r.x += dx
				r.y += dy
				if r.flexN > 0 {
					r.pt(0, 0)
				}
				r.flexN++
			} else {
				r.moveTo(dx, dy)
			}
		case 5:
			r.seg()
			r.pt(arg(0), arg(1))
		case 6:
			r.seg()
			r.pt(arg(0), 0)
		case 7:
			r.seg()
			r.pt(0, arg(0))
		case 8:
			r.seg()
			r.pt(arg(0), arg(1))
			r.pt(arg(2), arg(3))
			r.pt(arg(4), arg(5))
		case 30: // vhcurveto
			r.seg()
			r.pt(0, arg(0))
			r.pt(arg(1), arg(2))
			r.pt(arg(3), 0)
		case 31: // hvcurveto
			r.seg()
			r.pt(arg(0), 0)
			r.pt(arg(1), arg(2))
			r.pt(0, arg(3))
		case 10: // callsubr
			n := int(arg(len(s) - 1))
			r.st = r.st[:len(r.st)-1]
			if n < 0 || n >= len(r.f.subrs) {
				failf("Type 1: subroutine %d out of range", n)
			}
			r.exec(r.f.subrs[n], depth+1)
			continue
		case 11: // return
			return
		case 14: // endchar
			r.done = true
		case 12:
			if i >= len(cs) {
				failf("Type 1: bad escape")
			}
			e := cs[i]
			i++
			switch e {
			case 0, 1, 2: // dotsection vstem3 hstem3
			case 6:
				failf("Type 1: seac")
			case 7: // sbw
				r.x, r.y = arg(0), arg(1)
			case 12: // div
				if len(s) < 2 || s[len(s)-1] == 0 {
					failf("Type 1: bad div")
				}
				v := s[len(s)-2] / s[len(s)-1]
				r.st = append(s[:len(s)-2], v)
				clear = false
			case 16: // callothersubr: args… n othersubr#
				if len(s) < 2 {
					failf("Type 1: bad callothersubr")
				}
				o, n := int(s[len(s)-1]), int(s[len(s)-2])
				if n < 0 || n > len(s)-2 {
					failf("Type 1: bad callothersubr")
				}
				args := s[len(s)-2-n : len(s)-2]
				r.st = s[:len(s)-2-n]
				clear = false
				r.ps = r.ps[:0]
				switch o {
				case 1: // flex starts
					r.flex, r.flexN = true, 0
				case 0: // flex ends: pop pop setcurrentpoint gives the end point
					r.flex = false
					r.ps = append(r.ps, r.y, r.x)
				case 3: // hint replacement: pop gives the subroutine back
					r.ps = append(r.ps, 3)
				default:
					for k := len(args) - 1; k >= 0; k-- {
						r.ps = append(r.ps, args[k])
					}
				}
			case 17: // pop
				if len(r.ps) == 0 {
					failf("Type 1: pop from an empty stack")
				}
				r.st = append(s, r.ps[len(r.ps)-1])
				r.ps = r.ps[:len(r.ps)-1]
				clear = false
			case 33: // setcurrentpoint
				r.x, r.y = arg(0), arg(1)
			default:
				failf("Type 1: charstring operator 12 %d", e)
			}
		default:
			failf("Type 1: charstring operator %d", c)
		}
		if clear {
			r.st = r.st[:0]
		}
	}
}
