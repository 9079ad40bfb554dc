package extract

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	utf16std "unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

// PDF engines: which reader produced a pdfDoc.
const (
	pdfEngineFast   = "fast"
	pdfEnginePDFium = "pdfium"
)

// readPDFFast reads body with the pure-Go reader; any error means "read
// it with PDFium instead".
func readPDFFast(ctx context.Context, body []byte) (doc *pdfDoc, err error) {
	defer func() {
		if r := recover(); r != nil {
			// errFast is a deliberate give-up; anything else (an index out
			// of range on a hostile file) is one too: PDFium reads it.
			doc, err = nil, fmt.Errorf("fast pdf reader: %v", r)
		}
	}()
	f := openPDFFast(body)
	pages := f.pageTree()
	doc = &pdfDoc{pageCount: len(pages), engine: pdfEngineFast}
	fonts := map[any]*fastFont{}
	for i := 0; i < min(len(pages), maxPDFPages); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc.add(f.readPage(pages[i], i, fonts))
	}
	return doc, nil
}

// fastPageNode is a leaf of the page tree with what it inherits.
type fastPageNode struct {
	dict, res   pdfDict
	media, crop []float64
	rotate      int
}

func (f *pdfFile) pageTree() []fastPageNode {
	root := f.dictOf(f.trailer["Root"])
	if root == nil {
		failf("no catalog")
	}
	var out []fastPageNode
	seen := map[int]bool{}
	visited := 0
	var walk func(o any, inh fastPageNode, depth int)
	walk = func(o any, inh fastPageNode, depth int) {
		if r, ok := o.(pdfRef); ok {
			if seen[r.num] {
				failf("page tree loops")
			}
			seen[r.num] = true
		}
		visited++
		if depth > 64 || visited > fastMaxTreeKids {
			failf("page tree too deep or large")
		}
		d := f.dictOf(o)
		if d == nil {
			failf("page tree node is not a dictionary")
		}
		if r := f.dictOf(d["Resources"]); r != nil {
			inh.res = r
		}
		if a := f.rect(d["MediaBox"]); a != nil {
			inh.media = a
		}
		if a := f.rect(d["CropBox"]); a != nil {
			inh.crop = a
		}
		if v, ok := f.num(d["Rotate"]); ok {
			inh.rotate = int(v)
		}
		kids, isNode := f.resolve(d["Kids"]).(pdfArray)
		if d["Type"] == pdfName("Pages") || isNode && d["Type"] != pdfName("Page") {
			for _, k := range kids {
				walk(k, inh, depth+1)
			}
			return
		}
		inh.dict = d
		out = append(out, inh)
	}
	walk(root["Pages"], fastPageNode{}, 0)
	// A tree whose pages do not add up is one PDFium repairs: no pages,
	// or not the number the root says, is read by PDFium.
	if n, ok := f.num(f.dictOf(root["Pages"])["Count"]); len(out) == 0 || ok && int(n) != len(out) {
		failf("page tree holds %d pages", len(out))
	}
	return out
}

// rect reads a rectangle, normalised [llx lly urx ury].
func (f *pdfFile) rect(o any) []float64 {
	a := f.array(o)
	if len(a) != 4 {
		return nil
	}
	r := make([]float64, 4)
	for i := range r {
		v, ok := f.num(a[i])
		if !ok {
			return nil
		}
		r[i] = v
	}
	return []float64{math.Min(r[0], r[2]), math.Min(r[1], r[3]), math.Max(r[0], r[2]), math.Max(r[1], r[3])}
}

// readPage interprets one page as readPDFPage reads it through PDFium:
// the same size, rotation and origin, the same rules.
func (f *pdfFile) readPage(pn fastPageNode, index int, fonts map[any]*fastFont) layoutPage {
	lp := layoutPage{number: index + 1}
	media := pn.media
	if media == nil || media[2]-media[0] <= 0 || media[3]-media[1] <= 0 {
		media = []float64{0, 0, 612, 792} // PDFium's default: US Letter
	}
	box := media
	if c := pn.crop; c != nil {
		// PDFium's page size is the crop box within the media box.
		ib := []float64{math.Max(c[0], media[0]), math.Max(c[1], media[1]), math.Min(c[2], media[2]), math.Min(c[3], media[3])}
		if ib[2] > ib[0] && ib[3] > ib[1] {
			box = ib
		}
	}
	rot := (pn.rotate / 90) % 4
	if rot < 0 {
		rot += 4
	}
	tf := pageTransform{rot: rot, w: box[2] - box[0], h: box[3] - box[1], originX: media[0], orgY: media[1]}
	lp.width, lp.height = tf.w, tf.h
	if rot%2 == 1 {
		lp.width, lp.height = tf.h, tf.w
	}
	var content []byte
	switch c := f.resolve(pn.dict["Contents"]).(type) {
	case *pdfStream:
		content = f.decode(c)
	case pdfArray:
		for _, part := range c {
			s, ok := f.resolve(part).(*pdfStream)
			if !ok {
				continue
			}
			content = append(content, f.decode(s)...)
			content = append(content, '\n')
		}
	}
	in := &fastInterp{f: f, lp: &lp, tf: tf, budget: maxPDFPathPoints, fonts: fonts}
	in.run(content, pn.res, gstate{ctm: identity, th: 1, lw: 1}, 0)
	return lp
}

type gstate struct {
	ctm                    matrix
	font                   *fastFont
	fs, tc, tw, th, tl, ts float64
	lw                     float64
}

