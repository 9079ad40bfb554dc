package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
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
type warcWriter struct {
	mu   sync.Mutex
	path string
	f    *os.File
	off  int64
}

func createWARC(path string, at time.Time, software string) (*warcWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create warc %s: %w", path, err)
	}
	w := &warcWriter{path: path, f: f}
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	b := gowarc.NewRecordBuilder(gowarc.Warcinfo)
	b.AddWarcHeader(gowarc.WarcRecordID, NewRecordID())
	b.AddWarcHeaderTime(gowarc.WarcDate, at)
	b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	b.AddWarcHeader(gowarc.WarcFilename, filepath.Base(path))
	if _, err := fmt.Fprintf(b, "software: %s\r\nformat: WARC File Format 1.1\r\n", software); err != nil {
		f.Close()
		return nil, fmt.Errorf("warcinfo %s: %w", path, err)
	}
	rec, _, err := b.Build()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("warcinfo %s: %w", path, err)
	}
	if _, err := w.write(rec); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// gowarcMu serialises every use of gowarc: building its options writes a
// global of github.com/google/uuid (EnableRandPool), which races with any
// concurrent record building or reading. It guards a third-party global,
// so it is the one package-level variable here.
var gowarcMu sync.Mutex

// NewRecordID makes a WARC-Record-ID ("<urn:uuid:…>") from crypto/rand
// (not the uuid package, whose pool flag gowarc rewrites).
func NewRecordID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// write appends records, each as its own gzip member, with one fsync, and
// returns the offset of the first.
func (w *warcWriter) write(recs ...gowarc.WarcRecord) (int64, error) {
	var buf bytes.Buffer
	for _, rec := range recs {
		zw := gzip.NewWriter(&buf)
		if _, _, err := gowarc.NewMarshaler().Marshal(zw, rec, 0); err != nil {
			return 0, fmt.Errorf("marshal warc record %s: %w", rec.RecordId(), err)
		}
		if err := zw.Close(); err != nil {
			return 0, fmt.Errorf("gzip warc record: %w", err)
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

func responseBlock(x *Response) []byte {
	h := x.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Transfer-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(x.Body)))
	proto := x.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	st := x.StatusText
	if st == "" {
		st = http.StatusText(x.Status)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d %s\r\n", proto, x.Status, st)
	_ = h.Write(&b)
	b.WriteString("\r\n")
	b.Write(x.Body)
	return b.Bytes()
}

func sha1Digest(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// writeResponse archives a response (or revisit) record and its request
// record and returns the response record's ID and offset.
func (w *warcWriter) writeResponse(x *Response, rev *Revisit) (id string, off int64, err error) {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	respID := NewRecordID()
	var rb gowarc.WarcRecordBuilder
	if rev == nil {
		rb = gowarc.NewRecordBuilder(gowarc.Response)
		if _, err := rb.Write(responseBlock(x)); err != nil {
			return "", 0, err
		}
		rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		rb.AddWarcHeader(gowarc.WarcPayloadDigest, sha1Digest(x.Body))
	} else {
		rb = gowarc.NewRecordBuilder(gowarc.Revisit)
		// Headers only: the payload lives in the referred-to record.
		blk := responseBlock(&Response{Proto: x.Proto, Status: x.Status, StatusText: x.StatusText, Header: x.Header})
		blk = blk[:bytes.Index(blk, []byte("\r\n\r\n"))+4]
		if _, err := rb.Write(blk); err != nil {
			return "", 0, err
		}
		rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
		profile := gowarc.ProfileIdenticalPayloadDigestV1_1
		if rev.NotModified {
			profile = gowarc.ProfileServerNotModifiedV1_1
		} else {
			rb.AddWarcHeader(gowarc.WarcPayloadDigest, sha1Digest(x.Body))
		}
		rb.AddWarcHeader(gowarc.WarcProfile, profile)
		rb.AddWarcHeader(gowarc.WarcRefersTo, rev.Of.RecordID)
		rb.AddWarcHeader(gowarc.WarcRefersToTargetURI, rev.URL)
		rb.AddWarcHeaderTime(gowarc.WarcRefersToDate, rev.Date)
		rb.AddWarcHeader(hdrRefersToFile, filepath.Base(rev.Of.Path))
		rb.AddWarcHeaderInt64(hdrRefersToOffset, rev.Of.Offset)
	}
	rb.AddWarcHeader(gowarc.WarcRecordID, respID)
	rb.AddWarcHeader(gowarc.WarcTargetURI, x.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, x.At)
	if x.RemoteIP != "" {
		rb.AddWarcHeader(gowarc.WarcIPAddress, x.RemoteIP)
	}
	rec, _, err := rb.Build()
	if err != nil {
		return "", 0, fmt.Errorf("build warc response for %s: %w", x.URL, err)
	}

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
	fmt.Fprintf(&rq, "%s %s HTTP/1.1\r\n", method, u)
	_ = x.RequestHeader.Write(&rq)
	rq.WriteString("\r\n")
	rq.Write(x.RequestBody)
	qb := gowarc.NewRecordBuilder(gowarc.Request)
	if _, err := qb.Write(rq.Bytes()); err != nil {
		return "", 0, err
	}
	qb.AddWarcHeader(gowarc.WarcRecordID, NewRecordID())
	qb.AddWarcHeader(gowarc.WarcTargetURI, x.URL)
	qb.AddWarcHeaderTime(gowarc.WarcDate, x.At)
	qb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
	qb.AddWarcHeader(gowarc.WarcConcurrentTo, respID)
	req, _, err := qb.Build()
	if err != nil {
		return "", 0, fmt.Errorf("build warc request for %s: %w", x.URL, err)
	}
	// Response first, so the returned offset is the response's.
	if off, err = w.write(rec, req); err != nil {
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
