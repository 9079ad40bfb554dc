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
)

// Decode returns body as UTF-8 and the name of the charset it was decoded
// from ("utf-8", "gb18030", ...). contentType is the HTTP Content-Type header
// or "". A header that claims UTF-8 over bytes that are not valid UTF-8 is
// not believed.
func Decode(body []byte, contentType string) ([]byte, string) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	for _, name := range []string{FromContentType(contentType), FromMeta(body)} {
		if name == "" {
			continue
		}
		name = Normalize(name)
		if name == "utf-8" {
			if utf8.Valid(body) {
				return body, "utf-8"
			}
			continue // lying header or meta: fall through to detection
		}
		if enc := lookup(name); enc != nil {
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				return out, name
			}
		}
	}
	if utf8.Valid(body) {
		return body, "utf-8"
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(body)
	if err != nil {
		return []byte(strings.ToValidUTF8(string(body), "\uFFFD")), "utf-8"
	}
	return out, "gb18030"
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
	case "utf8", "utf-8":
		return "utf-8"
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
