// Package charset decodes fetched pages to UTF-8 the way Chinese government
// portals need: HTTP header charset, then a <meta> charset anywhere in the
// head, then detection, with GB18030 standing in for GBK and GB2312.
package charset

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)`)

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
// searched past the first 1024 bytes (real pages put long comments first).
func FromMeta(body []byte) string {
	head := body[:min(len(body), 64<<10)]
	// ASCII-only lowering keeps byte offsets valid in non-UTF-8 bodies.
	lower := make([]byte, len(head))
	for i, c := range head {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	if i := bytes.Index(lower, []byte("</head")); i >= 0 {
		head = head[:i]
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
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
