package site

import (
	"bytes"
	"html/template"

	"github.com/nianbao/nianbao/internal/charset"
)

// archivePolicy lets an archived page load nothing at all: no script, no
// image, no style sheet from the government's server. Inline styles stay,
// so the page still looks roughly as printed.
const archivePolicy = `default-src 'none'; style-src 'unsafe-inline'; img-src data:`

// staticCopy is an archived HTML page as the site serves it: decoded to
// UTF-8 (the charset the crawler saw wins over the page's own meta, which
// comes after ours), with the policy above and a banner naming where and
// when it was fetched.
func staticCopy(body []byte, contentType, url, fetchedAt string) []byte {
	utf8, _ := charset.Decode(body, contentType)
	var b bytes.Buffer
	b.WriteString(`<!doctype html><meta charset="utf-8">`)
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + archivePolicy + `">`)
	b.WriteString(`<div style="background:#fff3c4;border-bottom:1px solid #c9a400;padding:6px;font:14px sans-serif" id="nianbao-archived">存档副本（nianbao）：`)
	b.WriteString(template.HTMLEscapeString(url))
	b.WriteString(`，抓取于 `)
	b.WriteString(template.HTMLEscapeString(fetchedAt))
	b.WriteString(`。外部资源已屏蔽。</div>`)
	b.Write(utf8)
	return b.Bytes()
}