type fastInterp struct {
	f      *pdfFile
	lp     *layoutPage
	tf     pageTransform
	budget int
	ops    int
	fonts  map[any]*fastFont
}

// pathPoint is a point of the current path in user space.
type pathPoint struct {
	x, y  float64
	kind  byte // 'm', 'l', 'c'
	close bool
}

// run interprets a content stream; forms is how many form XObjects
// enclose it.
func (in *fastInterp) run(content []byte, res pdfDict, gs gstate, forms int) {
	f := in.f
	l := &pdfLexer{b: content, content: true}
	var stack []gstate
	var args []any
	var path []pathPoint
	var tm, tlm matrix
	var recent []textObj // the last text objects shown, for sameAsRecent
	compat := 0          // BX nesting
	num := func(i int) float64 {
		if i >= len(args) {
			failf("operator lacks operands")
		}
		switch v := args[i].(type) {
		case int:
			return float64(v)
		case float64:
			return v
		}
		failf("operand is not a number")
		return 0
	}
	nums := func(n int) []float64 {
		if len(args) < n {
			failf("operator lacks operands")
		}
		args = args[len(args)-n:]
		out := make([]float64, n)
		for i := range out {
			out[i] = num(i)
		}
		return out
	}
	resDict := func(kind pdfName, name any) any {
		n, ok := name.(pdfName)
		if !ok {
			failf("resource name expected")
		}
		return f.dictOf(res[kind])[n]
	}
	rulesOK := forms <= maxPDFFormDepth
	for {
		o, err := l.object(0)
		if err == errEnd {
			return
		}
		op, isOp := o.(pdfOp)
		if !isOp {
			if _, end := o.(endMark); end {
				failf("stray delimiter in content")
			}
			if len(args) >= 64 {
				failf("too many operands")
			}
			args = append(args, o)
			continue
		}
		in.ops++
		if in.ops > fastMaxOps {
			failf("too many operators")
		}
		if len(path) > maxPDFPathPoints {
			failf("a path of over %d points", maxPDFPathPoints) // a bomb: PDFium's budget skips it
		}
		switch op {
		case "q":
			if len(stack) >= fastMaxGstate {
				failf("q nested too deep")
			}
			stack = append(stack, gs)
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			v := nums(6)
			gs.ctm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.then(gs.ctm)
		case "w":
			gs.lw = nums(1)[0]
		case "gs":
			if d := f.dictOf(resDict("ExtGState", args[len(args)-1])); d != nil {
				if d["Font"] != nil {
					failf("font set by ExtGState")
				}
				if v, ok := f.num(d["LW"]); ok {
					gs.lw = v
				}
			}
		case "BT":
			tm, tlm = identity, identity
		case "ET":
		case "Tf":
			if len(args) < 2 {
				failf("Tf lacks operands")
			}
			args = args[len(args)-2:]
			gs.fs = num(1)
			gs.font = in.font(resDict("Font", args[0]))
		case "Tc":
			gs.tc = nums(1)[0]
		case "Tw":
			gs.tw = nums(1)[0]
		case "Tz":
			gs.th = nums(1)[0] / 100
		case "TL":
			gs.tl = nums(1)[0]
		case "Ts":
			gs.ts = nums(1)[0]
		case "Tr":
		case "Td", "TD":
			v := nums(2)
			if op == "TD" {
				gs.tl = -v[1]
			}
			tlm = matrix{1, 0, 0, 1, v[0], v[1]}.then(tlm)
			tm = tlm
		case "Tm":
			v := nums(6)
			tlm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
			tm = tlm
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.then(tlm)
			tm = tlm
		case "Tj", "'", "\"", "TJ":
			if len(args) == 0 {
				failf("%s lacks operands", op)
			}
			if op == "\"" {
				if len(args) < 3 {
					failf("\" lacks operands")
				}
				args = args[len(args)-3:]
				gs.tw, gs.tc = num(0), num(1)
			}
			if op == "'" || op == "\"" {
				tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.then(tlm)
				tm = tlm
			}
			if gs.font == nil {
				failf("text without a font")
			}
			start := len(in.lp.glyphs)
			obj := textObj{fs: gs.fs, font: gs.font}
			obj.x, obj.y = matrix{gs.fs * gs.th, 0, 0, gs.fs, 0, gs.ts}.then(tm).then(gs.ctm).apply(0, 0)
			switch v := args[len(args)-1].(type) {
			case pdfString:
				in.show(&gs, &tm, string(v))
				obj.codes = string(v)
			case pdfArray:
				if op != "TJ" {
					failf("%s with an array", op)
				}
				for _, e := range v {
					switch x := e.(type) {
					case pdfString:
						in.show(&gs, &tm, string(x))
						obj.codes += string(x)
					case int, float64:
						n, _ := f.num(x)
						d := -n / 1000 * gs.fs
						if gs.font.vertical {
							tm = matrix{1, 0, 0, 1, 0, d}.then(tm)
						} else {
							tm = matrix{1, 0, 0, 1, d * gs.th, 0}.then(tm)
						}
					}
				}
			default:
				failf("%s: no string", op)
			}
			if in.sameAsRecent(&obj, start, recent) {
				in.lp.glyphs = in.lp.glyphs[:start]
			} else {
				if len(recent) == 5 {
					recent = recent[1:]
				}
				recent = append(recent, obj)
			}
		case "m", "l":
			v := nums(2)
			path = append(path, pathPoint{x: v[0], y: v[1], kind: op[0]})
		case "c":
			v := nums(6)
			path = append(path, pathPoint{x: v[0], y: v[1], kind: 'c'}, pathPoint{x: v[2], y: v[3], kind: 'c'}, pathPoint{x: v[4], y: v[5], kind: 'c'})
		case "v", "y":
			v := nums(4)
			path = append(path, pathPoint{x: v[0], y: v[1], kind: 'c'}, pathPoint{x: v[2], y: v[3], kind: 'c'}, pathPoint{x: v[2], y: v[3], kind: 'c'})
		case "h":
			if len(path) > 0 {
				path[len(path)-1].close = true
			}
		case "re":
			v := nums(4)
			x, y, w, h := v[0], v[1], v[2], v[3]
			path = append(path, pathPoint{x: x, y: y, kind: 'm'}, pathPoint{x: x + w, y: y, kind: 'l'},
				pathPoint{x: x + w, y: y + h, kind: 'l'}, pathPoint{x: x, y: y + h, kind: 'l', close: true})
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*":
			if op == "s" || op == "b" || op == "b*" {
				if len(path) > 0 {
					path[len(path)-1].close = true
				}
			}
			if rulesOK && len(path) > 0 {
				stroke := op == "S" || op == "s" || op[0] == 'B' || op[0] == 'b'
				in.paint(path, gs, stroke)
			}
			path = path[:0]
		case "n":
			path = path[:0]
		case "Do":
			if len(args) == 0 {
				failf("Do lacks operands")
			}
			in.do(resDict("XObject", args[len(args)-1]), gs, res, forms, rulesOK)
		case "BI":
			in.inlineImage(l)
			if rulesOK {
				in.lp.images++
			}
		case "BX":
			compat++
		case "EX":
			compat = max(0, compat-1)
		case "d0", "d1", "BMC", "BDC", "EMC", "MP", "DP", "W", "W*", "d", "i", "j", "J", "M", "ri",
			"CS", "cs", "SC", "SCN", "sc", "scn", "G", "g", "RG", "rg", "K", "k", "sh":
			// Colour, dashes, marked content, clipping: nothing a table needs.
		default:
			if compat == 0 { // BX … EX may hold operators a reader does not know
				failf("unknown operator %q", string(op))
			}
		}
		args = args[:0]
	}
}

