// Package archive owns nianbao's archive directory: every byte fetched or
// imported goes in through [Archive.Put] and comes out through
// [Archive.Read], and nothing else knows where or how it is stored.
//
// Fetched responses are WARC 1.1 records (one gzip member per record, one
// file per crawl run, fsynced per record), kept exactly as the server sent
// them, Content-Encoding included. Imported files and attachments obtained
// without HTTP are stored once per content under their sha256, with what is
// known of them (name, content type, coding). Read gives back the bytes as
// they were published: it follows revisit records to the bytes, undoes any
// Content-Encoding (gzip, deflate, br, zstd) that a server applied even unasked,
// and refuses to inflate a body past Options.MaxBody.
//
// A [Ref] is what a database row keeps to find bytes again (path, offset,
// record ID); it survives the archive directory being moved.
//
// The crawler's bookkeeping lives here too: the writer lock
// ([Archive.Lock]), each run's journal and frontier ([Archive.OpenRun]),
// acknowledgements ([Archive.Ack]) and the crawl state document.
//
//	a, err := archive.Open("data/archive", archive.Options{})
//	if err != nil {
//		return err
//	}
//	ref, err := a.Put(archive.Entry{Name: "saved/report.html", ContentType: "text/html", Body: b})
//	if err != nil {
//		return err
//	}
//	obj, err := a.Read(ref) // later, from the ref a pages row keeps
//	if err != nil {
//		return err
//	}
//	fmt.Println(obj.URL, obj.ContentType, obj.FetchedAt, obj.SHA256, len(obj.Body))
//
// A crawl locks the archive, opens a run and puts each response:
//
//	if err := a.Lock(); err != nil { // errors.Is(err, archive.ErrBusy): another crawl runs
//		return err
//	}
//	defer a.Close()
//	run, err := a.OpenRun(runID, time.Now())
//	…
//	ref, err := a.Put(archive.Entry{Response: &archive.Response{URL: u, Status: 200, Header: h, Body: raw, At: t}})
//	err = run.Journal(key, page) // fsynced: survives a kill
package archive
