package extract_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/nianbao/nianbao/extract"
)

// A transformation rewrites a page without changing what it reports. It
// returns the new bytes, or "" and a reason when it cannot apply to this
// page (a page without the structure it rewrites).
type transformation struct {
	name string
	html bool // applies to HTML pages
	text bool // applies to plain-text pages
	// agency is false when the transformation removes what names the
	// agency on some pages (the <title>); agency is then compared only
	// when the page names it elsewhere too.
	apply func(page []byte) (out []byte, skip string)
}

// Gzip transfer is not here: extract.Parse takes the bytes as the archive
// returns them, and archive.Read undoes Content-Encoding (tested in
// archive/); Parse itself is never handed gzip.
var transformations = []transformation{
	{name: "gbk-meta-only", html: true, apply: func(b []byte) ([]byte, string) {
		// What GBK cannot hold (NBSP, rare characters) a GBK page
		// writes as a character reference.
		out, err := encoding.HTMLEscapeUnsupported(simplifiedchinese.GBK.NewEncoder()).Bytes(setMetaCharset(b, "gbk"))
		if err != nil {
			return nil, err.Error()
		}
		return out, ""
	}},
	{name: "gb18030-meta-only", html: true, apply: func(b []byte) ([]byte, string) {
		return reencode(setMetaCharset(b, "gb18030"), simplifiedchinese.GB18030)
	}},
	{name: "gbk-undeclared", text: true, apply: func(b []byte) ([]byte, string) {
		return reencode(b, simplifiedchinese.GBK)
	}},
	{name: "utf8-stale-gb2312-meta", html: true, apply: func(b []byte) ([]byte, string) {
		return setMetaCharset(b, "gb2312"), ""
	}},
	{name: "utf16le-bom", html: true, text: true, apply: func(b []byte) ([]byte, string) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b)
		if err != nil {
			return nil, err.Error()
		}
		return out, ""
	}},
	{name: "gb18030-undeclared", text: true, apply: func(b []byte) ([]byte, string) {
		return reencode(b, simplifiedchinese.GB18030)
	}},
	{name: "utf8-bom", text: true, apply: func(b []byte) ([]byte, string) {
		return append([]byte("\xef\xbb\xbf"), b...), ""
	}},
	{name: "utf16be-bom", text: true, apply: func(b []byte) ([]byte, string) {
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes(b)
		if err != nil {
			return nil, err.Error()
		}
		return out, ""
	}},
	{name: "nbsp-padded-numbers", text: true, apply: func(b []byte) ([]byte, string) {
		return mapLines(b, func(ln string) string {
			f := strings.Split(ln, " ")
			for i, w := range f {
				if isNumber(w) {
					f[i] = "\u00a0" + w + "\u3000"
				}
			}
			return strings.Join(f, " ")
		}), ""
	}},
	{name: "trailing-spaces", text: true, apply: func(b []byte) ([]byte, string) {
		return mapLines(b, func(ln string) string { return ln + "  \u3000" }), ""
	}},
	{name: "blank-lines-doubled", text: true, apply: func(b []byte) ([]byte, string) {
		return mapLines(b, func(ln string) string {
			if strings.TrimSpace(ln) == "" {
				return ln + "\n"
			}
			return ln
		}), ""
	}},
	{name: "pdf-page-footers", text: true, apply: func(b []byte) ([]byte, string) {
		n := 0
		return mapLines(b, func(ln string) string {
			if n++; n%37 == 0 {
				return ln + "\n- " + fmt.Sprint(n/37) + " -"
			}
			return ln
		}), ""
	}},
	{name: "html-pre", text: true, apply: func(b []byte) ([]byte, string) {
		return []byte("<html><head><meta charset=\"utf-8\"></head><body><pre>" + html.EscapeString(string(b)) + "</pre></body></html>"), ""
	}},
	{name: "crlf", text: true, apply: func(b []byte) ([]byte, string) {
		return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")), ""
	}},
	{name: "table-split-page-break", html: true, apply: domEdit(splitTables)},
	{name: "two-layout-tables", html: true, apply: domEdit(wrapInLayoutTables)},
	{name: "word-mso-markup", html: true, apply: domEdit(msoMarkup)},
	{name: "span-per-label-char", html: true, apply: domEdit(spanPerChar)},
	{name: "fullwidth-digits-nbsp", html: true, apply: domEdit(fullWidthDigits)},
	{name: "fullwidth-digits", text: true, apply: func(b []byte) ([]byte, string) {
		return []byte(toFullWidth(string(b))), ""
	}},
	{name: "rowspan-equal-neighbours", html: true, apply: domEdit(mergeEqualNeighbours)},
	{name: "t3-total-column-first", html: true, apply: domEdit(totalFirst)},
	{name: "units-in-cells", html: true, apply: domEdit(unitsInCells)},
	{name: "title-removed", html: true, apply: domEdit(removeTitle)},
	{name: "plain-text-layout", html: true, apply: renderText},
}

