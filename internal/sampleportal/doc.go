// Package sampleportal is a real net/http server on 127.0.0.1 that imitates
// the Chinese government portals nianbao crawls: several CMS families on
// virtual hosts with fake names (*.mock.gov.test), annual reports generated
// from known values and rendered the way real pages are (Word-pasted tables,
// merged cells, blanks for zeros, GBK pages declared only in <meta>), and
// switchable server misbehaviour (latency, 502s, resets, robots.txt variants,
// WAF challenges, broken TLS, soft 404s, a domain move, charset traps).
//
// It serves the crawler's tests, `nianbao demo` and the benchmarks. Every
// virtual host answers on one loopback address, plain HTTP and (for
// connections opening with a TLS handshake) HTTPS with a self-signed
// certificate; a client reaches them by dialing through [Portal.Resolve]:
//
//	p, err := sampleportal.Start(sampleportal.Options{})
//	if err != nil { ... }
//	defer p.Close()
//	res := p.Resolve() // "www.xxmyq.mock.gov.test" → "127.0.0.1:41234"
//	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
//		host, _, _ := net.SplitHostPort(addr) // port 80 or 443: same address
//		if a, ok := res[host]; ok {
//			addr = a
//		}
//		return (&net.Dialer{}).DialContext(ctx, network, addr)
//	}
//	for _, pc := range p.Portals() { ... crawl pc.StartURLs within pc.AllowedDomains ... }
//	for _, r := range p.Reports() { ... r.URL, r.Cells["t3.new.natural"], r.Unbalanced ... }
//	if p.Requests(sampleportal.HostOffDomain) != 0 { ... left the allowed domains ... }
//
// The sites (one portal each; real agencies, GB/T 2260 codes, fake hosts):
//
//	sitesources  www.xxmyq.mock.gov.test  新乡市牧野区 410711  Henan CMS: list1…N.html + script.json,
//	             year columns 2019n/… split 区政府/区直部门, UTF-8, an off-domain link
//	trs          trs.mock.gov.test        信阳市浉河区 411502  GBK declared only in <meta>, 浉 in titles,
//	             createPageHTML 0-based and (乡镇街道) container-first 1-based, _wap twins,
//	             （更正版）, P0….pdf, a pre-2019 report
//	hanweb       hanweb.mock.gov.test     荆门市东宝区 420802  inline XML datastore + dataproxy.jsp POST,
//	             downfile.jsp → 302, 部门 catalogue, an image-table report
//	gkmlpt       gkmlpt.mock.gov.test     深圳市龙岗区 440307  SPA shell + JSON API, page 0 = page 1,
//	             404 after the last page, attachments only in JSON, a %uXXXX title
//	legacy       www.fanxian.mock.gov.test 范县 410926     ASP.NET ?page=N, GBK, report tables
//	             nested in a page-layout table
//
// TRS, Hanweb and gkmlpt also publish reports as attachments (TRS P0….pdf,
// Hanweb downfile.jsp → 302 → PDF, gkmlpt /attachment/… PDF and DOCX in the
// JSON): real files written at start-up from the report's own text and
// values (PDFs by internal/pdfgen: STSong-Light text, ruled tables continued
// over pages with their header repeated, page numbers, table 三 on
// landscape pages turned by /Rotate 90 or 270; DOCX with w:gridSpan and
// w:vMerge). In each of these families one report page links its attachment
// beside its own tables and one (Kind "attachment") has no tables, only the
// link: Cells are then what the attachment prints.
//
// Reports of 2019–2020 use the 2019 tables, later ones the 2021 tables (one
// 2022 town report keeps the 2019 tables). Four reports break one rule each
// (i1_balance, i2_results, i3_total_column, i4_review_suit); the rest
// balance with blank read as 0, and carried-over counts chain across years.
//
// Faults are switched per host with [Portal.Set]:
//
//	p.Set(sampleportal.HostTRS, sampleportal.Behaviour{WAF: sampleportal.WAF521})
//
// and [Portal.NextNight] moves the portal to the next night (one report
// changed, one new, one gone). No package state: several portals can run at
// once.
package sampleportal
