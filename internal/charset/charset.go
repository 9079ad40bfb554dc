// Package charset decodes fetched pages to UTF-8 the way Chinese government
// portals need: HTTP header charset, then a <meta> charset anywhere in the
// head, then detection, with GB18030 standing in for GBK and GB2312.
package charset

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Decode returns body as UTF-8 and the name of the charset it was decoded
// from ("utf-8", "gb18030", ...). contentType is the HTTP Content-Type header
// or "". See [Detect] for how a declaration that lies is caught.
func Decode(body []byte, contentType string) ([]byte, string) {
	r := Detect(body, contentType)
	return r.Body, r.Charset
}

// Result is what [Detect] made of a page's bytes.
type Result struct {
	Body     []byte // the page as UTF-8
	Charset  string // what it was decoded from: "utf-8", "gb18030", "utf-16le", ...
	Declared string // the charset the HTTP header or <meta> declared (normalised), or ""
	// Overridden is set when the bytes contradicted the declaration and
	// were decoded otherwise: a browser-saved UTF-8 page still carrying
	// <meta charset=gb2312>, UTF-16 with a BOM under a gb2312 meta, a
	// header claiming UTF-8 over GBK bytes.
	Overridden bool
}

// Detect decodes body to UTF-8, checking the declared charset (HTTP
// header, then <meta>) against the bytes: a byte-order mark wins over any
// declaration; bytes that are valid UTF-8 and not plain ASCII are UTF-8
// whatever is declared (GBK text is practically never valid UTF-8); a
// declared UTF-8 over invalid bytes is not believed. Undeclared bytes are
// UTF-8 when valid, else GB18030 (the superset of GBK and GB2312).
func Detect(body []byte, contentType string) Result {
	declared := ""
	for _, name := range []string{FromContentType(contentType), FromMeta(body)} {
		if name != "" {
			declared = Normalize(name)
			break
		}
	}
	res := func(b []byte, cs string) Result {
		return Result{Body: b, Charset: cs, Declared: declared, Overridden: declared != "" && declared != cs}
	}
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return res(body[3:], "utf-8")
	case bytes.HasPrefix(body, []byte("\xff\xfe")), bytes.HasPrefix(body, []byte("\xfe\xff")):
		le := body[0] == 0xff
		enc, cs := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
		if le {
			enc, cs = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
		}
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			r := res(out, cs)
			if r.Declared == "" { // a <meta> is readable only once decoded
				r.Declared = Normalize(FromMeta(out))
			}
			r.Overridden = r.Declared != "" && !strings.HasPrefix(r.Declared, "utf-16")
			return r
		}
	}
	valid := utf8.Valid(body)
	if valid && (declared == "" || declared == "utf-8" || !isASCII(body)) {
		return res(body, "utf-8")
	}
	if declared != "" && declared != "utf-8" && !strings.HasPrefix(declared, "utf-16") {
		if enc := lookup(declared); enc != nil {
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				return res(out, declared)
			}
		}
	}
	if valid {
		return res(body, "utf-8")
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
	if err != nil {
		return res([]byte(strings.ToValidUTF8(string(body), "\uFFFD")), "utf-8")
	}
	return res(out, "gb18030")
}

// isASCII reports bytes that read the same in every charset nianbao meets.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// FromContentType returns the charset parameter of an HTTP Content-Type, or "".
func FromContentType(ct string) string {
	for _, part := range strings.Split(ct, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

// FromMeta returns the charset declared by a <meta> tag in the document head,
// searched past the first 1024 bytes (real pages put long comments first)
// but not past the head: only the bytes before the first </head or <body
// (at most 64 KB) are looked at, so a page's body is never scanned.
func FromMeta(body []byte) string {
	head := body[:min(len(body), 64<<10)]
	if i := indexFold(head, "</head"); i >= 0 {
		head = head[:i]
	}
	if i := indexFold(head, "<body"); i >= 0 {
		head = head[:i]
	}
	for len(head) > 0 {
		i := indexFold(head, "<meta")
		if i < 0 {
			return ""
		}
		tag := head[i+len("<meta"):]
		if j := bytes.IndexByte(tag, '>'); j >= 0 {
			tag = tag[:j]
		}
		if name := metaTagCharset(tag); name != "" {
			return name
		}
		head = head[i+len("<meta"):]
	}
	return ""
}

// metaTagCharset reads charset=NAME from the attributes of one <meta> tag
// (the bytes between "<meta" and ">"): charset="gbk", or the charset
// parameter inside content="text/html; charset=gb2312".
func metaTagCharset(tag []byte) string {
	const key = "charset"
	for off := 1; off+len(key) <= len(tag); off++ { // at least one byte after "<meta"
		if !equalFold(tag[off:off+len(key)], key) {
			continue
		}
		rest := tag[off+len(key):]
		rest = bytes.TrimLeft(rest, " \t\r\n\f")
		if len(rest) == 0 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n\f")
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			rest = bytes.TrimLeft(rest[1:], " \t\r\n\f")
		}
		n := 0
		for n < len(rest) && isNameByte(rest[n]) {
			n++
		}
		if n > 0 {
			return string(rest[:n])
		}
	}
	return ""
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// indexFold is bytes.Index with ASCII case folding of b; lowerSub is lower
// case and does not start with a letter ("<meta", "</head"), so candidates
// are found with IndexByte. Byte offsets stay valid in bodies that are not
// UTF-8.
func indexFold(b []byte, lowerSub string) int {
	for i := 0; i+len(lowerSub) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], lowerSub[0])
		if j < 0 || i+j+len(lowerSub) > len(b) {
			return -1
		}
		i += j
		if equalFold(b[i+1:i+len(lowerSub)], lowerSub[1:]) {
			return i
		}
	}
	return -1
}

func equalFold(b []byte, lower string) bool {
	for k := range len(lower) {
		c := b[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[k] {
			return false
		}
	}
	return true
}

// Normalize maps charset labels to the decoder nianbao uses: GBK and GB2312
// become gb18030 (their superset), UTF8 becomes utf-8.
func Normalize(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "gbk", "gb2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn":
		return "gb18030"
	case "utf8", "utf-8", "unicode-1-1-utf-8":
		return "utf-8"
	case "utf-16", "unicode", "ucs-2", "utf-16le":
		return "utf-16le"
	}
	return n
}

func lookup(name string) encoding.Encoding {
	if name == "gb18030" {
		return simplifiedchinese.GB18030
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil
	}
	return enc
}
