package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Layout of an archive directory (only this package knows it):
//
//	warc/<run>-<n>.warc.gz     WARC 1.1, one gzip member per record; one file per crawl run (a resumed run adds -2, -3 …)
//	files/<aa>/<sha256>        a stored file (import, attachment without HTTP), named by the sha256 of its bytes
//	files/<aa>/<sha256>.json   what was known of it when it was stored: name, content type, coding, time
//	runs/<run>/frontier.jsonl  every item a run queued (append-only)
//	runs/<run>/journal.jsonl   every page a run fetched (append-only, fsynced per line)
//	runs/<run>/complete        the run's queue was drained
//	runs/<run>/returned        how many journal lines the last crawl handed back
//	runs/<run>/acked           how many of them are stored elsewhere ([Archive.Ack])
//	runs/<run>/carried         earlier un-acked runs whose pages this run returned
//	state.json                 the crawler's state (validators, host states, budgets)
//	lock                       flock: one writer (crawl) at a time
//	.schedule.lock             flock: one scheduler at a time ([Archive.LockSchedule])
const (
	dirWARC  = "warc"
	dirFiles = "files"
	dirRuns  = "runs"

	fileFrontier = "frontier.jsonl"
	fileJournal  = "journal.jsonl"
	fileComplete = "complete"
	fileAcked    = "acked"
	fileCarried  = "carried"
	fileReturned = "returned"
	fileState    = "state.json"
	fileLock     = "lock"
	fileSchedule = ".schedule.lock"

	warcExt = ".warc.gz"
)

// DefaultMaxBody bounds what [Archive.Read] inflates a stored body to: a
// decompression bomb in the archive must not take the machine down.
const DefaultMaxBody = 512 << 20

// ErrBusy means another writer holds the archive's lock.
var ErrBusy = errors.New("archive is in use by another run")

// Options configure [Open]. The zero value is usable.
type Options struct {
	// Software names the writer in each WARC file's warcinfo record.
	Software string
	// MaxBody bounds a body inflated by Read (0: DefaultMaxBody).
	MaxBody int64
}

// Archive is one archive directory: the only door through which bytes go
// in ([Archive.Put]) and come out ([Archive.Read]). Safe for concurrent use.
type Archive struct {
	dir  string
	opts Options

	mu   sync.Mutex
	lock *os.File
	warc *warcWriter // the open run's WARC file, for Put of responses
}

// Open opens the archive directory dir (made absolute, so the refs it
// hands out work from any working directory). Nothing is created until
// something is written.
func Open(dir string, opts Options) (*Archive, error) {
	if dir == "" {
		return nil, errors.New("open archive: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, err)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Software == "" {
		opts.Software = "nianbao"
	}
	return &Archive{dir: abs, opts: opts}, nil
}

// Dir is the archive's absolute directory.
func (a *Archive) Dir() string { return a.dir }

// Lock takes the archive's writer lock (an flock, released by Close or
// when the process dies). A second writer gets an error wrapping ErrBusy.
func (a *Archive) Lock() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lock != nil {
		return nil
	}
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return fmt.Errorf("create archive dir %s: %w", a.dir, err)
	}
	lf, err := os.OpenFile(filepath.Join(a.dir, fileLock), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("open lock in %s: %w", a.dir, err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lf.Close()
		return fmt.Errorf("lock archive %s: %w", a.dir, ErrBusy)
	}
	a.lock = lf
	return nil
}

// LockSchedule takes the scheduler's lock, held for as long as a `nianbao
// schedule` runs over this archive (its crawls take [Archive.Lock] in
// turn). A second scheduler gets an error wrapping ErrBusy. unlock
// releases it; so does the process ending.
func (a *Archive) LockSchedule() (unlock func(), err error) {
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create archive dir %s: %w", a.dir, err)
	}
	path := filepath.Join(a.dir, fileSchedule)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open schedule lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: %w", path, ErrBusy)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// Close closes the open WARC file and releases the lock.
func (a *Archive) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var err error
	if a.warc != nil {
		err = a.warc.Close()
		a.warc = nil
	}
	if a.lock != nil {
		a.lock.Close() // releases the flock
		a.lock = nil
	}
	return err
}

// Ref locates stored bytes: what a pages row keeps (archive_path,
// warc_offset, warc_record_id). Path is absolute; Offset and RecordID are
// zero for a stored file.
type Ref struct {
	Path     string
	Offset   int64
	RecordID string
}

// IsZero reports whether r points nowhere.
func (r Ref) IsZero() bool { return r.Path == "" }

// Response is one HTTP exchange as it crossed the wire: after transfer
// decoding, with its Content-Encoding kept. Body is the payload as received.
type Response struct {
	Method        string // "" means GET
	URL           string
	RequestHeader http.Header
	RequestBody   []byte
	Proto         string // "" means HTTP/1.1
	Status        int
	StatusText    string // "" means the standard text
	Header        http.Header
	Body          []byte
	RemoteIP      string
	At            time.Time
}