// textObj is one text-showing operator's string, as PDFium's text object.
type textObj struct {
	codes          string
	font           *fastFont
	fs, x, y       float64 // font size, origin in user space
	x0, y0, x1, y1 float64 // its glyphs' bounds (reading coordinates)
	empty          bool
}

// sameAsRecent drops text drawn twice, as PDFium's text page does
// (CPDF_TextPage::IsSameAsPreTextObject: producers fake bold by drawing a
// string again a hair to the side): the same codes at the same size over
// one of the last five text objects, moved by less than 0.9 of a
// character's width across and an eighth of its height down.
func (in *fastInterp) sameAsRecent(o *textObj, start int, recent []textObj) bool {
	gs := in.lp.glyphs[start:]
	o.empty = len(gs) == 0
	for i, g := range gs {
		if i == 0 {
			o.x0, o.y0, o.x1, o.y1 = g.x0, g.y0, g.x1, g.y1
		}
		o.x0, o.y0, o.x1, o.y1 = math.Min(o.x0, g.x0), math.Min(o.y0, g.y0), math.Max(o.x1, g.x1), math.Max(o.y1, g.y1)
	}
	o.empty = o.empty || o.x1 <= o.x0 || o.y1 <= o.y0
	if o.codes == "" {
		return false
	}
	for k := len(recent) - 1; k >= 0; k-- {
		p := recent[k]
		if p.codes != o.codes || p.fs != o.fs || p.font != o.font {
			continue
		}
		if !p.empty && !o.empty {
			ix0, iy0, ix1, iy1 := math.Max(p.x0, o.x0), math.Max(p.y0, o.y0), math.Min(p.x1, o.x1), math.Min(p.y1, o.y1)
			if ix1 <= ix0 || iy1 <= iy0 || math.Abs((ix1-ix0)-(o.x1-o.x0)) > (o.x1-o.x0)/2 {
				continue
			}
		}
		code, _ := o.font.next(o.codes[len(o.codes)-min(len(o.codes), 2):])
		if o.font.kind == 's' {
			code = uint32(o.codes[len(o.codes)-1])
		}
		cw := o.font.width(code) * 1000
		maxSize := math.Max(math.Max(p.y1-p.y0, p.x1-p.x0), p.fs)
		if math.Abs(o.x-p.x) <= 0.9*cw*o.fs/1000 && math.Abs(o.y-p.y) <= maxSize/8 {
			return true
		}
	}
	return false
}