// metaPage is one page under test and what it gives untransformed.
type metaPage struct {
	name, path string
	text       bool
	body       []byte
	want       *extract.Report
}

func metamorphicPages(t *testing.T) []metaPage {
	var out []metaPage
	add := func(name, path string) {
		if k := extract.Sniff(mustRead(t, path), "", path); k != extract.KindHTML && k != extract.KindText {
			return // the transformations rewrite markup and text, not attachments
		}
		body := mustRead(t, path)
		rep, err := extract.Parse(extract.Input{Source: filepath.Base(path), Body: body})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, metaPage{name: name, path: path, text: strings.HasSuffix(path, ".txt"), body: body, want: rep})
	}
	for name, p := range findPairs(t, "testdata", ".expect.json") {
		add("fixture/"+name, p.page)
	}
	if dir := sharedDir(); dir != "" {
		for name, p := range findPairs(t, filepath.Join(dir, "corpus"), ".expected.json") {
			add("corpus/"+name, p.page)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// TestMetamorphic puts every fixture and every real page of
// ../shared/corpus through meaning-preserving transformations: each must
// give the same cells (table, row, column and value), agency, year and
// format as the page itself.
func TestMetamorphic(t *testing.T) {
	pages := metamorphicPages(t)
	ran, skipped := 0, map[string]int{}
	for _, pg := range pages {
		for _, tr := range transformations {
			if pg.text && !tr.text || !pg.text && !tr.html {
				continue
			}
			t.Run(pg.name+"/"+tr.name, func(t *testing.T) {
				out, skip := tr.apply(pg.body)
				if skip != "" {
					skipped[tr.name]++
					t.Skip(skip)
				}
				ran++
				src := filepath.Base(pg.path)
				switch tr.name {
				case "plain-text-layout":
					src = strings.TrimSuffix(src, filepath.Ext(src)) + ".txt"
				case "html-pre":
					src = strings.TrimSuffix(src, filepath.Ext(src)) + ".html"
				}
				got, err := extract.Parse(extract.Input{Source: src, Body: out})
				if err != nil {
					t.Fatal(err)
				}
				compareReports(t, got, pg.want, tr.name)
				if t.Failed() {
					dump := filepath.Join(os.TempDir(), "metamorphic-"+strings.ReplaceAll(pg.name, "/", "-")+"-"+tr.name)
					_ = os.WriteFile(dump, out, 0o644)
					t.Logf("transformed page written to %s", dump)
				}
			})
		}
	}
	t.Logf("%d pages, %d transformations: %d page×transformation runs, skipped %v", len(pages), len(transformations), ran, skipped)
	if ran == 0 {
		t.Fatal("nothing ran")
	}
}

func compareReports(t *testing.T, got, want *extract.Report, tr string) {
	t.Helper()
	agencyKept := true
	if tr == "title-removed" || tr == "plain-text-layout" {
		// A page that names its agency only in <title> or the
		// ArticleTitle meta has nothing left to name it once they go.
		agencyKept = false
		for _, c := range want.AgencyCandidates {
			if c.Source != extract.AgencyFromTitle && c.Source != extract.AgencyFromArticleTitle {
				agencyKept = true
			}
		}
	}
	if agencyKept && got.Agency != want.Agency {
		t.Errorf("agency %q; want %q (candidates %+v)", got.Agency, want.Agency, got.AgencyCandidates)
	}
	yearKept := true
	if tr == "title-removed" || tr == "plain-text-layout" {
		// Likewise a page whose year is printed only in its title.
		yearKept = want.YearSource != extract.AgencyFromTitle && want.YearSource != extract.AgencyFromArticleTitle
	}
	if yearKept && got.Year != want.Year || got.Format != want.Format {
		t.Errorf("year, format = %d, %q; want %d, %q", got.Year, got.Format, want.Year, want.Format)
	}
	g, w := cellMap(got), cellMap(want)
	var diffs []string
	for k, wc := range w {
		gc, ok := g[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s missing (want %s)", k, show(wc.Value)))
		case show(gc.Value) != show(wc.Value):
			diffs = append(diffs, fmt.Sprintf("%s = %s (raw %q); want %s", k, show(gc.Value), gc.Raw, show(wc.Value)))
		}
	}
	for k, gc := range g {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s = %s: not in the page", k, show(gc.Value)))
		}
	}
	sort.Strings(diffs)
	for i, d := range diffs {
		if i == 10 {
			t.Errorf("… and %d more", len(diffs)-10)
			break
		}
		t.Error(d)
	}
}

// mapLines rewrites each line of a text page (line endings kept as \n).
func mapLines(b []byte, fn func(string) string) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	for i, ln := range lines {
		lines[i] = fn(ln)
	}
	return []byte(strings.Join(lines, "\n"))
}

