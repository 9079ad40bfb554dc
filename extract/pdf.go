package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDFs are read by the pure-Go reader (pdffast*.go: a third of PDFium's
// CPU, no shared state, so safe for concurrent use) and, when it gives up
// on a file, with PDFium compiled to WebAssembly and run on wazero:
// pure Go, no system library. Compiling the module takes seconds, so the
// compiled code is cached on disk (under the user cache directory) and one
// instance is kept for the life of the process; PDFium is not safe for
// concurrent use, so calls into it are serialised.

// Limits on hostile PDFs: pages read and characters per page. A report has
// a few dozen pages; the rest of a longer document is not read.
const (
	maxPDFPages      = 300
	maxPDFPathPoints = 100000 // path segments read per page
	maxPDFFormDepth  = 4
)

var pdfEngine struct {
	once sync.Once
	mu   sync.Mutex
	pool pdfium.Pool
	inst pdfium.Pdfium
	err  error
	// used is set once a document was read with inst. go-pdfium keeps
	// every page-object and path-segment handle it hands out in a map
	// until the instance is closed (about 150 bytes each: 0.65 MB for a
	// 5-page report), so a night reading thousands of PDFs would grow
	// without bound; closing the instance after each document drops them,
	// and its WebAssembly worker (PDFium itself) is reused, which costs
	// nothing measurable.
	used bool
}

// pdfCacheDir is where wazero keeps the compiled PDFium module.
func pdfCacheDir() string {
	if d := os.Getenv("NIANBAO_WASM_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "nianbao", "wazero")
}

func pdfInstance() (pdfium.Pdfium, error) {
	pdfEngine.once.Do(func() {
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithMemoryLimitPages(16384) // 1 GiB: a hostile PDF cannot take the machine
		if dir := pdfCacheDir(); dir != "" {
			if cache, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle: 1, MaxIdle: 1, MaxTotal: 1,
			RuntimeConfig: rc,
			FSConfig:      wazero.NewFSConfig(), // documents come as bytes: no file system
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			ReuseWorkers:  true, // an instance closed after a document keeps its worker
		})
		if err != nil {
			pdfEngine.err = fmt.Errorf("start pdfium: %w", err)
			return
		}
		pdfEngine.pool = pool
		pdfEngine.inst, pdfEngine.err = pool.GetInstance(time.Minute)
		if pdfEngine.err != nil {
			pdfEngine.err = fmt.Errorf("start pdfium: %w", pdfEngine.err)
		}
	})
	return pdfEngine.inst, pdfEngine.err
}

// WarmPDF starts the PDF engine ahead of the first PDF (compiling it on
// the first run on a machine), so that a crawl does not pay it mid-way.
func WarmPDF() error {
	_, err := pdfInstance()
	return err
}

// pdfDoc is what the PDF reader gets out of a file.
type pdfDoc struct {
	pages     []layoutPage
	pageCount int // pages in the file (more than len(pages) past maxPDFPages)
	chars     int // non-space characters in the text layer
	images    int
	engine    string // pdfEngineFast or pdfEnginePDFium: which reader read it
}

// readPDF reads the text layer and ruling lines of every page: with the
// fast pure-Go reader when it can read the file with confidence, else
// with PDFium.
func readPDF(ctx context.Context, body []byte) (*pdfDoc, error) {
	doc, err := readPDFFast(ctx, body)
	if err == nil {
		return doc, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return readPDFium(ctx, body)
}

// readPDFWith reads with the named engine ("": readPDF's choice).
func readPDFWith(ctx context.Context, body []byte, engine string) (*pdfDoc, error) {
	switch engine {
	case pdfEngineFast:
		return readPDFFast(ctx, body)
	case pdfEnginePDFium:
		return readPDFium(ctx, body)
	}
	return readPDF(ctx, body)
}

// readPDFium reads the text layer and ruling lines of every page with
// PDFium.
func readPDFium(ctx context.Context, body []byte) (doc *pdfDoc, err error) {
	if _, err := pdfInstance(); err != nil {
		return nil, err
	}
	pdfEngine.mu.Lock()
	defer pdfEngine.mu.Unlock()
	inst := pdfEngine.inst // taken under the lock: a recycle replaces it
	if pdfEngine.used {
		if inst, err = recyclePDF(); err != nil {
			return nil, err
		}
	}
	pdfEngine.used = true
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("pdfium: %v", r)
		}
	}()
	b := body
	od, err := inst.OpenDocument(&requests.OpenDocument{File: &b})
	if err != nil {
		return nil, cleanPDFErr(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: od.Document})
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: od.Document})
	if err != nil {
		return nil, cleanPDFErr(err)
	}
	doc = &pdfDoc{pageCount: pc.PageCount, engine: pdfEnginePDFium}
	for i := 0; i < min(pc.PageCount, maxPDFPages); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lp, err := readPDFPage(inst, od.Document, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, cleanPDFErr(err))
		}
		doc.add(lp)
	}
	return doc, nil
}

