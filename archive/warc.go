package archive

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v2"
)

// Extension WARC fields: a revisit record names the file and offset of the
// response it repeats, so Read can follow it without an index.
const (
	hdrRefersToFile   = "X-Nianbao-Refers-To-File"
	hdrRefersToOffset = "X-Nianbao-Refers-To-Offset"
)

// warcWriter appends gzip-member WARC 1.1 records to one file and fsyncs
// after each, so an offset handed out is never lost to a crash. Safe for
// concurrent use.
//
// Records are written by hand rather than through gowarc's builder and
// marshaler: those copy every block twice, write headers in many small
// formatted writes and allocate a fresh compressor per record, which made
// the WARC writer the crawler's largest CPU cost. gowarc still reads the
// files (and the tests check them with it and with warcio).
type warcWriter struct {
	mu   sync.Mutex
	path string
	f    *os.File
	off  int64
}

// warcGzipLevel: BestSpeed costs a fraction of the default level's CPU for
// archives a few percent larger (HTML compresses well either way).
const warcGzipLevel = gzip.BestSpeed

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, warcGzipLevel)
	return zw
}}

func createWARC(path string, at time.Time, software string) (*warcWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create warc %s: %w", path, err)
	}
	w := &warcWriter{path: path, f: f}
	block := []byte("software: " + oneLine(software) + "\r\nformat: WARC File Format 1.1\r\n")
	rec := record{typ: "warcinfo", block: block, fields: []field{
		{"WARC-Record-ID", NewRecordID()},
		{"WARC-Date", warcDate(at)},
		{"WARC-Filename", filepath.Base(path)},
		{"Content-Type", "application/warc-fields"},
	}}
	if _, err := w.write(&rec); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// field is one WARC named field; record is one WARC record to write.
type field struct{ name, value string }

type record struct {
	typ    string
	fields []field
	block  []byte
}

func warcDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// oneLine keeps a field value on its line: CR and LF would end the header.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// gowarcMu serialises every use of gowarc: building its options writes a
// global of github.com/google/uuid (EnableRandPool), which races with any
// concurrent record reading. It guards a third-party global, so it is the
// one package-level lock here.
var gowarcMu sync.Mutex