// ---- encodings ----

func reencode(b []byte, enc encoding.Encoding) ([]byte, string) {
	out, err := enc.NewEncoder().Bytes(b)
	if err != nil {
		return nil, "a character the charset cannot hold: " + err.Error()
	}
	return out, ""
}

// setMetaCharset replaces the page's charset declarations by one <meta>
// naming cs (the only declaration: Parse gets no Content-Type).
func setMetaCharset(b []byte, cs string) []byte {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return b
	}
	var head *html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta {
			for _, a := range n.Attr {
				if strings.EqualFold(a.Key, "charset") || strings.EqualFold(a.Key, "http-equiv") {
					n.Parent.RemoveChild(n)
					return false
				}
			}
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Head && head == nil {
			head = n
		}
		return true
	})
	meta := &html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
		Attr: []html.Attribute{{Key: "http-equiv", Val: "Content-Type"}, {Key: "content", Val: "text/html; charset=" + cs}}}
	head.InsertBefore(meta, head.FirstChild)
	return render(doc)
}

// ---- DOM edits ----

// walk visits n and its descendants in document order; fn returns false
// to skip a node's children (it may remove the node). Children are
// listed before the visit, so fn may change the tree.
func walk(n *html.Node, fn func(*html.Node) bool) {
	if !fn(n) {
		return
	}
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		kids = append(kids, c)
	}
	for _, c := range kids {
		walk(c, fn)
	}
}

func render(doc *html.Node) []byte {
	var buf bytes.Buffer
	if err := html.Render(&buf, doc); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func domEdit(edit func(doc *html.Node) string) func([]byte) ([]byte, string) {
	return func(b []byte) ([]byte, string) {
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			return nil, err.Error()
		}
		if skip := edit(doc); skip != "" {
			return nil, skip
		}
		return render(doc), ""
	}
}

func elem(tag atom.Atom, attrs ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag.String(), DataAtom: tag}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
	}
	return n
}

func textNode(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }

func getAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func spanOf(n *html.Node, key string) int {
	v := 0
	fmt.Sscan(getAttr(n, key), &v)
	return max(v, 1)
}

// leafTables are the tables holding no other table: the report's tables.
func leafTables(doc *html.Node) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table && !containsTable(n) {
			out = append(out, n)
			return false
		}
		return true
	})
	return out
}

func containsTable(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Table || containsTable(c)) {
			return true
		}
	}
	return false
}

func rowsOf(t *html.Node) []*html.Node {
	var out []*html.Node
	walk(t, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			out = append(out, n)
			return false
		}
		return n == t || n.DataAtom != atom.Table
	})
	return out
}

