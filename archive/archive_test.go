package archive_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"github.com/nlnwa/gowarc/v2"

	"github.com/nianbao/nianbao/archive"
)

var page = []byte("<html><head><meta charset=utf-8><title>年报</title></head><body><table><tr><td>自然人</td><td>3</td></tr></table></body></html>")

type encoder func(*testing.T, []byte) []byte

func compress(w func(*bytes.Buffer) interface {
	Write([]byte) (int, error)
	Close() error
}) encoder {
	return func(t *testing.T, b []byte) []byte {
		t.Helper()
		var buf bytes.Buffer
		zw := w(&buf)
		if _, err := zw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
}

type wc = interface {
	Write([]byte) (int, error)
	Close() error
}

var encoders = map[string]encoder{
	"":         func(_ *testing.T, b []byte) []byte { return b },
	"identity": func(_ *testing.T, b []byte) []byte { return b },
	"gzip":     compress(func(b *bytes.Buffer) wc { return gzip.NewWriter(b) }),
	"x-gzip":   compress(func(b *bytes.Buffer) wc { return gzip.NewWriter(b) }),
	"deflate":  compress(func(b *bytes.Buffer) wc { return zlib.NewWriter(b) }),
	"br":       compress(func(b *bytes.Buffer) wc { return brotli.NewWriter(b) }),
	"zstd": compress(func(b *bytes.Buffer) wc {
		z, err := zstd.NewWriter(b)
		if err != nil {
			panic(err)
		}
		return z
	}),
}

func open(t *testing.T, dir string) *archive.Archive {
	t.Helper()
	a, err := archive.Open(dir, archive.Options{Software: "archive_test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// openRun opens a locked archive with one run open.
func openRun(t *testing.T, dir, id string) (*archive.Archive, *archive.Run) {
	t.Helper()
	a := open(t, dir)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	r, err := a.OpenRun(id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return a, r
}

func response(url, enc string, body []byte) *archive.Response {
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	return &archive.Response{URL: url, RequestHeader: http.Header{"User-Agent": {"t"}}, Status: 200, Header: h,
		Body: body, At: time.Date(2024, 3, 1, 2, 3, 4, 0, time.UTC)}
}

// Every coding a server may send unasked comes back out as the page.
func TestReadUndoesContentEncoding(t *testing.T) {
	a, _ := openRun(t, t.TempDir(), "r1")
	for enc, encode := range encoders {
		t.Run("encoding="+enc, func(t *testing.T) {
			url := "http://a.test/" + enc + ".html"
			ref, err := a.Put(archive.Entry{Response: response(url, enc, encode(t, page))})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := a.Read(ref)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(obj.Body, page) {
				t.Errorf("Read gave %q; want the page as published", obj.Body)
			}
			if obj.Encoding != enc || obj.URL != url || obj.Status != 200 || obj.ContentType != "text/html; charset=utf-8" ||
				!obj.FetchedAt.Equal(time.Date(2024, 3, 1, 2, 3, 4, 0, time.UTC)) || obj.SHA256 != archive.SHA256(page) ||
				obj.Ref != ref {
				t.Errorf("Read metadata = %+v", obj)
			}
		})
	}
	// The WARC file keeps the bytes as they were sent.
	files, err := a.WARCFiles()
	if err != nil || len(files) != 1 || filepath.Base(files[0]) != "r1-1.warc.gz" {
		t.Fatalf("WARC files %v, %v", files, err)
	}
	recs, err := archive.Records(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Type == "response" && r.ContentEncoding == "gzip" && bytes.Equal(r.Body, page) {
			t.Error("the gzip response was archived decoded; want the bytes as sent")
		}
	}
	if len(recs) != 1+2*len(encoders) {
		t.Errorf("%d records; want warcinfo + a response and a request per put (%d)", len(recs), 1+2*len(encoders))
	}
	strictlyValid(t, files[0], len(recs))
}

// strictlyValid reads a WARC file with gowarc's strict validation (digests,
// lengths, mandatory fields): an independent check of the hand-written records.
func strictlyValid(t *testing.T, path string, want int) {
	t.Helper()
	r, err := gowarc.NewWarcFileReader(path, 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for {
		rec, off, v, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s at %d: %v", path, off, err)
		}
		if v != nil && !v.Valid() {
			t.Errorf("%s at %d: %v", path, off, v)
		}
		if err := rec.ValidateDigest(v); err != nil {
			t.Errorf("%s at %d: digest: %v", path, off, err)
		}
		rec.Close()
		n++
	}
	if n != want {
		t.Errorf("gowarc read %d records of %s; want %d", n, path, want)
	}
}

func TestDecode(t *testing.T) {
	gz := encoders["gzip"](t, page)
	tests := []struct {
		name, enc string
		in        []byte
		max       int64
		want      []byte
		err       string
	}{
		{"none", "", page, 1 << 20, page, ""},
		{"gzip upper case", "GZIP", gz, 1 << 20, page, ""},
		{"chain gzip then br", "gzip, br", encoders["br"](t, gz), 1 << 20, page, ""},
		{"raw deflate", "deflate", func() []byte {
			var b bytes.Buffer
			w, _ := flate.NewWriter(&b, flate.DefaultCompression)
			w.Write(page)
			w.Close()
			return b.Bytes()
		}(), 1 << 20, page, ""},
		{"over the limit", "gzip", gz, 10, nil, "exceeds size limit"},
		{"unknown coding", "compress", page, 1 << 20, nil, `"compress": unknown content coding`},
		{"not gzip", "gzip", page, 1 << 20, nil, "decode gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := archive.Decode(tc.in, tc.enc, tc.max)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Decode error %v; want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("Decode = %q, %v", got, err)
			}
		})
	}
	if _, err := archive.Decode(gz, "gzip", 10); !errors.Is(err, archive.ErrTooLarge) {
		t.Errorf("bomb: %v; want ErrTooLarge", err)
	}
}

// A decompression bomb in the archive is refused, not inflated.
func TestReadRefusesBomb(t *testing.T) {
	dir := t.TempDir()
	a, err := archive.Open(dir, archive.Options{MaxBody: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("0"), 1<<20)
	ref, err := a.Put(archive.Entry{Name: "big.html.gz", ContentEncoding: "gzip", Body: encoders["gzip"](t, big)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Read(ref); !errors.Is(err, archive.ErrTooLarge) || !strings.Contains(err.Error(), ref.Path) {
		t.Errorf("Read of a bomb: %v; want ErrTooLarge naming %s", err, ref.Path)
	}
}

// Imported files go in and come out through the same door as responses.
func TestPutFile(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir)
	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	ref, err := a.Put(archive.Entry{Name: "saved/report.html", ContentType: "text/html", Body: page, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(ref.Path) || !strings.HasPrefix(ref.Path, a.Dir()) || ref.Offset != 0 || ref.RecordID != "" {
		t.Errorf("file ref %+v", ref)
	}
	again, err := a.Put(archive.Entry{Name: "elsewhere/copy.html", Body: bytes.Clone(page)})
	if err != nil || again != ref {
		t.Errorf("the same bytes put twice: %+v, %v; want %+v", again, err, ref)
	}
	obj, err := a.Read(ref)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(obj.Body, page) || obj.URL != "saved/report.html" || obj.ContentType != "text/html" ||
		!obj.FetchedAt.Equal(at) || obj.SHA256 != archive.SHA256(page) || obj.Status != 0 {
		t.Errorf("Read of a stored file = %+v", obj)
	}

	// A gzipped attachment stored with its coding reads back decoded.
	gref, err := a.Put(archive.Entry{Name: "http://a.test/att.html", ContentType: "text/html", ContentEncoding: "gzip", Body: encoders["gzip"](t, page)})
	if err != nil {
		t.Fatal(err)
	}
	if obj, err := a.Read(gref); err != nil || !bytes.Equal(obj.Body, page) || obj.Encoding != "gzip" {
		t.Errorf("Read of a gzipped file = %+v, %v", obj, err)
	}

	// A file stored before sidecars existed still reads.
	if err := os.Remove(ref.Path + ".json"); err != nil {
		t.Fatal(err)
	}
	if obj, err := a.Read(ref); err != nil || !bytes.Equal(obj.Body, page) || obj.ContentType != "" {
		t.Errorf("Read without sidecar = %+v, %v", obj, err)
	}
	if _, err := a.Read(archive.Ref{Path: filepath.Join(dir, "nope")}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Read of a missing file: %v; want an error naming it", err)
	}
}

func TestPutResponseNeedsRun(t *testing.T) {
	a := open(t, t.TempDir())
	if _, err := a.Put(archive.Entry{Response: response("http://a.test/", "", page)}); err == nil || !strings.Contains(err.Error(), "no run open") {
		t.Errorf("Put of a response without a run: %v", err)
	}
	if _, err := a.OpenRun("r", time.Now()); err == nil || !strings.Contains(err.Error(), "not locked") {
		t.Errorf("OpenRun without the lock: %v", err)
	}
	if _, err := a.Put(archive.Entry{Name: "x"}); err == nil {
		t.Error("Put of nothing: no error")
	}
}

func TestLockIsExclusive(t *testing.T) {
	dir := t.TempDir()
	a := open(t, dir)
	if err := a.Lock(); err != nil {
		t.Fatal(err)
	}
	b := open(t, dir)
	if err := b.Lock(); !errors.Is(err, archive.ErrBusy) {
		t.Fatalf("second Lock: %v; want ErrBusy", err)
	}
	a.Close()
	if err := b.Lock(); err != nil {
		t.Fatalf("Lock after the first writer closed: %v", err)
	}

	// The scheduler's lock is another lock: a scheduler crawls under it.
	unlock, err := a.LockSchedule()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.LockSchedule(); !errors.Is(err, archive.ErrBusy) {
		t.Fatalf("second LockSchedule: %v; want ErrBusy", err)
	}
	unlock()
	unlock2, err := b.LockSchedule()
	if err != nil {
		t.Fatalf("LockSchedule after unlock: %v", err)
	}
	unlock2()
}

// A revisit is followed to the bytes, also after the archive was moved and
// across a run's WARC files.
func TestRevisitAndMovedArchive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a")
	a, r1 := openRun(t, dir, "r1")
	orig, err := a.Put(archive.Entry{Response: response("http://a.test/t1.html", "gzip", encoders["gzip"](t, page))})
	if err != nil {
		t.Fatal(err)
	}
	r1.Close()
	r2, err := a.OpenRun("r2", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	nm := response("http://a.test/t1.html", "", nil)
	nm.Status = http.StatusNotModified
	rev, err := a.Put(archive.Entry{Response: nm, Revisit: &archive.Revisit{Of: orig, URL: "http://a.test/t1.html",
		Date: time.Date(2024, 3, 1, 2, 3, 4, 0, time.UTC), NotModified: true}})
	if err != nil {
		t.Fatal(err)
	}
	r2.Close()
	if rev.Path == orig.Path {
		t.Fatalf("two runs share WARC file %s", rev.Path)
	}
	check := func(a *archive.Archive, ref archive.Ref) {
		t.Helper()
		obj, err := a.Read(ref)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(obj.Body, page) || obj.Ref.RecordID != orig.RecordID || obj.Ref.Offset != orig.Offset {
			t.Errorf("revisit read = %q at %+v; want the page from %+v", obj.Body, obj.Ref, orig)
		}
	}
	check(a, rev)
	a.Close()
	moved := dir + "-moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	m := open(t, moved)
	check(m, rev) // the ref still names the old directory
	if got := m.Locate(rev); !strings.HasPrefix(got.Path, moved) {
		t.Errorf("Locate = %s; want it under %s", got.Path, moved)
	}
}

// The journal lifecycle: journaled pages survive until acked; a torn last
// line (a kill mid-write) loses nothing before it; an unfinished run keeps
// its queue.
func TestJournalPendingAck(t *testing.T) {
	dir := t.TempDir()
	a, r := openRun(t, dir, "r1")
	type pg struct{ URL string }
	for _, u := range []string{"a", "b", "c"} {
		if err := r.Journal("GET "+u, pg{u}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Queue(map[string]string{"URL": "d"}); err != nil {
		t.Fatal(err)
	}
	if err := r.SyncQueue(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	// A kill in the middle of a line.
	f, err := os.OpenFile(filepath.Join(dir, "runs", "r1", "journal.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"Key":"GET e","Pa`)
	f.Close()

	pend, err := a.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if len(pend) != 1 || pend[0].ID != "r1" || pend[0].Complete || len(pend[0].Done) != 3 || len(pend[0].Unacked) != 3 ||
		len(pend[0].Queue) != 1 || string(pend[0].Done[2].Page) != `{"URL":"c"}` {
		t.Fatalf("Pending = %+v", pend)
	}
	if err := a.Returned("r1", 2); err != nil {
		t.Fatal(err)
	}
	if err := a.Ack("r1"); err != nil {
		t.Fatal(err)
	}
	un, total, err := a.Unacked("r1")
	if err != nil || total != 3 || len(un) != 1 || un[0].Key != "GET c" {
		t.Errorf("Unacked after acking 2 of 3 = %+v, %d, %v", un, total, err)
	}
	pend, _ = a.Pending()
	if len(pend) != 1 || len(pend[0].Queue) != 1 {
		t.Errorf("an acked run that was interrupted must keep its queue: %+v", pend)
	}
	all, err := a.Journals()
	if err != nil || len(all) != 3 {
		t.Errorf("Journals = %d lines, %v; want 3", len(all), err)
	}
	if err := a.Ack("../x"); err == nil {
		t.Error("Ack of a bad run id: no error")
	}
	if _, err := open(t, t.TempDir()).Journals(); err == nil || !strings.Contains(err.Error(), "not a nianbao archive") {
		t.Errorf("Journals of an empty dir: %v", err)
	}
}

func TestState(t *testing.T) {
	a := open(t, filepath.Join(t.TempDir(), "new"))
	var v map[string]int
	if ok, err := a.ReadState(&v); ok || err != nil {
		t.Fatalf("ReadState of a new archive = %v, %v", ok, err)
	}
	if err := a.WriteState(map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.ReadState(&v); !ok || err != nil || v["x"] != 1 {
		t.Errorf("ReadState = %v, %v, %v", v, ok, err)
	}
}