// paint records the rules of a painted path as pdfObject does from
// PDFium's path object: its bounds when they are a rule, else its
// straight segments.
func (in *fastInterp) paint(path []pathPoint, gs gstate, stroke bool) {
	x0, y0, x1, y1 := path[0].x, path[0].y, path[0].x, path[0].y
	for _, p := range path[1:] {
		x0, y0, x1, y1 = math.Min(x0, p.x), math.Min(y0, p.y), math.Max(x1, p.x), math.Max(y1, p.y)
	}
	if stroke && gs.lw > 0 {
		// PDFium's bounds of a stroked path take in the pen's width.
		h := gs.lw / 2
		x0, y0, x1, y1 = x0-h, y0-h, x1+h, y1+h
	}
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		x, y := gs.ctm.apply(c[0], c[1])
		bx0, by0, bx1, by1 = math.Min(bx0, x), math.Min(by0, y), math.Max(bx1, x), math.Max(by1, y)
	}
	if stroke && gs.lw == 0 {
		bx0, by0, bx1, by1 = bx0-0.5, by0-0.5, bx1+0.5, by1+0.5
	}
	ax, ay := in.tf.apply(bx0, by0)
	cx, cy := in.tf.apply(bx1, by1)
	r := ruling{x0: math.Min(ax, cx), y0: math.Min(ay, cy), x1: math.Max(ax, cx), y1: math.Max(ay, cy)}
	if r.horizontal() || r.vertical() {
		in.lp.rules = append(in.lp.rules, r)
		return
	}
	if r.x1-r.x0 <= rulingThick && r.y1-r.y0 <= rulingThick {
		return
	}
	if len(path) > in.budget {
		return
	}
	in.budget -= len(path)
	var start, prev [2]float64
	have := false
	for _, p := range path {
		x, y := gs.ctm.apply(p.x, p.y)
		x, y = in.tf.apply(x, y)
		cur := [2]float64{x, y}
		switch p.kind {
		case 'm':
			start, have = cur, true
		case 'l':
			if have {
				addRule(in.lp, prev, cur)
			}
		}
		if p.close && have {
			addRule(in.lp, cur, start)
		}
		prev = cur
	}
}

// do runs a form XObject or counts an image.
func (in *fastInterp) do(o any, gs gstate, res pdfDict, forms int, rulesOK bool) {
	s, ok := in.f.resolve(o).(*pdfStream)
	if !ok {
		return // a missing XObject draws nothing
	}
	switch s.dict["Subtype"] {
	case pdfName("Image"):
		if rulesOK {
			in.lp.images++
		}
	case pdfName("Form"):
		if forms >= 16 {
			failf("forms nested too deep")
		}
		if a := in.f.array(s.dict["Matrix"]); len(a) == 6 {
			var m matrix
			for i := range m {
				v, ok := in.f.num(a[i])
				if !ok {
					failf("bad form /Matrix")
				}
				m[i] = v
			}
			gs.ctm = m.then(gs.ctm)
		}
		if r := in.f.dictOf(s.dict["Resources"]); r != nil {
			res = r
		}
		in.run(in.f.decode(s), res, gs, forms+1)
	case pdfName("PS"):
	default:
		failf("XObject of subtype %v", s.dict["Subtype"])
	}
}

// inlineImage skips BI … ID data EI.
func (in *fastInterp) inlineImage(l *pdfLexer) {
	d := pdfDict{}
	for {
		k, err := l.object(0)
		if err != nil {
			failf("inline image without ID")
		}
		if k == pdfOp("ID") {
			break
		}
		v, err := l.object(0)
		if err != nil {
			failf("inline image without ID")
		}
		if n, ok := k.(pdfName); ok {
			d[n] = v
		}
	}
	l.p++ // the single white-space byte after ID
	if n, ok := d["L"].(int); ok && n >= 0 && l.p+n <= len(l.b) {
		l.p += n
	}
	// The data ends at "EI" standing alone.
	for l.p < len(l.b) {
		i := bytes.Index(l.b[l.p:], []byte("EI"))
		if i < 0 {
			failf("inline image without EI")
		}
		e := l.p + i
		before := e == 0 || isPDFSpace(l.b[e-1])
		after := e+2 == len(l.b) || isPDFSpace(l.b[e+2]) || isPDFDelim(l.b[e+2])
		l.p = e + 2
		if before && after {
			return
		}
	}
	failf("inline image without EI")
}

// show places the glyphs of one string.
func (in *fastInterp) show(gs *gstate, tm *matrix, s string) {
	ft := gs.font
	for len(s) > 0 {
		code, n := ft.next(s)
		raw := s[:n]
		s = s[n:]
		text := ft.unicode(code, n, raw)
		w0 := ft.width(code)
		trm := matrix{gs.fs * gs.th, 0, 0, gs.fs, 0, gs.ts}.then(*tm).then(gs.ctm)
		var bx0, bx1, by0, by1 float64
		if ink := ft.inkOf(code); ink.ok {
			bx0, bx1, by0, by1 = ink.x0, ink.x1, ink.y0, ink.y1
		} else {
			bx0, bx1, by0, by1 = 0, w0, ft.desc, ft.asc
		}
		if ft.flat {
			by0, by1 = -0.12*w0, 0.88*w0
		}
		if ft.vertical {
			// The glyph hangs from its vertical origin, centred.
			bx0, bx1 = bx0-w0/2, bx1-w0/2
			by0, by1 = by0-ft.vy, by1-ft.vy
		}
		if len(in.lp.glyphs) < maxGlyphs {
			gx0, gy0, gx1, gy1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
			for _, c := range [4][2]float64{{bx0, by0}, {bx1, by0}, {bx0, by1}, {bx1, by1}} {
				x, y := trm.apply(c[0], c[1])
				x, y = in.tf.apply(x, y)
				gx0, gy0, gx1, gy1 = math.Min(gx0, x), math.Min(gy0, y), math.Max(gx1, x), math.Max(gy1, y)
			}
			in.addGlyph(text, gx0, gy0, gx1, gy1)
		}
		spacing := gs.tc
		if n == 1 && code == 32 {
			spacing += gs.tw
		}
		if ft.vertical {
			*tm = matrix{1, 0, 0, 1, 0, ft.w1y*gs.fs + spacing}.then(*tm)
		} else {
			*tm = matrix{1, 0, 0, 1, (w0*gs.fs + spacing) * gs.th, 0}.then(*tm)
		}
	}
}

