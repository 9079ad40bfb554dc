package crawler

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

// scanLinks (the tokenizer, used on report pages) must find what linksOf
// (the DOM) finds: the same anchors with the same titles, embeds and base.
func TestScanLinksMatchesDOM(t *testing.T) {
	pages := map[string][]byte{
		"nested markup and entities": []byte(`<html><head><base href="/x/"></head><body>
			<a href="a.pdf"><span>2023年</span>报告 &amp; 附件<b>（PDF）</b></a>
			<a href="b.doc" title=" 标题 &lt;b&gt; ">正文</a>
			<A HREF="c.xls" TITLE="">大写 2024-01-02</A>
			<a name="anchor">no href</a>
			<a href="d.pdf">unclosed <a href="e.pdf">second</a>
			<iframe src="/viewer.html?file=/f.pdf"></iframe><embed src="g.pdf"><object data="h.pdf"></object>
			<p><a href='i.zip' title=t1 title=t2>dup title</a></p></body></html>`),
	}
	if b, err := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*.html")); err == nil {
		for _, f := range b {
			if body, err := os.ReadFile(f); err == nil {
				pages[filepath.Base(f)] = body
			}
		}
	}
	sp, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, sp.Addr())
	}}}
	withAttachments := 0
	for _, r := range sp.Reports() {
		if !strings.HasPrefix(r.URL, "http://") {
			continue
		}
		resp, err := client.Get(r.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", r.URL, resp.StatusCode)
		}
		pages[r.URL] = b
		if len(r.Attachments) > 0 {
			withAttachments++
		}
	}
	if withAttachments == 0 {
		t.Fatal("no sample report page links an attachment: the comparison means little")
	}
	for name, b := range pages {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		dom, tok := linksOf(doc), scanLinks(b)
		h, _ := doc.Find("base[href]").First().Attr("href")
		if tok.base != h {
			t.Errorf("%s: base %q by tokenizer, %q by DOM", name, tok.base, h)
		}
		if !reflect.DeepEqual(titles(tok), titles(dom)) {
			t.Errorf("%s: links by tokenizer\n %q\nby DOM\n %q", name, titles(tok), titles(dom))
		}
		if !reflect.DeepEqual(tok.embeds, dom.embeds) {
			t.Errorf("%s: embeds by tokenizer %q, by DOM %q", name, tok.embeds, dom.embeds)
		}
	}
}

func titles(sc pageLinks) [][2]string {
	var out [][2]string
	for _, l := range sc.links {
		out = append(out, [2]string{l.href, l.title()})
	}
	return out
}
