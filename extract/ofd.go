package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// OFD (GB/T 33190) is a zip of XML: OFD.xml names the document, its
// Document.xml the pages, and each page's Content.xml holds TextObjects
// (text at positions, in millimetres from the page's top-left corner) and
// PathObjects (the table rules). That is a PDF text layer in XML: it is read
// into the same positioned pages and goes through the same layout.

const (
	mmToPt      = 72 / 25.4
	maxOFDPages = maxPDFPages
)

type ofdRoot struct {
	DocBody []struct {
		DocRoot string `xml:"DocRoot"`
	} `xml:"DocBody"`
}

type ofdDocument struct {
	CommonData struct {
		PageArea struct {
			PhysicalBox string `xml:"PhysicalBox"`
		} `xml:"PageArea"`
	} `xml:"CommonData"`
	Pages struct {
		Page []struct {
			BaseLoc string `xml:"BaseLoc,attr"`
		} `xml:"Page"`
	} `xml:"Pages"`
}

type ofdTextCode struct {
	X      string `xml:"X,attr"`
	Y      string `xml:"Y,attr"`
	DeltaX string `xml:"DeltaX,attr"`
	Text   string `xml:",chardata"`
}

type ofdObject struct {
	XMLName  xml.Name
	Boundary string        `xml:"Boundary,attr"`
	Size     string        `xml:"Size,attr"`
	Codes    []ofdTextCode `xml:"TextCode"`
	Path     string        `xml:"AbbreviatedData"`
	Children []ofdObject   `xml:",any"`
}

func readOFD(body []byte) ([]layoutPage, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %w", err)
	}
	var root ofdRoot
	if err := decodeEntry(zr, "OFD.xml", &root); err != nil {
		return nil, err
	}
	if len(root.DocBody) == 0 || root.DocBody[0].DocRoot == "" {
		return nil, fmt.Errorf("OFD.xml names no document")
	}
	docPath := strings.TrimPrefix(root.DocBody[0].DocRoot, "/")
	var doc ofdDocument
	if err := decodeEntry(zr, docPath, &doc); err != nil {
		return nil, err
	}
	box := floats(doc.CommonData.PageArea.PhysicalBox)
	var pages []layoutPage
	for i, pg := range doc.Pages.Page {
		if i >= maxOFDPages {
			break
		}
		loc := pg.BaseLoc
		if !strings.HasPrefix(loc, "/") {
			loc = path.Join(path.Dir(docPath), loc)
		}
		var content ofdObject
		if err := decodeEntry(zr, strings.TrimPrefix(loc, "/"), &content); err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		lp := layoutPage{number: i + 1}
		if len(box) == 4 {
			lp.width, lp.height = box[2]*mmToPt, box[3]*mmToPt
		}
		ofdObjects(&lp, content.Children, 0)
		pages = append(pages, lp)
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no pages")
	}
	return pages, nil
}

// decodeEntry unmarshals one zip entry, bounded in size and depth.
func decodeEntry(zr *zip.Reader, name string, v any) error {
	r, closeFn, err := openZipEntry(zr, name)
	if err != nil {
		return err
	}
	defer closeFn()
	if err := xml.NewDecoder(&depthReader{r: r}).Decode(v); err != nil && err != io.EOF {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// depthReader refuses XML nested deeper than maxXMLDepth before
// encoding/xml recurses into it (Unmarshal's recursion follows nesting).
type depthReader struct {
	r     io.Reader
	depth int
	prev  byte
}

func (d *depthReader) Read(b []byte) (int, error) {
	n, err := d.r.Read(b)
	for i := 0; i < n; i++ {
		c := b[i]
		switch {
		case d.prev == '<' && c == '/':
			d.depth -= 2 // the '<' counted one up
		case d.prev == '/' && c == '>':
			d.depth-- // <x/>
		case d.prev == '<' && (c == '?' || c == '!'):
			d.depth--
		}
		if c == '<' {
			if d.depth++; d.depth > maxXMLDepth {
				return 0, errTooDeep
			}
		}
		d.prev = c
	}
	return n, err
}

// ofdObjects collects the glyphs and rules of a page's objects, entering
// layers and groups.
func ofdObjects(lp *layoutPage, objs []ofdObject, depth int) {
	if depth > 16 {
		return
	}
	for _, o := range objs {
		switch o.XMLName.Local {
		case "TextObject":
			ofdText(lp, o)
		case "PathObject":
			ofdPath(lp, o)
		case "ImageObject":
			lp.images++
		default:
			ofdObjects(lp, o.Children, depth+1)
		}
	}
}

func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// deltas expands a DeltaX list ("g 3 5.2" repeats 5.2 three times).
func deltas(s string) []float64 {
	f := strings.Fields(s)
	var out []float64
	for i := 0; i < len(f) && len(out) < 100000; i++ {
		if f[i] == "g" && i+2 < len(f) {
			n, err1 := strconv.Atoi(f[i+1])
			v, err2 := strconv.ParseFloat(f[i+2], 64)
			if err1 == nil && err2 == nil {
				for k := 0; k < n && len(out) < 100000; k++ {
					out = append(out, v)
				}
			}
			i += 2
			continue
		}
		if v, err := strconv.ParseFloat(f[i], 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

func ofdText(lp *layoutPage, o ofdObject) {
	b := floats(o.Boundary)
	size, _ := strconv.ParseFloat(o.Size, 64)
	if len(b) != 4 || size <= 0 {
		return
	}
	for _, tc := range o.Codes {
		x, _ := strconv.ParseFloat(tc.X, 64)
		y, _ := strconv.ParseFloat(tc.Y, 64)
		ds := deltas(tc.DeltaX)
		i := 0
		for _, r := range tc.Text {
			if len(lp.glyphs) >= maxGlyphs {
				return
			}
			adv := size
			if i < len(ds) {
				adv = ds[i]
			}
			gx, base := b[0]+x, b[1]+y // y is the baseline
			lp.glyphs = append(lp.glyphs, glyph{text: string(r),
				x0: gx * mmToPt, y0: (base - 0.85*size) * mmToPt, x1: (gx + min(adv, size)) * mmToPt, y1: (base + 0.15*size) * mmToPt})
			x += adv
			i++
		}
	}
}

// ofdPath reads the straight segments of a path's abbreviated data
// ("M x y L x y … C"), relative to its boundary.
func ofdPath(lp *layoutPage, o ofdObject) {
	b := floats(o.Boundary)
	if len(b) != 4 {
		return
	}
	f := strings.Fields(o.Path)
	var start, cur [2]float64
	num := func(i int) (float64, bool) {
		if i >= len(f) {
			return 0, false
		}
		v, err := strconv.ParseFloat(f[i], 64)
		return v, err == nil
	}
	pt := func(x, y float64) [2]float64 { return [2]float64{(b[0] + x) * mmToPt, (b[1] + y) * mmToPt} }
	for i := 0; i < len(f) && len(lp.rules) < maxRules; {
		switch f[i] {
		case "M", "S":
			x, ok1 := num(i + 1)
			y, ok2 := num(i + 2)
			if ok1 && ok2 {
				cur = pt(x, y)
				start = cur
			}
			i += 3
		case "L":
			x, ok1 := num(i + 1)
			y, ok2 := num(i + 2)
			if ok1 && ok2 {
				next := pt(x, y)
				addRule(lp, cur, next)
				cur = next
			}
			i += 3
		case "C":
			addRule(lp, cur, start)
			cur = start
			i++
		default:
			i++ // curves and arcs draw no table rules
		}
	}
}