// add appends a page read by either reader, counting its characters and
// images.
func (d *pdfDoc) add(lp layoutPage) {
	for _, g := range lp.glyphs {
		if strings.TrimSpace(g.text) != "" {
			d.chars++
		}
	}
	d.images += lp.images
	d.pages = append(d.pages, lp)
}

// recyclePDF closes the instance (dropping go-pdfium's handles) and takes
// one again from the pool, on the same worker; called with pdfEngine.mu
// held.
func recyclePDF() (pdfium.Pdfium, error) {
	if err := pdfEngine.inst.Close(); err != nil {
		return nil, fmt.Errorf("restart pdfium: %w", err)
	}
	inst, err := pdfEngine.pool.GetInstance(time.Minute)
	if err != nil {
		pdfEngine.err = fmt.Errorf("restart pdfium: %w", err)
		return nil, pdfEngine.err
	}
	pdfEngine.inst, pdfEngine.used = inst, false
	return inst, nil
}

// cleanPDFErr keeps PDFium's reason ("incorrect format", "password
// required") and drops its numeric code.
func cleanPDFErr(err error) error {
	msg := err.Error()
	if code, rest, ok := strings.Cut(msg, ": "); ok && strings.Trim(code, "0123456789") == "" {
		msg = rest
	}
	return errors.New(strings.ToLower(msg))
}

// pageTransform maps PDF user space (y up, unrotated) to reading
// coordinates (y down, the page's /Rotate applied).
type pageTransform struct {
	rot           int     // quarter turns clockwise
	w, h          float64 // unrotated size
	originX, orgY float64
}

func (t pageTransform) apply(x, y float64) (float64, float64) {
	x, y = x-t.originX, y-t.orgY
	switch t.rot {
	case 1:
		return y, x
	case 2:
		return t.w - x, y
	case 3:
		return t.h - y, t.w - x
	}
	return x, t.h - y
}

// box maps a PDF rectangle to reading coordinates, normalised.
func (t pageTransform) box(l, b, r, top float64) (x0, y0, x1, y1 float64) {
	ax, ay := t.apply(l, b)
	bx, by := t.apply(r, top)
	return math.Min(ax, bx), math.Min(ay, by), math.Max(ax, bx), math.Max(ay, by)
}

func readPDFPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) (layoutPage, error) {
	lp := layoutPage{number: index + 1}
	pg, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return lp, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: pg.Page})
	ref := requests.Page{ByReference: &pg.Page}
	rot, err := inst.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: ref})
	if err != nil {
		return lp, err
	}
	w, err := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: ref})
	if err != nil {
		return lp, err
	}
	h, err := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: ref})
	if err != nil {
		return lp, err
	}
	tf := pageTransform{rot: int(rot.PageRotation) & 3, w: float64(w.PageWidth), h: float64(h.PageHeight)}
	lp.width, lp.height = tf.w, tf.h
	if tf.rot%2 == 1 { // the reported size is the rotated one
		tf.w, tf.h = tf.h, tf.w
	}
	if mb, err := inst.FPDFPage_GetMediaBox(&requests.FPDFPage_GetMediaBox{Page: ref}); err == nil {
		tf.originX, tf.orgY = float64(mb.Left), float64(mb.Bottom)
	}
	if err := pdfGlyphs(inst, ref, tf, &lp); err != nil {
		return lp, err
	}
	n, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil {
		return lp, err
	}
	budget := maxPDFPathPoints
	for i := 0; i < n.Count; i++ {
		obj, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: i})
		if err != nil {
			continue
		}
		pdfObject(inst, obj.PageObject, identity, tf, &lp, &budget, 0)
	}
	return lp, nil
}

