// Package crawler fetches the annual-report columns of government portals
// politely and archives every response through package archive (WARC 1.1).
//
// One [Run] is one night: it resumes an interrupted run's queue if there is
// one, walks each portal's start URLs (pagination links, createPageHTML /
// countPage / script.json page counts, Hanweb datastores and dataproxy.jsp,
// gkmlpt's JSON API, year and department sub-columns), fetches report pages
// and their attachments, and returns the pages. Nothing is held open on a
// database: everything lives in the archive at Options.ArchiveDir (WARC
// files, an fsynced journal, the frontier, validators and host states), and
// the caller stores the pages and then calls [Ack]. Bytes come back out
// only through [archive.Archive.Read].
//
//	res, err := crawler.Run(ctx, crawler.Options{ArchiveDir: "data/archive"}, []crawler.Portal{{
//		Name:      "新乡市牧野区人民政府",
//		StartURLs: []string{"https://www.xxmyq.gov.cn/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/list1.html"},
//	}})
//	if res != nil {
//		a, _ := archive.Open("data/archive", archive.Options{})
//		for _, p := range res.Pages {
//			obj, _ := a.Read(archive.Ref{Path: p.ArchivePath, Offset: p.WARCOffset}) // works offline, encoding undone
//			_ = obj
//		}
//		// … store res.Pages in one transaction, then:
//		_ = crawler.Ack("data/archive", res.RunID)
//	}
//
// Politeness: robots.txt (colly's check, never loosened by COLLY_* variables),
// one connection and one request at a time per host with Delay plus jitter,
// ParallelHosts hosts at once, a daily request budget per host, bounded
// retries with exponential back-off honouring Retry-After. Every request is
// checked against the portal's allowed hosts (ports included) at the
// transport, redirect hops included; hosts are compared by their identity
// (internal/hostid: lower case, default port dropped). Non-public addresses
// are refused at the dial unless the portal sets AllowPrivateNetwork, and
// never after a public hop of the same fetch. With Options.Resolve set, only
// the names it maps (and IP literals, checked as above) are ever dialed.
//
// Incremental nights: every GET carries the URL's validators (ETag,
// Last-Modified) from earlier runs; unchanged answers are archived as revisit
// records. Page 1 of every list and sub-column is re-read each night; later
// pages only while the previous one listed something new. Report pages and
// attachments linked from an unchanged page are re-checked at most every
// [RecheckAge].
//
// Resume: each page is journaled (fsynced) after its WARC record is synced,
// and each discovered item is in the frontier before that, so a run killed
// at any point is continued by the next Run, which returns the killed run's
// un-acked pages too and fetches none of them again.
//
// Faults (WAF challenges, soft 404s, moved domains, broken TLS, 5xx after
// retries) are recorded per host as blocked / moved / unreachable; the host
// is left alone for the rest of the run and backed off on later nights.
package crawler