func cellsOf(tr *html.Node) []*html.Node {
	var out []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			out = append(out, c)
		}
	}
	return out
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// gridPos gives each cell of a table its top row and left column.
func gridPos(rows []*html.Node) map[*html.Node][2]int {
	pos := map[*html.Node][2]int{}
	taken := map[[2]int]bool{}
	for ri, tr := range rows {
		col := 0
		for _, c := range cellsOf(tr) {
			for taken[[2]int{ri, col}] {
				col++
			}
			pos[c] = [2]int{ri, col}
			rs, cs := spanOf(c, "rowspan"), spanOf(c, "colspan")
			for dr := 0; dr < rs; dr++ {
				for dc := 0; dc < cs; dc++ {
					taken[[2]int{ri + dr, col + dc}] = true
				}
			}
			col += cs
		}
	}
	return pos
}

// splitTables splits each long table in two where no rowspan crosses,
// with a Word page-break paragraph between.
func splitTables(doc *html.Node) string {
	n := 0
	for _, t := range leafTables(doc) {
		rows := rowsOf(t)
		if len(rows) < 8 {
			continue
		}
		pos := gridPos(rows)
		crossed := map[int]bool{} // boundary before row i is crossed
		for c, p := range pos {
			for r := p[0] + 1; r < p[0]+spanOf(c, "rowspan"); r++ {
				crossed[r] = true
			}
		}
		cut := -1
		for d := 0; d < len(rows)/2 && cut < 0; d++ {
			for _, i := range []int{len(rows)/2 + d, len(rows)/2 - d} {
				if i > 0 && i < len(rows) && !crossed[i] && rows[i].Parent == rows[i-1].Parent {
					cut = i
					break
				}
			}
		}
		if cut < 0 {
			continue
		}
		second := elem(atom.Table, "border", "1")
		body := elem(atom.Tbody)
		second.AppendChild(body)
		for _, tr := range rows[cut:] {
			tr.Parent.RemoveChild(tr)
			body.AppendChild(tr)
		}
		br := elem(atom.P, "style", "page-break-before:always")
		br.AppendChild(textNode("\u00a0"))
		t.Parent.InsertBefore(br, t.NextSibling)
		t.Parent.InsertBefore(second, br.NextSibling)
		n++
	}
	if n == 0 {
		return "no table long enough to split without cutting a rowspan"
	}
	return ""
}

// wrapInLayoutTables puts the body's content inside two nested layout
// tables, as 2000s CMS templates do.
func wrapInLayoutTables(doc *html.Node) string {
	var body *html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
			return false
		}
		return true
	})
	if body == nil {
		return "no <body>"
	}
	inner := elem(atom.Td, "class", "content")
	for c := body.FirstChild; c != nil; c = body.FirstChild {
		body.RemoveChild(c)
		inner.AppendChild(c)
	}
	outer := elem(atom.Td, "valign", "top")
	nav := elem(atom.Td, "width", "200")
	nav.AppendChild(textNode("首页 | 信息公开 | 政务服务"))
	outer.AppendChild(layoutTable(inner))
	body.AppendChild(layoutTable(nav, outer))
	return ""
}

func layoutTable(tds ...*html.Node) *html.Node {
	t := elem(atom.Table, "width", "100%")
	tb := elem(atom.Tbody)
	tr := elem(atom.Tr)
	t.AppendChild(tb)
	tb.AppendChild(tr)
	for _, td := range tds {
		tr.AppendChild(td)
	}
	return t
}

// msoMarkup dresses the page the way Word and WPS save it: MsoNormal
// paragraphs, mso- styles, <o:p> and conditional comments.
func msoMarkup(doc *html.Node) string {
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.P:
			setAttr(n, "class", "MsoNormal")
			setAttr(n, "style", "mso-pagination:widow-orphan;line-height:150%")
			n.AppendChild(elemRaw("o:p"))
		case atom.Td, atom.Th:
			setAttr(n, "style", "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt")
			// The cell's content goes into <p class=MsoNormal><span lang=EN-US>.
			p := elem(atom.P, "class", "MsoNormal", "align", "center")
			span := elem(atom.Span, "lang", "EN-US", "style", "font-size:10.5pt;mso-bidi-font-size:11.0pt;font-family:宋体")
			for c := n.FirstChild; c != nil; c = n.FirstChild {
				n.RemoveChild(c)
				span.AppendChild(c)
			}
			p.AppendChild(span)
			p.AppendChild(elemRaw("o:p"))
			n.AppendChild(p)
			return false
		case atom.Table:
			setAttr(n, "class", "MsoNormalTable")
			setAttr(n, "style", "border-collapse:collapse;mso-table-layout-alt:fixed;mso-padding-alt:0cm 5.4pt 0cm 5.4pt")
			n.Parent.InsertBefore(&html.Node{Type: html.CommentNode, Data: "[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]"}, n)
		}
		return true
	})
	return ""
}

