package extract

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The fast PDF reader: a compact pure-Go parser for the PDFs reports are
// published as (Word/WPS exports, Chromium prints, our own pdfgen). It
// reads the file's objects itself and interprets page content for text,
// rules and images, which costs a fraction of PDFium in WebAssembly.
// Whatever it does not understand with confidence (encryption, a broken
// xref, a filter other than Flate, a font whose codes it cannot map to
// Unicode, vertical fonts with their own metrics…) makes it give up, and
// readPDF reads the file with PDFium as before: a fallback never loses
// anything.

// Bounds on a hostile file, beyond the page/glyph/path bounds PDFium's
// path shares.
const (
	fastMaxStream   = 64 << 20  // decoded bytes of one stream
	fastMaxDecoded  = 256 << 20 // decoded bytes of one document
	fastMaxObjects  = 1 << 20   // xref entries
	fastMaxNesting  = 64        // arrays/dicts inside each other
	fastMaxRefChain = 16        // a reference to a reference to …
	fastMaxPrev     = 64        // xref sections chained by /Prev
	fastMaxOps      = 4 << 20   // content operators per page (forms included)
	fastMaxGstate   = 256       // q nesting
	fastMaxTreeKids = 1 << 20   // nodes of the page tree visited
)

// errFast is why the fast reader gave up on a file.
type errFast struct{ msg string }

func (e *errFast) Error() string { return e.msg }

// failf stops the fast reader; readPDFFast recovers it into an error.
func failf(format string, args ...any) {
	panic(&errFast{fmt.Sprintf(format, args...)})
}

// PDF objects: nil, bool, int, float64, pdfName, pdfString, pdfArray,
// pdfDict, pdfRef, *pdfStream; pdfOp is a content-stream operator.
type (
	pdfName   string
	pdfString string
	pdfOp     string
	pdfArray  []any
	pdfDict   map[pdfName]any
	pdfRef    struct{ num, gen int }
	pdfStream struct {
		dict pdfDict
		raw  []byte
	}
)