// addGlyph records a glyph as PDFium's text page gives it: a CJK radical
// (U+2E80–U+2FDF, which Chromium's fonts map ideographs to) as its
// ideograph; a Latin ligature character (U+FB00–U+FB06) as its letters,
// the box cut in equal parts; a code that ToUnicode maps to several
// characters as one glyph each with the whole box.
func (in *fastInterp) addGlyph(text string, x0, y0, x1, y1 float64) {
	if utf8.RuneCountInString(text) <= 1 { // "": a code with no text, kept as PDFium keeps it
		r, _ := utf8.DecodeRuneInString(text)
		if u, ok := radicalIdeograph[r]; ok {
			text = string(u)
		}
		if r >= 0xfb00 && r <= 0xfb06 {
			text = norm.NFKC.String(text)
			n := utf8.RuneCountInString(text)
			w := (x1 - x0) / float64(n)
			i := 0
			for _, r := range text {
				in.lp.glyphs = append(in.lp.glyphs, glyph{text: string(r), x0: x0 + float64(i)*w, y0: y0, x1: x0 + float64(i+1)*w, y1: y1})
				i++
			}
			return
		}
		in.lp.glyphs = append(in.lp.glyphs, glyph{text: text, x0: x0, y0: y0, x1: x1, y1: y1})
		return
	}
	for _, r := range text {
		if u, ok := radicalIdeograph[r]; ok {
			r = u
		}
		in.lp.glyphs = append(in.lp.glyphs, glyph{text: string(r), x0: x0, y0: y0, x1: x1, y1: y1})
	}
}

// widthRun is a run of /W: first…last all same wide, or w from first.
type widthRun struct {
	first, last int
	same        float64
	w           []float64
}

// fastFont is what the fast reader knows of a font: how to cut a string
// into codes, each code's Unicode text and advance (in text space units
// per unit of font size), and the glyphs' vertical extent.
type fastFont struct {
	kind      byte // 's' simple, 'i' Identity CID, 'u' UCS-2, 'U' UTF-16, 'g' GBK
	toUni     map[uint32]string
	simple    [256]string // simple fonts: code → Unicode by encoding
	widths    []widthRun  // as /W or /Widths list them
	dw        float64
	scale     float64 // width units → text space (0.001; Type 3: FontMatrix)
	asc, desc float64
	vertical  bool
	vy, w1y   float64 // vertical: position vector's y and advance, in em
	// Ink: glyph bounds by glyph id (embedded TrueType, CID = glyph id
	// unless gids maps it), or a Type 3 font's glyph procedures.
	ink      *ttInk
	gids     []byte     // CIDToGIDMap stream: two bytes per CID
	t1       *type1Font // an embedded Type 1 program
	symbolic bool       // simple TrueType: FontDescriptor flag 4
	timesAFM bool       // standard Times-Roman without /Widths (pdfgen): AFM widths, advance boxes
	flat     bool       // CJK font not embedded: boxes as pdfGlyphs makes PDFium's flat ones
	t3names  [256]pdfName
	t3procs  pdfDict
	t3matrix [6]float64
	t3ink    map[uint32]inkBox
	file     *pdfFile
}

// inkOf is a code's ink box, when the font has one for it.
func (ft *fastFont) inkOf(code uint32) inkBox {
	switch {
	case ft.t1 != nil && code < 256:
		if n := ft.t3names[code]; n != "" {
			return ft.t1.inkNamed(string(n))
		}
		return ft.t1.ink(int(code))
	case ft.ink != nil && ft.kind == 's':
		return ft.ink.ink(ft.ink.simpleGlyph(code, ft.simpleText(code), ft.symbolic))
	case ft.ink != nil && ft.kind == 'i':
		gid := int(code)
		if ft.gids != nil {
			if 2*gid+2 > len(ft.gids) {
				return inkBox{}
			}
			gid = int(ft.gids[2*gid])<<8 | int(ft.gids[2*gid+1])
		}
		return ft.ink.ink(gid)
	case ft.t3procs != nil && code < 256:
		if b, ok := ft.t3ink[code]; ok {
			return b
		}
		var b inkBox
		if s, ok := ft.file.resolve(ft.t3procs[ft.t3names[code]]).(*pdfStream); ok && ft.t3names[code] != "" {
			b = type3Ink(ft.file.decode(s), ft.t3matrix)
		}
		ft.t3ink[code] = b
		return b
	}
	return inkBox{}
}

func (in *fastInterp) font(o any) *fastFont {
	key := o
	if r, ok := o.(pdfRef); ok {
		key = r
	} else {
		key = nil
	}
	if key != nil {
		if ft, ok := in.fonts[key]; ok {
			return ft
		}
	}
	ft := in.f.loadFont(o)
	if key != nil {
		in.fonts[key] = ft
	}
	return ft
}