// pdfGlyphs reads a page's characters with their boxes.
func pdfGlyphs(inst pdfium.Pdfium, ref requests.Page, tf pageTransform, lp *layoutPage) error {
	st, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{Page: ref, Mode: requests.GetPageTextStructuredModeChars})
	if err != nil {
		return err
	}
	for _, c := range st.Chars {
		if len(lp.glyphs) >= maxGlyphs {
			break
		}
		pp := c.PointPosition
		x0, y0, x1, y1 := tf.box(pp.Left, pp.Bottom, pp.Right, pp.Top)
		if w := x1 - x0; w > 0 && y1-y0 < 0.05*w {
			// A font PDFium has no outlines for (a non-embedded CJK font
			// such as STSong-Light or SimSun) gives glyph boxes with no
			// height, on the baseline (next to none on a leaning one); an
			// ideograph is as tall as it is wide, mostly above the baseline.
			y0, y1 = y1-0.88*w, y1+0.12*w
		}
		lp.glyphs = append(lp.glyphs, glyph{text: c.Text, x0: x0, y0: y0, x1: x1, y1: y1})
	}
	return nil
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// then returns m followed by n.
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// pdfObject collects the rules a page object draws (line segments and
// thin rectangles) and counts its images; form objects are entered.
func pdfObject(inst pdfium.Pdfium, obj references.FPDF_PAGEOBJECT, outer matrix, tf pageTransform, lp *layoutPage, budget *int, depth int) {
	typ, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj})
	if err != nil {
		return
	}
	switch typ.Type {
	case enums.FPDF_PAGEOBJ_IMAGE:
		lp.images++
	case enums.FPDF_PAGEOBJ_FORM:
		if depth >= maxPDFFormDepth {
			return
		}
		m := objMatrix(inst, obj).then(outer)
		cnt, err := inst.FPDFFormObj_CountObjects(&requests.FPDFFormObj_CountObjects{PageObject: obj})
		if err != nil {
			return
		}
		for i := 0; i < cnt.Count && *budget > 0; i++ {
			child, err := inst.FPDFFormObj_GetObject(&requests.FPDFFormObj_GetObject{PageObject: obj, Index: uint64(i)})
			if err == nil {
				pdfObject(inst, child.PageObject, m, tf, lp, budget, depth+1)
			}
		}
	case enums.FPDF_PAGEOBJ_PATH:
		// Most rules are thin filled rectangles or single strokes: their
		// bounds are the rule, one call instead of four per segment.
		if bd, err := inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: obj}); err == nil {
			ax, ay := outer.apply(float64(bd.Left), float64(bd.Bottom))
			bx, by := outer.apply(float64(bd.Right), float64(bd.Top))
			ax, ay = tf.apply(ax, ay)
			bx, by = tf.apply(bx, by)
			r := ruling{x0: math.Min(ax, bx), y0: math.Min(ay, by), x1: math.Max(ax, bx), y1: math.Max(ay, by)}
			if r.horizontal() || r.vertical() {
				lp.rules = append(lp.rules, r)
				return
			}
			if r.x1-r.x0 <= rulingThick && r.y1-r.y0 <= rulingThick {
				return // a dot: no rule
			}
		}
		m := objMatrix(inst, obj).then(outer)
		cnt, err := inst.FPDFPath_CountSegments(&requests.FPDFPath_CountSegments{PageObject: obj})
		if err != nil || cnt.Count > *budget {
			return
		}
		*budget -= cnt.Count
		var start, prev [2]float64
		have := false
		for i := 0; i < cnt.Count; i++ {
			seg, err := inst.FPDFPath_GetPathSegment(&requests.FPDFPath_GetPathSegment{PageObject: obj, Index: i})
			if err != nil {
				return
			}
			pt, err := inst.FPDFPathSegment_GetPoint(&requests.FPDFPathSegment_GetPoint{PathSegment: seg.PathSegment})
			if err != nil {
				return
			}
			st, err := inst.FPDFPathSegment_GetType(&requests.FPDFPathSegment_GetType{PathSegment: seg.PathSegment})
			if err != nil {
				return
			}
			x, y := m.apply(float64(pt.X), float64(pt.Y))
			x, y = tf.apply(x, y)
			cur := [2]float64{x, y}
			switch st.Type {
			case enums.FPDF_SEGMENT_MOVETO:
				start, have = cur, true
			case enums.FPDF_SEGMENT_LINETO:
				if have {
					addRule(lp, prev, cur)
				}
			}
			if cl, err := inst.FPDFPathSegment_GetClose(&requests.FPDFPathSegment_GetClose{PathSegment: seg.PathSegment}); err == nil && cl.IsClose && have {
				addRule(lp, cur, start)
			}
			prev = cur
		}
	}
}

func objMatrix(inst pdfium.Pdfium, obj references.FPDF_PAGEOBJECT) matrix {
	r, err := inst.FPDFPageObj_GetMatrix(&requests.FPDFPageObj_GetMatrix{PageObject: obj})
	if err != nil {
		return identity
	}
	m := r.Matrix
	return matrix{float64(m.A), float64(m.B), float64(m.C), float64(m.D), float64(m.E), float64(m.F)}
}

// addRule records a segment that is horizontal or vertical; a thin filled
// rectangle (how some producers draw rules) comes as its long edges, which
// are recorded the same way and merge when clustered.
func addRule(lp *layoutPage, a, b [2]float64) {
	r := ruling{x0: math.Min(a[0], b[0]), y0: math.Min(a[1], b[1]), x1: math.Max(a[0], b[0]), y1: math.Max(a[1], b[1])}
	if r.horizontal() || r.vertical() {
		lp.rules = append(lp.rules, r)
	}
}