func elemRaw(tag string) *html.Node { return &html.Node{Type: html.ElementNode, Data: tag} }

// spanPerChar writes every label character in its own <span>, as some
// converters do.
func spanPerChar(doc *html.Node) string {
	for _, t := range leafTables(doc) {
		for _, tr := range rowsOf(t) {
			for _, td := range cellsOf(tr) {
				s := strings.TrimSpace(nodeText(td))
				if s == "" || !hasHan(s) {
					continue
				}
				for c := td.FirstChild; c != nil; c = td.FirstChild {
					td.RemoveChild(c)
				}
				for _, r := range s {
					sp := elem(atom.Span, "style", "font-family:宋体")
					sp.AppendChild(textNode(string(r)))
					td.AppendChild(sp)
				}
			}
		}
	}
	return ""
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// fullWidthDigits prints the digits of the tables' number cells full
// width, padded with &nbsp; and ideographic spaces.
func fullWidthDigits(doc *html.Node) string {
	n := 0
	for _, t := range leafTables(doc) {
		for _, tr := range rowsOf(t) {
			for _, td := range cellsOf(tr) {
				s := strings.TrimSpace(nodeText(td))
				if !isNumber(s) {
					continue
				}
				for c := td.FirstChild; c != nil; c = td.FirstChild {
					td.RemoveChild(c)
				}
				td.AppendChild(textNode("\u00a0\u00a0" + toFullWidth(s) + "\u3000"))
				n++
			}
		}
	}
	if n == 0 {
		return "no number cells"
	}
	return ""
}

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '.' {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0:
			dot = true
		case r == '-' && i == 0 && len(s) > 1:
		default:
			return false
		}
	}
	return true
}

// mergeEqualNeighbours merges vertically neighbouring number cells of
// equal value into one cell with rowspan=2, as Word users do.
func mergeEqualNeighbours(doc *html.Node) string {
	n := 0
	for _, t := range leafTables(doc) {
		rows := rowsOf(t)
		pos := gridPos(rows)
		at := map[[2]int]*html.Node{}
		for c, p := range pos {
			at[p] = c
		}
		merged := map[*html.Node]bool{}
		for ri := 0; ri+1 < len(rows); ri++ {
			for _, c := range cellsOf(rows[ri]) {
				p := pos[c]
				below := at[[2]int{ri + 1, p[1]}]
				if below == nil || merged[c] || merged[below] || below.Parent != rows[ri+1] ||
					spanOf(c, "rowspan") != 1 || spanOf(below, "rowspan") != 1 || spanOf(c, "colspan") != spanOf(below, "colspan") {
					continue
				}
				v := strings.TrimSpace(nodeText(c))
				if !isNumber(v) || strings.TrimSpace(nodeText(below)) != v {
					continue
				}
				setAttr(c, "rowspan", "2")
				below.Parent.RemoveChild(below)
				merged[c], merged[below] = true, true
				n++
			}
		}
	}
	if n == 0 {
		return "no equal neighbouring number cells"
	}
	return ""
}

// totalFirst moves table 三's 总计 column before 自然人: the header cell
// and each data row's last value cell.
func totalFirst(doc *html.Node) string {
	for _, t := range leafTables(doc) {
		rows := rowsOf(t)
		var natural, total *html.Node
		for _, tr := range rows {
			for _, td := range cellsOf(tr) {
				switch strings.Join(strings.Fields(nodeText(td)), "") {
				case "自然人":
					natural = td
				case "总计":
					if natural != nil && td.Parent == natural.Parent {
						total = td
					}
				}
			}
			if total != nil {
				break
			}
		}
		if natural == nil || total == nil {
			continue
		}
		pos := gridPos(rows)
		hdrRow := pos[total][0] + spanOf(total, "rowspan")
		width, first := pos[total][1], pos[natural][1]
		total.Parent.RemoveChild(total)
		natural.Parent.InsertBefore(total, natural)
		if skip := moveLast(rows[hdrRow:], pos, first, width); skip != "" {
			return skip
		}
		// A table 三 split over several <table>s (page breaks) continues
		// in the next ones, up to table 四's.
		all := leafTables(doc)
		for _, next := range all[slices.Index(all, t)+1:] {
			if strings.Contains(nodeText(next), "复议") {
				break
			}
			rows := rowsOf(next)
			if skip := moveLast(rows, gridPos(rows), first, width); skip != "" {
				return skip + " (in a continuation table)"
			}
		}
		return ""
	}
	return "no table 三 header with 自然人 and 总计 in one row"
}