func (f *pdfFile) loadFont(o any) *fastFont {
	d := f.dictOf(o)
	if d == nil {
		failf("font missing")
	}
	ft := &fastFont{scale: 0.001, asc: 0.88, desc: -0.12}
	if tu, ok := f.resolve(d["ToUnicode"]).(*pdfStream); ok {
		ft.toUni = parseToUnicode(f.decode(tu))
	} else if d["ToUnicode"] != nil && f.resolve(d["ToUnicode"]) != pdfName("Identity-H") {
		failf("unsupported /ToUnicode")
	}
	desc := f.dictOf(d["FontDescriptor"])
	switch d["Subtype"] {
	case pdfName("Type0"):
		enc, _ := f.resolve(d["Encoding"]).(pdfName)
		switch enc {
		case "Identity-H", "Identity-V":
			ft.kind = 'i'
			if ft.toUni == nil {
				failf("Identity font without /ToUnicode")
			}
		case "UniGB-UCS2-H", "UniGB-UCS2-V":
			ft.kind = 'u'
		case "UniGB-UTF16-H", "UniGB-UTF16-V":
			ft.kind = 'U'
		case "GBK-EUC-H", "GBK-EUC-V", "GB-EUC-H", "GB-EUC-V":
			ft.kind = 'g'
		default:
			failf("CMap %v", d["Encoding"])
		}
		ft.vertical = strings.HasSuffix(string(enc), "-V")
		df := f.array(d["DescendantFonts"])
		if len(df) != 1 {
			failf("Type0 font without descendant")
		}
		cid := f.dictOf(df[0])
		if cid == nil {
			failf("Type0 font without descendant")
		}
		desc = f.dictOf(cid["FontDescriptor"])
		if ff, ok := f.resolve(desc["FontFile2"]).(*pdfStream); ok {
			if ft.ink = trueTypeInk(f.decode(ff)); ft.ink == nil {
				failf("TrueType program not understood")
			}
			switch m := f.resolve(cid["CIDToGIDMap"]).(type) {
			case *pdfStream:
				ft.gids = f.decode(m)
			case pdfName, nil:
			default:
				failf("bad /CIDToGIDMap")
			}
		}
		ft.dw = 1000
		if v, ok := f.num(cid["DW"]); ok {
			ft.dw = v
		}
		w := f.array(cid["W"])
		if len(w) > 0 && ft.kind != 'i' {
			// Widths are by CID; the CID of a code in a predefined CMap is
			// in Adobe's tables, which we do not carry.
			failf("predefined CMap with /W")
		}
		for i := 0; i < len(w); {
			first, ok := f.num(w[i])
			if !ok || i+1 >= len(w) {
				failf("bad /W")
			}
			if a, ok := f.resolve(w[i+1]).(pdfArray); ok {
				run := widthRun{first: int(first), w: make([]float64, len(a))}
				for k, v := range a {
					run.w[k], _ = f.num(v)
				}
				ft.widths = append(ft.widths, run)
				i += 2
				continue
			}
			last, ok1 := f.num(w[i+1])
			if i+2 >= len(w) || !ok1 || last < first {
				failf("bad /W")
			}
			x, _ := f.num(w[i+2])
			ft.widths = append(ft.widths, widthRun{first: int(first), last: int(last), same: x})
			i += 3
		}
		if ft.vertical {
			if cid["W2"] != nil {
				failf("vertical metrics /W2")
			}
			ft.vy, ft.w1y = 0.88, -1
			if a := f.array(cid["DW2"]); len(a) == 2 {
				vy, _ := f.num(a[0])
				w1, _ := f.num(a[1])
				ft.vy, ft.w1y = vy/1000, w1/1000
			}
		}
	case pdfName("Type1"), pdfName("TrueType"), pdfName("Type3"), pdfName("MMType1"):
		ft.kind = 's'
		if d["Subtype"] == pdfName("Type3") {
			fm := f.array(d["FontMatrix"])
			if len(fm) != 6 {
				failf("Type 3 font without /FontMatrix")
			}
			var m [6]float64
			for i := range m {
				m[i], _ = f.num(fm[i])
			}
			if m[1] != 0 || m[2] != 0 || m[0] <= 0 || m[3] == 0 {
				failf("skewed Type 3 /FontMatrix")
			}
			ft.scale = m[0]
			ft.t3matrix, ft.file, ft.t3ink = m, f, map[uint32]inkBox{}
			ft.t3procs = f.dictOf(d["CharProcs"])
			if bb := f.rect(d["FontBBox"]); bb != nil {
				a, b := bb[1]*m[3], bb[3]*m[3]
				lo, hi := math.Min(a, b), math.Max(a, b)
				if hi > 0.3 && hi < 1.5 && lo > -0.6 && lo <= 0 {
					ft.asc, ft.desc = hi, lo
				}
			}
			desc = nil
		}
		first, _ := f.num(d["FirstChar"])
		ws := f.array(d["Widths"])
		if ws == nil {
			base, _ := f.resolve(d["BaseFont"]).(pdfName)
			if base != "Times-Roman" {
				failf("font %v without /Widths", base)
			}
			ft.widths = []widthRun{{first: 32, w: timesRomanWidths}}
			ft.timesAFM = true
		}
		run := widthRun{first: int(first), w: make([]float64, len(ws))}
		for i, v := range ws {
			run.w[i], _ = f.num(v)
		}
		ft.widths = append(ft.widths, run)
		if desc != nil {
			ft.dw, _ = f.num(desc["MissingWidth"])
			if ff, ok := f.resolve(desc["FontFile2"]).(*pdfStream); ok {
				if ft.ink = trueTypeInk(f.decode(ff)); ft.ink == nil {
					failf("TrueType program not understood")
				}
				flags, _ := f.num(desc["Flags"])
				ft.symbolic = int(flags)&4 != 0
			}
		}
		f.simpleEncoding(d, ft)
	default:
		failf("font type %v", d["Subtype"])
	}
	if desc != nil && desc["FontFile"] != nil {
		// A Type 1 program: PDFium measures its glyphs, and the layout
		// needs those ink boxes (advance boxes join columns of a table
		// without rules), so the charstrings are run for their points.
		ff, ok := f.resolve(desc["FontFile"]).(*pdfStream)
		l1, _ := f.num(ff.dict["Length1"])
		if !ok || ft.kind != 's' {
			failf("Type 1 program in a composite font")
		}
		if d["Encoding"] != nil && f.array(f.dictOf(d["Encoding"])["Differences"]) == nil {
			failf("Type 1 program with a named /Encoding") // glyph names of WinAnsi etc.: not carried
		}
		ft.t1 = parseType1(f.decode(ff), int(l1))
	}
	if desc != nil && desc["FontFile3"] != nil {
		failf("CFF font program") // PDFium measures its glyphs; we do not run Type 2 charstrings
	}
	embedded := desc != nil && (desc["FontFile"] != nil || desc["FontFile2"] != nil || desc["FontFile3"] != nil)
	switch {
	case embedded || d["Subtype"] == pdfName("Type3") || ft.timesAFM:
	case ft.kind == 's':
		// A Latin font the file does not embed: PDFium draws it with a
		// font of its own and measures that ink.
		failf("simple font %v not embedded", d["BaseFont"])
	case ft.vertical:
		failf("vertical CJK font not embedded")
	default:
		// A CJK font the file does not embed: PDFium has no outlines, its
		// glyph boxes are flat, and pdfGlyphs gives them 0.88 of their
		// width above the baseline and 0.12 below; so does show.
		ft.flat = true
		return ft
	}
	if desc != nil {
		a, ok1 := f.num(desc["Ascent"])
		dd, ok2 := f.num(desc["Descent"])
		if ok1 && ok2 && a >= 500 && a <= 1200 && dd <= 0 && dd >= -500 {
			ft.asc, ft.desc = a/1000, dd/1000
		}
	}
	return ft
}