// NewRecordID makes a WARC-Record-ID ("<urn:uuid:…>") from crypto/rand.
func NewRecordID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// marshal appends one record as its own gzip member to buf.
func marshal(buf *bytes.Buffer, rec *record) error {
	var h bytes.Buffer
	h.Grow(512)
	h.WriteString("WARC/1.1\r\nWARC-Type: ")
	h.WriteString(rec.typ)
	h.WriteString("\r\n")
	for _, f := range rec.fields {
		h.WriteString(f.name)
		h.WriteString(": ")
		h.WriteString(oneLine(f.value))
		h.WriteString("\r\n")
	}
	h.WriteString("WARC-Block-Digest: ")
	h.WriteString(sha1Digest(rec.block))
	h.WriteString("\r\nContent-Length: ")
	h.WriteString(strconv.Itoa(len(rec.block)))
	h.WriteString("\r\n\r\n")
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(buf)
	for _, b := range [][]byte{h.Bytes(), rec.block, []byte("\r\n\r\n")} {
		if _, err := zw.Write(b); err != nil {
			return fmt.Errorf("gzip warc record: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip warc record: %w", err)
	}
	return nil
}

// write appends records, each as its own gzip member, with one fsync, and
// returns the offset of the first.
func (w *warcWriter) write(recs ...*record) (int64, error) {
	var buf bytes.Buffer
	for _, rec := range recs {
		if err := marshal(&buf, rec); err != nil {
			return 0, err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, fmt.Errorf("write %s: file closed", w.path)
	}
	off := w.off
	if _, err := w.f.Write(buf.Bytes()); err != nil {
		return 0, fmt.Errorf("write %s: %w", w.path, err)
	}
	if err := w.f.Sync(); err != nil {
		return 0, fmt.Errorf("sync %s: %w", w.path, err)
	}
	w.off += int64(buf.Len())
	return off, nil
}

func (w *warcWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// responseHead is the HTTP status line and headers of a response block.
func responseHead(b *bytes.Buffer, x *Response, bodyLen int) {
	h := x.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", strconv.Itoa(bodyLen))
	proto := x.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	st := x.StatusText
	if st == "" {
		st = http.StatusText(x.Status)
	}
	b.WriteString(proto)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(x.Status))
	b.WriteByte(' ')
	b.WriteString(st)
	b.WriteString("\r\n")
	_ = h.Write(b)
	b.WriteString("\r\n")
}

func sha1Digest(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// writeResponse archives a response (or revisit) record and its request
// record and returns the response record's ID and offset.
func (w *warcWriter) writeResponse(x *Response, rev *Revisit) (id string, off int64, err error) {
	respID := NewRecordID()
	var blk bytes.Buffer
	resp := record{fields: []field{{"WARC-Record-ID", respID}, {"WARC-Date", warcDate(x.At)}, {"WARC-Target-URI", x.URL}}}
	if x.RemoteIP != "" {
		resp.fields = append(resp.fields, field{"WARC-IP-Address", x.RemoteIP})
	}
	resp.fields = append(resp.fields, field{"Content-Type", "application/http;msgtype=response"})
	if rev == nil {
		resp.typ = "response"
		blk.Grow(len(x.Body) + 1024)
		responseHead(&blk, x, len(x.Body))
		blk.Write(x.Body)
		resp.fields = append(resp.fields, field{"WARC-Payload-Digest", sha1Digest(x.Body)})
	} else {
		// Headers only: the payload lives in the referred-to record.
		resp.typ = "revisit"
		responseHead(&blk, &Response{Proto: x.Proto, Status: x.Status, StatusText: x.StatusText, Header: x.Header}, 0)
		profile := "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
		if rev.NotModified {
			profile = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
		} else {
			resp.fields = append(resp.fields, field{"WARC-Payload-Digest", sha1Digest(x.Body)})
		}
		resp.fields = append(resp.fields,
			field{"WARC-Profile", profile},
			field{"WARC-Refers-To", rev.Of.RecordID},
			field{"WARC-Refers-To-Target-URI", rev.URL},
			field{"WARC-Refers-To-Date", warcDate(rev.Date)},
			field{hdrRefersToFile, filepath.Base(rev.Of.Path)},
			field{hdrRefersToOffset, strconv.FormatInt(rev.Of.Offset, 10)})
	}
	resp.block = blk.Bytes()

	// The request record follows, concurrent to the response.
	var rq bytes.Buffer
	u := x.URL
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.IndexByte(u[i+3:], '/'); j >= 0 {
			u = u[i+3+j:]
		} else {
			u = "/"
		}
	}
	method := x.Method
	if method == "" {
		method = http.MethodGet
	}
	rq.WriteString(method + " " + u + " HTTP/1.1\r\n")
	_ = x.RequestHeader.Write(&rq)
	rq.WriteString("\r\n")
	rq.Write(x.RequestBody)
	req := record{typ: "request", block: rq.Bytes(), fields: []field{
		{"WARC-Record-ID", NewRecordID()},
		{"WARC-Date", warcDate(x.At)},
		{"WARC-Target-URI", x.URL},
		{"WARC-Concurrent-To", respID},
		{"Content-Type", "application/http;msgtype=request"},
	}}
	// Response first, so the returned offset is the response's.
	if off, err = w.write(&resp, &req); err != nil {
		return "", 0, err
	}
	return respID, off, nil
}

// Record is one WARC record as listed by [Records].
type Record struct {
	Type, ID, TargetURI string
	Offset              int64
	Status              int
	ContentType         string
	// ContentEncoding is the HTTP Content-Encoding of the payload, which
	// Body is still in: Records lists what the file holds. Read decodes.
	ContentEncoding string
	Body            []byte // HTTP payload; nil for non-HTTP records and revisits
}

// Records reads every record of a WARC file, in order: for inspection and
// tests. Pages are read with [Archive.Read].
func Records(path string) ([]Record, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	r, err := gowarc.NewWarcFileReader(path, 0)
	if err != nil {
		return nil, fmt.Errorf("open warc %s: %w", path, err)
	}
	defer r.Close()
	var out []Record
	for {
		rec, off, _, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("read warc %s at %d: %w", path, off, err)
		}
		x := Record{Type: rec.Type().String(), ID: rec.WarcHeader().Get(gowarc.WarcRecordID), Offset: off,
			TargetURI: rec.WarcHeader().Get(gowarc.WarcTargetURI)}
		if hb, ok := rec.Block().(gowarc.HttpResponseBlock); ok {
			if resp := hb.HttpHeader(); resp != nil {
				x.ContentType = resp.Get("Content-Type")
				x.ContentEncoding = resp.Get("Content-Encoding")
			}
			x.Status = hb.HttpStatusCode()
			if rec.Type() == gowarc.Response {
				pr, err := hb.PayloadBytes()
				if err == nil {
					x.Body, _ = io.ReadAll(pr)
				}
			}
		}
		rec.Close()
		out = append(out, x)
	}
}

// readResponse returns the HTTP payload (still encoded) of the response
// record at ref, following a revisit record to the record holding the
// bytes, so it works with the network off.
func readResponse(ref Ref) (*Object, error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	path, offset := ref.Path, ref.Offset
	for range 4 { // a revisit points at a response, never at another revisit; be tolerant anyway
		r, err := gowarc.NewWarcFileReader(path, offset)
		if err != nil {
			return nil, fmt.Errorf("open warc %s: %w", path, err)
		}
		rec, _, _, err := r.Next()
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("read warc %s at %d: %w", path, offset, err)
		}
		h := rec.WarcHeader()
		if rec.Type() == gowarc.Revisit {
			file, offs := h.Get(hdrRefersToFile), h.Get(hdrRefersToOffset)
			rec.Close()
			r.Close()
			if file == "" || offs == "" {
				return nil, fmt.Errorf("read warc %s at %d: revisit without %s", path, offset, hdrRefersToFile)
			}
			n, err := strconv.ParseInt(offs, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("read warc %s at %d: bad %s %q", path, offset, hdrRefersToOffset, offs)
			}
			path = filepath.Join(filepath.Dir(path), filepath.Base(file))
			offset = n
			continue
		}
		hb, ok := rec.Block().(gowarc.HttpResponseBlock)
		if !ok {
			rec.Close()
			r.Close()
			return nil, fmt.Errorf("read warc %s at %d: %s record is not an HTTP response", path, offset, rec.Type())
		}
		obj := &Object{URL: h.Get(gowarc.WarcTargetURI), Status: hb.HttpStatusCode(),
			Ref: Ref{Path: path, Offset: offset, RecordID: h.Get(gowarc.WarcRecordID)}}
		if t, err := h.GetTime(gowarc.WarcDate); err == nil {
			obj.FetchedAt = t
		}
		pr, err := hb.PayloadBytes()
		if err == nil {
			obj.Body, err = io.ReadAll(bufio.NewReader(pr))
		}
		if hh := hb.HttpHeader(); hh != nil {
			obj.ContentType = hh.Get("Content-Type")
			obj.Encoding = hh.Get("Content-Encoding")
		}
		rec.Close()
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("read payload %s at %d: %w", path, offset, err)
		}
		return obj, nil
	}
	return nil, fmt.Errorf("read warc %s at %d: revisit chain too long", ref.Path, ref.Offset)
}