// Revisit says that a response repeats bytes already archived: the 304
// answer to a conditional GET, or a 200 with the same payload. Put stores
// the headers only and Read follows Of to the bytes.
type Revisit struct {
	Of          Ref
	URL         string    // target URI of the record Of
	Date        time.Time // WARC-Date of the record Of
	NotModified bool      // a 304 rather than identical bytes
}

// Entry is what [Archive.Put] stores: a fetched response (Response set) or a
// file (Body set: an imported page, an attachment from elsewhere).
type Entry struct {
	// Response is a fetched answer: a WARC response record (with its
	// request record) in the open run's WARC file.
	Response *Response
	// Revisit, with Response, stores a revisit record instead.
	Revisit *Revisit

	// Name is a stored file's original name or URL.
	Name string
	// ContentType and ContentEncoding describe Body ("" when unknown / none).
	ContentType, ContentEncoding string
	// Body is a stored file's bytes.
	Body []byte
	// At is when the file was obtained (zero: now).
	At time.Time
}

// Object is stored bytes as they come out of [Archive.Read]: Body with its
// Content-Encoding undone, and what is known of them.
type Object struct {
	Body        []byte
	ContentType string
	// Encoding is the Content-Encoding the bytes were stored with ("" for
	// none); Body is already decoded.
	Encoding string
	// URL is the response's target URI, or a file's original name.
	URL       string
	Status    int       // HTTP status; 0 for a stored file
	FetchedAt time.Time // WARC-Date, or when the file was stored
	SHA256    string    // hex, of Body (decoded)
	// Ref is where the bytes are: the response record a revisit points
	// at, or the ref that was read.
	Ref Ref
}

// Put stores an entry and returns its ref. Responses go into the WARC
// file of the run opened with [Archive.OpenRun] (an error without one);
// files are stored once per content (the same bytes put twice give the same
// ref).
func (a *Archive) Put(e Entry) (Ref, error) {
	if e.Response != nil {
		a.mu.Lock()
		w := a.warc
		a.mu.Unlock()
		if w == nil {
			return Ref{}, fmt.Errorf("archive %s: put %s: no run open", a.dir, e.Response.URL)
		}
		id, off, err := w.writeResponse(e.Response, e.Revisit)
		if err != nil {
			return Ref{}, err
		}
		return Ref{Path: w.path, Offset: off, RecordID: id}, nil
	}
	return a.putFile(e)
}

// Read returns the bytes a ref points at, as they went in, with any
// Content-Encoding undone: a WARC response record (a revisit is followed to
// the record holding the bytes) or a stored file. It is the only way bytes
// come out of the archive; it needs no lock and no network. A ref whose
// file is no longer where it was (the archive directory was moved) is
// looked for in this archive.
func (a *Archive) Read(ref Ref) (*Object, error) {
	ref = a.Locate(ref)
	var obj *Object
	var err error
	if isWARC(ref.Path) {
		obj, err = readResponse(ref)
	} else {
		obj, err = a.readFile(ref)
	}
	if err != nil {
		return nil, err
	}
	if obj.Encoding != "" {
		dec, err := Decode(obj.Body, obj.Encoding, a.opts.MaxBody)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", describe(ref), err)
		}
		obj.Body = dec
	}
	obj.SHA256 = SHA256(obj.Body)
	return obj, nil
}

func describe(r Ref) string {
	if isWARC(r.Path) {
		return fmt.Sprintf("%s at %d", r.Path, r.Offset)
	}
	return r.Path
}

// Locate returns ref with its path found in this archive when the file is
// no longer where the ref says (the archive was moved or copied): refs hold
// absolute paths from the time the bytes were stored.
func (a *Archive) Locate(ref Ref) Ref {
	if ref.Path == "" || exists(ref.Path) {
		return ref
	}
	base := filepath.Base(ref.Path)
	var moved string
	if isWARC(base) {
		moved = filepath.Join(a.dir, dirWARC, base)
	} else if len(base) >= 2 {
		moved = filepath.Join(a.dir, dirFiles, base[:2], base)
	}
	if moved != "" && exists(moved) {
		ref.Path = moved
	}
	return ref
}

func isWARC(p string) bool {
	b := filepath.Base(p)
	return strings.HasSuffix(b, warcExt) || strings.HasSuffix(b, ".warc")
}

// WARCFiles lists the archive's WARC files, oldest run first.
func (a *Archive) WARCFiles() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(a.dir, dirWARC))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list WARC files of %s: %w", a.dir, err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && isWARC(e.Name()) {
			out = append(out, filepath.Join(a.dir, dirWARC, e.Name()))
		}
	}
	return out, nil
}

// SHA256 is the hex sha256 of b: the content identity used for pages and
// stored files.
func SHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}