// simpleEncoding fills ft.simple from /Encoding (base and /Differences).
func (f *pdfFile) simpleEncoding(d pdfDict, ft *fastFont) {
	enc := f.resolve(d["Encoding"])
	base := pdfName("StandardEncoding")
	if d["Subtype"] == pdfName("TrueType") || d["Subtype"] == pdfName("Type3") {
		base = "WinAnsiEncoding"
	}
	var diffs pdfArray
	switch e := enc.(type) {
	case pdfName:
		base = e
	case pdfDict:
		if b, ok := f.resolve(e["BaseEncoding"]).(pdfName); ok {
			base = b
		}
		diffs = f.array(e["Differences"])
	}
	for c := 32; c < 127; c++ {
		ft.simple[c] = string(rune(c))
	}
	switch base {
	case "WinAnsiEncoding":
		for c := 160; c < 256; c++ {
			ft.simple[c] = string(rune(c))
		}
		for i, r := range winAnsi80 {
			if r != 0 {
				ft.simple[0x80+i] = string(r)
			}
		}
	case "StandardEncoding":
		ft.simple['\''], ft.simple['`'] = "’", "‘"
	case "MacRomanEncoding":
	default:
		failf("encoding %v", base)
	}
	code := 0
	for _, e := range diffs {
		switch v := f.resolve(e).(type) {
		case int:
			code = v
		case pdfName:
			if code >= 0 && code < 256 {
				ft.simple[code] = glyphNameUnicode(string(v))
				ft.t3names[code] = v
			}
			code++
		}
	}
}

// winAnsi80 is WinAnsiEncoding's 0x80–0x9F.
var winAnsi80 = [32]rune{'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ'}

// glyphNameUnicode maps the glyph names we know; "" is unknown.
func glyphNameUnicode(name string) string {
	if r, ok := glyphNames[name]; ok {
		return string(r)
	}
	if len(name) == 1 && name[0] > ' ' && name[0] < 127 {
		return name
	}
	if strings.HasPrefix(name, "uni") && len(name) == 7 {
		var v rune
		if _, err := fmt.Sscanf(name[3:], "%04X", &v); err == nil {
			return string(v)
		}
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		var v rune
		if _, err := fmt.Sscanf(name[1:], "%X", &v); err == nil {
			return string(v)
		}
	}
	return ""
}

var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '’', "parenleft": '(', "parenright": ')',
	"asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "period": '.', "slash": '/',
	"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6',
	"seven": '7', "eight": '8', "nine": '9', "colon": ':', "semicolon": ';', "less": '<',
	"equal": '=', "greater": '>', "question": '?', "at": '@', "bracketleft": '[', "backslash": '\\',
	"bracketright": ']', "asciicircum": '^', "underscore": '_', "grave": '`', "quoteleft": '‘',
	"braceleft": '{', "bar": '|', "braceright": '}', "asciitilde": '~', "bullet": '•',
	"endash": '–', "emdash": '—', "quotedblleft": '“', "quotedblright": '”', "ellipsis": '…',
	"periodcentered": '·', "degree": '°', "multiply": '×', "divide": '÷', "minus": '−',
	"nbspace": '\u00a0', "sfthyphen": '\u00ad', "copyright": '©', "registered": '®', "section": '§',
}

