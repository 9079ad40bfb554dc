// Package sampleportal is a real net/http server on 127.0.0.1 that imitates
// the Chinese government portals nianbao crawls: several CMS families on
// virtual hosts with fake names (*.mock.gov.test), annual reports generated
// from known values and rendered the way real pages are (Word-pasted tables,
// merged cells, blanks for zeros, GBK pages declared only in <meta>), and
// switchable server misbehaviour (latency, 502s, resets, robots.txt variants,
// WAF challenges, broken TLS, soft 404s, a domain move, charset traps).
//
// It serves the crawler's tests, `nianbao demo` and the benchmarks. Every
// virtual host answers on one plain listener and one self-signed TLS
// listener; a client reaches them by dialing through [Portal.Resolve]:
//
//	p, err := sampleportal.Start(sampleportal.Options{})
//	if err != nil { ... }
//	defer p.Close()
//	res := p.Resolve() // "www.xxmyq.mock.gov.test" → "127.0.0.1:41234"
//	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
//		if a, ok := res[addr]; ok { // "host:443" goes to the TLS listener
//			addr = a
//		}
//		return (&net.Dialer{}).DialContext(ctx, network, addr)
//	}
//	for _, pc := range p.Portals() { ... crawl pc.StartURLs within pc.AllowedDomains ... }
//	for _, r := range p.Reports() { ... r.URL, r.Cells["t3.new.natural"], r.Unbalanced ... }
//	if p.Requests(sampleportal.HostOffDomain) != 0 { ... left the allowed domains ... }
//
// Faults are switched per host with [Portal.Set]:
//
//	p.Set(sampleportal.HostTRS, sampleportal.Behaviour{WAF: sampleportal.WAF521})
//
// and [Portal.NextNight] moves the portal to the next night (one report
// changed, one new, one gone). No package state: several portals can run at
// once.
package sampleportal