// moveLast moves each data row's last cell (总计, at grid column width)
// before its first value cell (grid column first).
func moveLast(rows []*html.Node, pos map[*html.Node][2]int, first, width int) string {
	for _, tr := range rows {
		cells := cellsOf(tr)
		if len(cells) == 0 {
			continue
		}
		last := cells[len(cells)-1]
		if pos[last][1] != width {
			return "table 三's 总计 is not its last grid column in every row"
		}
		var before *html.Node
		for _, c := range cells {
			if pos[c][1] >= first {
				before = c
				break
			}
		}
		if before == nil || before == last {
			return "a table 三 row without value cells"
		}
		tr.RemoveChild(last)
		tr.InsertBefore(last, before)
	}
	return ""
}

// unitsInCells writes the unit after the numbers of tables 三 and 四
// ("3件"), as some reports print them.
func unitsInCells(doc *html.Node) string {
	n := 0
	inT3T4 := false
	walk(doc, func(x *html.Node) bool {
		if x.Type == html.TextNode {
			k := strings.Join(strings.Fields(x.Data), "")
			switch {
			case strings.Contains(k, "收到和处理政府信息公开申请"):
				inT3T4 = true
			case strings.Contains(k, "存在的主要问题"):
				inT3T4 = false
			}
			return false
		}
		if inT3T4 && x.Type == html.ElementNode && (x.DataAtom == atom.Td || x.DataAtom == atom.Th) {
			s := strings.TrimSpace(nodeText(x))
			if isNumber(s) && !strings.Contains(s, ".") {
				for c := x.FirstChild; c != nil; c = x.FirstChild {
					x.RemoveChild(c)
				}
				x.AppendChild(textNode(s + "件"))
				n++
			}
			return false
		}
		return true
	})
	if n == 0 {
		return "no table 三 or 四 number cells after their heading"
	}
	return ""
}

// removeTitle drops <title> and the ArticleTitle meta: agency and year must
// come from the body.
func removeTitle(doc *html.Node) string {
	n := 0
	walk(doc, func(x *html.Node) bool {
		if x.Type == html.ElementNode && (x.DataAtom == atom.Title || x.DataAtom == atom.Meta && strings.EqualFold(getAttr(x, "name"), "ArticleTitle")) {
			x.Parent.RemoveChild(x)
			n++
			return false
		}
		return true
	})
	if n == 0 {
		return "no <title> or ArticleTitle"
	}
	return ""
}

// renderText renders an HTML page to the plain-text layout a crawler's
// text dump or a copy-paste gives: the title line, one line per paragraph,
// one line per table row with its cells separated by spaces (an empty cell
// printed as "-").
func renderText(b []byte) ([]byte, string) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, err.Error()
	}
	var out strings.Builder
	var line strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(line.String()), " "); s != "" {
			out.WriteString(s + "\n")
		}
		line.Reset()
	}
	var rec func(n *html.Node)
	rec = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			line.WriteString(n.Data)
			return
		case html.CommentNode:
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Meta:
				return
			case atom.Title:
				return // metadata, not text: agency and year come from the body
			case atom.Tr:
				if containsTable(n) {
					break
				}
				flush()
				var cells []string
				for _, td := range cellsOf(n) {
					s := strings.Join(strings.Fields(nodeText(td)), "")
					if s == "" {
						s = "-"
					}
					cells = append(cells, s)
				}
				out.WriteString(strings.Join(cells, " ") + "\n")
				return
			case atom.P, atom.Div, atom.Br, atom.H1, atom.H2, atom.H3, atom.Li, atom.Table, atom.Td:
				flush()
				defer flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(doc)
	flush()
	return []byte(out.String()), ""
}