// pdfLexer reads PDF tokens and objects from b.
type pdfLexer struct {
	b       []byte
	p       int
	content bool // a content stream: no "n g R" references, operators allowed
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (l *pdfLexer) skipSpace() {
	for l.p < len(l.b) {
		c := l.b[l.p]
		if isPDFSpace(c) {
			l.p++
		} else if c == '%' {
			for l.p < len(l.b) && l.b[l.p] != '\n' && l.b[l.p] != '\r' {
				l.p++
			}
		} else {
			return
		}
	}
}

// regular reads a run of regular characters.
func (l *pdfLexer) regular() []byte {
	s := l.p
	for l.p < len(l.b) && !isPDFSpace(l.b[l.p]) && !isPDFDelim(l.b[l.p]) {
		l.p++
	}
	return l.b[s:l.p]
}

// errEnd marks the end of the input where an object was expected.
var errEnd = errors.New("end of data")

// endMark is returned for "]", ">>" when read as an object.
type endMark byte

// object reads one object (or operator in content). At the end of the
// data it returns errEnd.
func (l *pdfLexer) object(depth int) (any, error) {
	if depth > fastMaxNesting {
		failf("objects nested too deep")
	}
	l.skipSpace()
	if l.p >= len(l.b) {
		return nil, errEnd
	}
	c := l.b[l.p]
	switch {
	case c == '/':
		l.p++
		return pdfName(decodeName(l.regular())), nil
	case c == '(':
		return l.literal(), nil
	case c == '<':
		if l.p+1 < len(l.b) && l.b[l.p+1] == '<' {
			l.p += 2
			return l.dict(depth)
		}
		return l.hex(), nil
	case c == '>':
		if l.p+1 < len(l.b) && l.b[l.p+1] == '>' {
			l.p += 2
			return endMark('>'), nil
		}
		failf("stray >")
	case c == '[':
		l.p++
		var a pdfArray
		for {
			o, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if e, ok := o.(endMark); ok {
				if e != ']' {
					failf("array closed by >>")
				}
				return a, nil
			}
			a = append(a, o)
		}
	case c == ']':
		l.p++
		return endMark(']'), nil
	case c == '{' || c == '}':
		l.p++
		return pdfOp(string(c)), nil
	case c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9':
		tok := l.regular()
		if len(tok) == 0 {
			l.p++
			failf("bad number")
		}
		n, isInt := parseNumber(tok)
		if isInt && !l.content && n >= 0 {
			// "n g R" is a reference.
			save := l.p
			l.skipSpace()
			s := l.p
			if g := l.regular(); len(g) > 0 && g[0] >= '0' && g[0] <= '9' {
				if gen, gi := parseNumber(g); gi {
					l.skipSpace()
					if l.p < len(l.b) && l.b[l.p] == 'R' && (l.p+1 == len(l.b) || isPDFSpace(l.b[l.p+1]) || isPDFDelim(l.b[l.p+1])) {
						l.p++
						return pdfRef{int(n), int(gen)}, nil
					}
				}
			}
			_ = s
			l.p = save
		}
		if isInt {
			return int(n), nil
		}
		return n, nil
	}
	tok := l.regular()
	if len(tok) == 0 {
		l.p++
		failf("unexpected byte %q", c)
	}
	switch string(tok) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	return pdfOp(tok), nil
}

func (l *pdfLexer) dict(depth int) (pdfDict, error) {
	d := pdfDict{}
	for {
		k, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if e, ok := k.(endMark); ok {
			if e != '>' {
				failf("dictionary closed by ]")
			}
			return d, nil
		}
		name, ok := k.(pdfName)
		if !ok {
			failf("dictionary key is not a name")
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(endMark); ok {
			failf("dictionary value missing")
		}
		d[name] = v
	}
}

// parseNumber reads an integer or real; a malformed one fails.
func parseNumber(tok []byte) (float64, bool) {
	isInt := true
	for _, c := range tok {
		if c == '.' {
			isInt = false
		}
	}
	if isInt {
		if n, err := strconv.ParseInt(string(tok), 10, 64); err == nil {
			return float64(n), true
		}
	}
	f, err := strconv.ParseFloat(string(tok), 64)
	if err != nil {
		// "--5", "4.-2": readers take what they can; so do we, as 0,
		// as PDFium does.
		return 0, false
	}
	return f, false
}

func decodeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func (l *pdfLexer) literal() pdfString {
	l.p++ // (
	var out []byte
	depth := 1
	for l.p < len(l.b) {
		c := l.b[l.p]
		l.p++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return pdfString(out)
			}
		case '\\':
			if l.p >= len(l.b) {
				break
			}
			e := l.b[l.p]
			l.p++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.p < len(l.b) && l.b[l.p] == '\n' {
					l.p++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.p < len(l.b) && l.b[l.p] >= '0' && l.b[l.p] <= '7'; k++ {
						v = v*8 + int(l.b[l.p]-'0')
						l.p++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	failf("unterminated string")
	return ""
}

func (l *pdfLexer) hex() pdfString {
	l.p++ // <
	var out []byte
	hi, have := byte(0), false
	for l.p < len(l.b) {
		c := l.b[l.p]
		l.p++
		var v byte
		switch {
		case c == '>':
			if have {
				out = append(out, hi<<4)
			}
			return pdfString(out)
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		case isPDFSpace(c):
			continue
		default:
			failf("bad hex string")
		}
		if have {
			out = append(out, hi<<4|v)
			have = false
		} else {
			hi, have = v, true
		}
	}
	failf("unterminated hex string")
	return ""
}

// pdfFile is an open PDF: its cross-reference and the objects read so far.
type pdfFile struct {
	b       []byte
	xref    map[int]xrefEntry
	trailer pdfDict
	cache   map[int]any
	loading map[int]bool
	objStms map[int]*objStm
	decoded int           // bytes decompressed so far
	zr      io.ReadCloser // one inflater reset for each stream (each new one allocates 40 KB)
	crypt   *pdfCrypt     // a copy-locked file's key; nil when not encrypted
	plain   int           // the /Encrypt dictionary's object: never encrypted
}

type xrefEntry struct {
	kind int // 1: at offset; 2: in object stream
	a, b int // offset, gen | stream number, index
}

type objStm struct {
	data []byte
	offs map[int]int // object number → offset in data
}

// openPDFFast reads the cross-reference of b (tables, streams, /Prev
// chains, hybrid files).
func openPDFFast(b []byte) *pdfFile {
	f := &pdfFile{b: b, xref: map[int]xrefEntry{}, cache: map[int]any{}, loading: map[int]bool{}, objStms: map[int]*objStm{}}
	tail := b[max(0, len(b)-1024):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		failf("no startxref")
	}
	l := &pdfLexer{b: tail, p: i + len("startxref")}
	o, err := l.object(0)
	off, ok := o.(int)
	if err != nil || !ok || off <= 0 || off >= len(b) {
		failf("bad startxref")
	}
	seen := map[int]bool{}
	for n := 0; off > 0; n++ {
		if n >= fastMaxPrev || seen[off] {
			failf("xref chain loops")
		}
		seen[off] = true
		tr := f.readXref(off)
		if f.trailer == nil {
			f.trailer = tr
		}
		if x, ok := tr["XRefStm"].(int); ok && x > 0 && x < len(b) && !seen[x] {
			seen[x] = true
			f.readXref(x) // hybrid file: the stream adds what the table lacks
		}
		off = 0
		if p, ok := tr["Prev"].(int); ok {
			if p <= 0 || p >= len(b) {
				failf("bad /Prev")
			}
			off = p
		}
	}
	if e := f.trailer["Encrypt"]; e != nil {
		enc := f.dictOf(e) // read before crypt is set: its strings are not encrypted
		if enc == nil {
			failf("bad /Encrypt")
		}
		f.crypt = f.openCrypt(enc)
		if r, ok := e.(pdfRef); ok {
			f.plain = r.num
		}
	}
	return f
}

// readXref reads the section at off into f.xref (entries already there,
// from a newer section, win) and returns its trailer.
func (f *pdfFile) readXref(off int) pdfDict {
	l := &pdfLexer{b: f.b, p: off}
	l.skipSpace()
	if bytes.HasPrefix(f.b[l.p:], []byte("xref")) {
		l.p += 4
		for {
			o, err := l.object(0)
			if err != nil {
				failf("xref table: %v", err)
			}
			if op, ok := o.(pdfOp); ok && op == "trailer" {
				break
			}
			start, ok1 := o.(int)
			c, _ := l.object(0)
			count, ok2 := c.(int)
			if !ok1 || !ok2 || start < 0 || count < 0 || count > fastMaxObjects || start+count > fastMaxObjects {
				failf("bad xref subsection")
			}
			for k := 0; k < count; k++ {
				l.skipSpace()
				ofs := l.regular()
				l.skipSpace()
				gen := l.regular()
				l.skipSpace()
				typ := l.regular()
				if len(typ) != 1 {
					failf("bad xref entry")
				}
				o, err1 := strconv.Atoi(string(ofs))
				g, err2 := strconv.Atoi(string(gen))
				if err1 != nil || err2 != nil {
					failf("bad xref entry")
				}
				num := start + k
				if _, ok := f.xref[num]; ok {
					continue
				}
				switch typ[0] {
				case 'n':
					f.xref[num] = xrefEntry{1, o, g}
				case 'f':
					f.xref[num] = xrefEntry{}
				default:
					failf("bad xref entry")
				}
			}
		}
		o, err := l.object(0)
		tr, ok := o.(pdfDict)
		if err != nil || !ok {
			failf("bad trailer")
		}
		return tr
	}
	// An xref stream: "n g obj << /Type /XRef … >> stream".
	o := f.objectAt(off, -1)
	s, ok := o.(*pdfStream)
	if !ok || s.dict["Type"] != pdfName("XRef") {
		failf("no xref at %d", off)
	}
	data := f.decode(s)
	w, _ := s.dict["W"].(pdfArray)
	if len(w) != 3 {
		failf("bad xref /W")
	}
	var ws [3]int
	for i := range ws {
		ws[i], _ = w[i].(int)
		if ws[i] < 0 || ws[i] > 8 {
			failf("bad xref /W")
		}
	}
	size, _ := s.dict["Size"].(int)
	index := pdfArray{0, size}
	if ix, ok := s.dict["Index"].(pdfArray); ok {
		index = ix
	}
	row := ws[0] + ws[1] + ws[2]
	if row == 0 {
		failf("bad xref /W")
	}
	p := 0
	field := func(n, def int) int {
		if n == 0 {
			return def
		}
		v := 0
		for k := 0; k < n; k++ {
			v = v<<8 | int(data[p])
			p++
		}
		return v
	}
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := index[i].(int)
		count, ok2 := index[i+1].(int)
		if !ok1 || !ok2 || start < 0 || count < 0 || start+count > fastMaxObjects {
			failf("bad xref /Index")
		}
		for k := 0; k < count; k++ {
			if p+row > len(data) {
				failf("xref stream too short")
			}
			t := field(ws[0], 1)
			a := field(ws[1], 0)
			c := field(ws[2], 0)
			num := start + k
			if _, ok := f.xref[num]; ok {
				continue
			}
			switch t {
			case 0:
				f.xref[num] = xrefEntry{}
			case 1:
				f.xref[num] = xrefEntry{1, a, c}
			case 2:
				f.xref[num] = xrefEntry{2, a, c}
			}
		}
	}
	return s.dict
}

// objectAt reads "n g obj … endobj" at off; num is the expected number
// (-1: any).
func (f *pdfFile) objectAt(off, num int) any {
	if off <= 0 || off >= len(f.b) {
		failf("object %d: bad offset", num)
	}
	l := &pdfLexer{b: f.b, p: off}
	n, _ := l.object(0)
	g, _ := l.object(0)
	kw, _ := l.object(0)
	if nn, ok := n.(int); !ok || num >= 0 && nn != num {
		failf("object %d not at its offset", num)
	}
	if _, ok := g.(int); !ok || kw != pdfOp("obj") {
		failf("object %d not at its offset", num)
	}
	o, err := l.object(0)
	if err != nil {
		failf("object %d: %v", num, err)
	}
	d, ok := o.(pdfDict)
	if !ok {
		return o
	}
	save := l.p
	l.skipSpace()
	if !bytes.HasPrefix(f.b[l.p:], []byte("stream")) {
		l.p = save
		return d
	}
	l.p += len("stream")
	if l.p < len(f.b) && f.b[l.p] == '\r' {
		l.p++
	}
	if l.p < len(f.b) && f.b[l.p] == '\n' {
		l.p++
	}
	start := l.p
	length, ok := f.resolve(d["Length"]).(int)
	end := start + length
	if !ok || length < 0 || end > len(f.b) || !endstreamAt(f.b, end) {
		// A wrong /Length: the data ends before the next "endstream".
		k := bytes.Index(f.b[start:], []byte("endstream"))
		if k < 0 {
			failf("object %d: stream without end", num)
		}
		end = start + k
		for end > start && (f.b[end-1] == '\n' || f.b[end-1] == '\r') {
			end--
		}
	}
	return &pdfStream{dict: d, raw: f.b[start:end]}
}

func endstreamAt(b []byte, p int) bool {
	for p < len(b) && isPDFSpace(b[p]) {
		p++
	}
	return bytes.HasPrefix(b[p:], []byte("endstream"))
}

// resolve follows references.
func (f *pdfFile) resolve(o any) any {
	for i := 0; ; i++ {
		r, ok := o.(pdfRef)
		if !ok {
			return o
		}
		if i >= fastMaxRefChain {
			failf("reference chain too long")
		}
		o = f.load(r.num)
	}
}

func (f *pdfFile) load(num int) any {
	if o, ok := f.cache[num]; ok {
		return o
	}
	if f.loading[num] {
		failf("object %d refers to itself", num)
	}
	f.loading[num] = true
	defer delete(f.loading, num)
	e, ok := f.xref[num]
	var o any
	switch {
	case !ok || e.kind == 0:
		o = nil // a missing object is null
	case e.kind == 1:
		o = f.objectAt(e.a, num)
		if f.crypt != nil && num != f.plain {
			o = f.crypt.decryptObject(o, num, e.b, 0)
		}
	default:
		o = f.fromObjStm(e.a, num)
	}
	f.cache[num] = o
	return o
}

func (f *pdfFile) fromObjStm(stm, num int) any {
	os, ok := f.objStms[stm]
	if !ok {
		s, ok := f.resolve(pdfRef{stm, 0}).(*pdfStream)
		if !ok || s.dict["Type"] != pdfName("ObjStm") {
			failf("object stream %d missing", stm)
		}
		data := f.decode(s)
		n, _ := s.dict["N"].(int)
		first, _ := s.dict["First"].(int)
		if n < 0 || n > fastMaxObjects || first < 0 || first > len(data) {
			failf("object stream %d: bad header", stm)
		}
		os = &objStm{data: data[first:], offs: map[int]int{}}
		l := &pdfLexer{b: data[:first], content: true}
		for k := 0; k < n; k++ {
			a, _ := l.object(0)
			b, _ := l.object(0)
			on, ok1 := a.(int)
			oo, ok2 := b.(int)
			if !ok1 || !ok2 || oo < 0 || oo > len(os.data) {
				failf("object stream %d: bad header", stm)
			}
			os.offs[on] = oo
		}
		f.objStms[stm] = os
	}
	off, ok := os.offs[num]
	if !ok {
		return nil
	}
	l := &pdfLexer{b: os.data, p: off}
	o, err := l.object(0)
	if err != nil {
		failf("object %d: %v", num, err)
	}
	return o
}

// dictOf resolves o to a dictionary (a stream's dictionary too).
func (f *pdfFile) dictOf(o any) pdfDict {
	switch v := f.resolve(o).(type) {
	case pdfDict:
		return v
	case *pdfStream:
		return v.dict
	}
	return nil
}

func (f *pdfFile) num(o any) (float64, bool) {
	switch v := f.resolve(o).(type) {
	case int:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func (f *pdfFile) array(o any) pdfArray {
	a, _ := f.resolve(o).(pdfArray)
	return a
}

// decode returns a stream's data: none or FlateDecode (PNG predictors).
func (f *pdfFile) decode(s *pdfStream) []byte {
	filters := f.resolve(s.dict["Filter"])
	parms := f.resolve(s.dict["DecodeParms"])
	if a, ok := filters.(pdfArray); ok {
		switch len(a) {
		case 0:
			filters = nil
		case 1:
			filters = f.resolve(a[0])
			if pa, ok := parms.(pdfArray); ok && len(pa) == 1 {
				parms = f.resolve(pa[0])
			}
		default:
			failf("filter chain")
		}
	}
	switch filters {
	case nil:
		return s.raw
	case pdfName("FlateDecode"), pdfName("Fl"):
	default:
		failf("filter %v", filters)
	}
	var err error
	if f.zr == nil {
		f.zr, err = zlib.NewReader(bytes.NewReader(s.raw))
	} else {
		err = f.zr.(zlib.Resetter).Reset(bytes.NewReader(s.raw), nil)
	}
	if err != nil {
		f.zr = nil
		failf("inflate: %v", err)
	}
	limit := min(fastMaxStream, fastMaxDecoded-f.decoded)
	var buf bytes.Buffer
	buf.Grow(min(limit+1, 4*len(s.raw)+64))
	_, err = buf.ReadFrom(io.LimitReader(f.zr, int64(limit)+1))
	out := buf.Bytes()
	if err != nil && len(out) == 0 {
		failf("inflate: %v", err)
	}
	// A truncated or badly checksummed stream keeps what inflated, as
	// PDFium does; a stream over the limit is a bomb.
	if len(out) > limit {
		failf("stream over %d bytes decoded", limit)
	}
	f.decoded += len(out)
	if pd, ok := parms.(pdfDict); ok {
		if p, _ := f.num(pd["Predictor"]); p >= 10 {
			out = pngUnpredict(out, f, pd)
		} else if p > 1 {
			failf("predictor %v", p)
		}
	}
	return out
}

// pngUnpredict undoes PNG row filters.
func pngUnpredict(data []byte, f *pdfFile, pd pdfDict) []byte {
	num := func(k pdfName, def int) int {
		if v, ok := f.num(pd[k]); ok {
			return int(v)
		}
		return def
	}
	cols, colors, bpc := num("Columns", 1), num("Colors", 1), num("BitsPerComponent", 8)
	if cols <= 0 || colors <= 0 || bpc <= 0 || cols > 1<<20 || colors > 32 || bpc > 16 {
		failf("bad predictor parameters")
	}
	bpp := max(1, colors*bpc/8)
	rowLen := (cols*colors*bpc + 7) / 8
	var out []byte
	prev := make([]byte, rowLen)
	for p := 0; p+1+rowLen <= len(data); p += 1 + rowLen {
		ft := data[p]
		row := append([]byte(nil), data[p+1:p+1+rowLen]...)
		for i := range row {
			var a, b, c byte
			if i >= bpp {
				a, c = row[i-bpp], prev[i-bpp]
			}
			b = prev[i]
			switch ft {
			case 0:
			case 1:
				row[i] += a
			case 2:
				row[i] += b
			case 3:
				row[i] += byte((int(a) + int(b)) / 2)
			case 4:
				pa, pb, pc := abs(int(b)-int(c)), abs(int(a)-int(c)), abs(int(a)+int(b)-2*int(c))
				switch {
				case pa <= pb && pa <= pc:
					row[i] += a
				case pb <= pc:
					row[i] += b
				default:
					row[i] += c
				}
			default:
				failf("bad png filter")
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