// timesRomanWidths are Times-Roman's advances for codes 32–126 (its AFM),
// for the standard font written without /Widths (as pdfgen does).
var timesRomanWidths = []float64{
	250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, // space … /
	500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, // 0 … ?
	921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, // @ … O
	556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, // P … _
	333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, // ` … o
	500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541, // p … ~
}

// next cuts the first code off s: its value and length in bytes.
func (ft *fastFont) next(s string) (uint32, int) {
	switch ft.kind {
	case 's':
		return uint32(s[0]), 1
	case 'g':
		if s[0] < 0x81 || len(s) < 2 {
			return uint32(s[0]), 1
		}
		return uint32(s[0])<<8 | uint32(s[1]), 2
	case 'U':
		if len(s) >= 4 && s[0] >= 0xd8 && s[0] <= 0xdb {
			return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3]), 4
		}
	}
	if len(s) < 2 {
		return uint32(s[0]), 1 // an odd byte at the end
	}
	return uint32(s[0])<<8 | uint32(s[1]), 2
}

func (ft *fastFont) unicode(code uint32, n int, raw string) string {
	if ft.toUni != nil && n <= 3 {
		if t, ok := ft.toUni[uint32(n)<<24|code]; ok {
			return t
		}
	}
	switch ft.kind {
	case 's':
		if t := ft.simple[code]; t != "" {
			return t
		}
		if ft.toUni != nil && (code < 32 || code == 127) {
			return "" // an unmapped control code: PDFium gives no text either
		}
	case 'u', 'U':
		if n == 2 {
			return string(rune(code))
		}
		return string(utf16std.Decode([]uint16{uint16(code >> 16), uint16(code)}))
	case 'g':
		if n == 1 {
			return raw
		}
		if t, err := simplifiedchinese.GBK.NewDecoder().String(raw); err == nil {
			return t
		}
	}
	failf("code %x has no Unicode", code)
	return ""
}

// simpleText is the Unicode the encoding gives a simple font's code
// (ToUnicode aside), for its glyph in a (3,1) cmap.
func (ft *fastFont) simpleText(code uint32) string {
	if code < 256 && ft.simple[code] != "" {
		return ft.simple[code]
	}
	if t, ok := ft.toUni[1<<24|code]; ok {
		return t
	}
	return ""
}

// width is a code's advance in text space per unit of font size.
func (ft *fastFont) width(code uint32) float64 {
	w, c := ft.dw, int(code)
	// The first run that holds the code counts, as in PDFium.
	for _, r := range ft.widths {
		if r.w != nil && c >= r.first && c < r.first+len(r.w) {
			w = r.w[c-r.first]
			break
		}
		if r.w == nil && c >= r.first && c <= r.last {
			w = r.same
			break
		}
	}
	return w * ft.scale
}

// parseToUnicode reads a ToUnicode CMap: bfchar and bfrange entries keyed
// by code length and code.
func parseToUnicode(data []byte) map[uint32]string {
	m := map[uint32]string{}
	l := &pdfLexer{b: data, content: true}
	var prev []any
	mode := ""
	for {
		o, err := l.object(0)
		if err == errEnd {
			return m
		}
		op, ok := o.(pdfOp)
		if !ok {
			if mode != "" {
				prev = append(prev, o)
			}
			continue
		}
		switch op {
		case "beginbfchar", "beginbfrange":
			mode, prev = string(op), prev[:0]
		case "endbfchar":
			for i := 0; i+1 < len(prev); i += 2 {
				src, ok1 := prev[i].(pdfString)
				dst, ok2 := prev[i+1].(pdfString)
				if ok1 && ok2 && len(src) >= 1 && len(src) <= 3 {
					m[uint32(len(src))<<24|codeOf(src)] = utf16String(string(dst))
				}
			}
			mode, prev = "", prev[:0]
		case "endbfrange":
			for i := 0; i+2 < len(prev); i += 3 {
				lo, ok1 := prev[i].(pdfString)
				hi, ok2 := prev[i+1].(pdfString)
				if !ok1 || !ok2 || len(lo) != len(hi) || len(lo) < 1 || len(lo) > 3 {
					continue
				}
				a, b := codeOf(lo), codeOf(hi)
				if b < a || b-a > 0xffff {
					failf("bad bfrange")
				}
				n := uint32(len(lo)) << 24
				switch dst := prev[i+2].(type) {
				case pdfString:
					u := utf16std.Decode(u16(string(dst)))
					if len(u) == 0 {
						continue
					}
					if len(m)+int(b-a) > 1<<20 {
						failf("ToUnicode too large")
					}
					for c := a; c <= b; c++ {
						last := u[len(u)-1] + rune(c-a)
						m[n|c] = string(u[:len(u)-1]) + string(last)
					}
				case pdfArray:
					for k, v := range dst {
						if s, ok := v.(pdfString); ok && a+uint32(k) <= b {
							m[n|(a+uint32(k))] = utf16String(string(s))
						}
					}
				}
			}
			mode, prev = "", prev[:0]
		default:
			if mode == "" {
				prev = prev[:0]
			}
		}
		if len(m) > 1<<20 {
			failf("ToUnicode too large")
		}
	}
}

func codeOf(s pdfString) uint32 {
	var c uint32
	for i := 0; i < len(s); i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

func u16(s string) []uint16 {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return u
}

func utf16String(s string) string {
	if len(s) == 1 {
		return s
	}
	return string(utf16std.Decode(u16(s)))
}
