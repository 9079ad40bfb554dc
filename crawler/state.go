package crawler

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Layout of ArchiveDir:
//
//	warc/<run>-<n>.warc.gz     one WARC file per run (a resumed run adds -2, -3 …)
//	runs/<run>/frontier.jsonl  every item queued (append-only)
//	runs/<run>/journal.jsonl   every page fetched (append-only, fsynced per line)
//	runs/<run>/complete        the queue was drained
//	runs/<run>/returned        how many journal lines the last Run handed back
//	runs/<run>/acked           how many of them are in the database ([Ack])
//	runs/<run>/carried         earlier un-acked runs whose pages this run returned
//	state.json                 validators per URL, host states, daily budgets
//	lock                       flock: one Run per archive at a time
const (
	fileFrontier = "frontier.jsonl"
	fileJournal  = "journal.jsonl"
	fileComplete = "complete"
	fileAcked    = "acked"
	fileCarried  = "carried"
	fileState    = "state.json"
	fileReturned = "returned"
)

// urlState is what an earlier run learned about a URL: the validators for a
// conditional GET and where its bytes are archived.
type urlState struct {
	Kind, Title, Portal string
	ETag, LastModified  string `json:",omitempty"`
	SHA256              string
	RecordID, File      string
	Offset              int64
	Date                time.Time // of the record holding the bytes
	Checked             time.Time // last fetch, 304s included
	Items               []string  `json:",omitempty"` // list pages: item URLs found on it
}

type hostRecord struct {
	HostState
	Nights      int    // consecutive nights with a fault, for the back-off
	BudgetDay   string // YYYY-MM-DD of Used
	BudgetUsed  int
	LastNewPage time.Time `json:",omitzero"`
}

type persisted struct {
	URLs  map[string]*urlState
	Hosts map[string]*hostRecord
}

// store is the on-disk state of one archive. Safe for concurrent use.
type store struct {
	dir    string
	mu     sync.Mutex
	saveMu sync.Mutex
	st     persisted
	lock   *os.File
}

func openStore(dir string) (*store, error) {
	for _, d := range []string{dir, filepath.Join(dir, "warc"), filepath.Join(dir, "runs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create archive dir %s: %w", d, err)
		}
	}
	lf, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock in %s: %w", dir, err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lock archive %s: %w", dir, ErrArchiveBusy)
	}
	s := &store{dir: dir, lock: lf}
	if err := s.load(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// ErrArchiveBusy means another Run holds the archive directory.
var ErrArchiveBusy = errors.New("crawler: archive is in use by another run")

func (s *store) close() {
	if s.lock != nil {
		s.lock.Close() // releases the flock
		s.lock = nil
	}
}

func (s *store) load() error {
	s.st = persisted{URLs: map[string]*urlState{}, Hosts: map[string]*hostRecord{}}
	b, err := os.ReadFile(filepath.Join(s.dir, fileState))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read crawl state: %w", err)
	}
	if err := json.Unmarshal(b, &s.st); err != nil {
		return fmt.Errorf("parse %s: %w", filepath.Join(s.dir, fileState), err)
	}
	if s.st.URLs == nil {
		s.st.URLs = map[string]*urlState{}
	}
	if s.st.Hosts == nil {
		s.st.Hosts = map[string]*hostRecord{}
	}
	return nil
}

// save replaces state.json atomically; one save at a time (they share the
// temporary file).
func (s *store) save() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	b, err := json.Marshal(&s.st)
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("encode crawl state: %w", err)
	}
	return writeFileAtomic(filepath.Join(s.dir, fileState), b)
}

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

func (s *store) url(u string) *urlState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.st.URLs[u]; ok {
		c := *v
		return &c
	}
	return nil
}

func (s *store) known(u string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.st.URLs[u]
	return ok
}

// remember folds a fetched page into the validators.
func (s *store) remember(p *Page, items []string) {
	if p.Error != "" || p.WARCRecordID == "" || p.Status >= 400 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.st.URLs[p.URL]
	if p.NotModified && old != nil {
		if items != nil {
			old.Items = items
		}
		old.Checked = p.FetchedAt
		return // keep pointing at the record that holds the bytes
	}
	us := &urlState{Kind: p.Kind, Title: p.Title, Portal: p.Portal, ETag: p.ETag, LastModified: p.LastModified,
		SHA256: p.SHA256, RecordID: p.WARCRecordID, File: p.ArchivePath, Offset: p.WARCOffset, Date: p.FetchedAt,
		Checked: p.FetchedAt, Items: items}
	if p.revisitOf != nil { // identical bytes: keep the original response as the reference
		us.RecordID, us.File, us.Offset, us.Date = p.revisitOf.RecordID, p.revisitOf.File, p.revisitOf.Offset, p.revisitOf.Date
	}
	s.st.URLs[p.URL] = us
}

func (s *store) host(h string) *hostRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.Hosts[h]
	if !ok {
		r = &hostRecord{HostState: HostState{Host: h, State: StateOK}}
		s.st.Hosts[h] = r
	}
	return r
}

func (s *store) withHost(h string, f func(r *hostRecord)) {
	r := s.host(h)
	s.mu.Lock()
	defer s.mu.Unlock()
	f(r)
}

func (s *store) hostStates() []HostState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]HostState, 0, len(s.st.Hosts))
	for _, r := range s.st.Hosts {
		out = append(out, r.HostState)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// LoadHostStates returns each host's state as of the last run over
// archiveDir, sorted by host. It does not take the run lock.
func LoadHostStates(archiveDir string) ([]HostState, error) {
	s := &store{dir: archiveDir}
	if err := s.load(); err != nil {
		return nil, err
	}
	return s.hostStates(), nil
}

// runDir is one run's bookkeeping directory.
type runDir struct {
	id, path string
	mu       sync.Mutex
	journal  *os.File
	frontier *os.File
}

func (s *store) runPath(id string) string { return filepath.Join(s.dir, "runs", id) }

func (s *store) openRun(id string) (*runDir, error) {
	p := s.runPath(id)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return nil, fmt.Errorf("create run dir %s: %w", p, err)
	}
	j, err := os.OpenFile(filepath.Join(p, fileJournal), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(p, fileFrontier), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		j.Close()
		return nil, fmt.Errorf("open frontier: %w", err)
	}
	return &runDir{id: id, path: p, journal: j, frontier: f}, nil
}

func (r *runDir) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.journal.Close()
	r.frontier.Close()
}

type journalLine struct {
	Key  string
	Page Page
}

// logPage appends a page to the journal and fsyncs: once this returns, the
// page survives SIGKILL.
func (r *runDir) logPage(key string, p Page) error {
	b, err := json.Marshal(journalLine{Key: key, Page: p})
	if err != nil {
		return fmt.Errorf("encode journal line for %s: %w", p.URL, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.journal.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write journal %s: %w", r.path, err)
	}
	return r.journal.Sync()
}

// logItem appends a queued item to the frontier. No fsync: an item lost to a
// crash is found again from its list page, which is re-read.
func (r *runDir) logItem(it *item) error {
	b, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("encode frontier item %s: %w", it.URL, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err = r.frontier.Write(append(b, '\n'))
	return err
}

func (r *runDir) syncFrontier() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frontier.Sync()
}

func (r *runDir) mark(name, content string) error {
	return writeFileAtomic(filepath.Join(r.path, name), []byte(content+"\n"))
}

func readLines[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			break // a torn last line from a kill: everything before it is good
		}
		out = append(out, v)
	}
	return out, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// pendingRun is an earlier run with pages not yet acked or a queue not yet
// drained.
type pendingRun struct {
	id       string
	complete bool
	done     []journalLine // every page it fetched (its keys are not fetched again)
	unacked  []journalLine // the pages still to hand back
	items    []item
}

func readCount(p string) int {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

func (s *store) pendingRuns() ([]pendingRun, error) {
	ents, err := os.ReadDir(filepath.Join(s.dir, "runs"))
	if err != nil {
		return nil, fmt.Errorf("list runs in %s: %w", s.dir, err)
	}
	var out []pendingRun
	for _, e := range ents {
		p := s.runPath(e.Name())
		if !e.IsDir() {
			continue
		}
		complete := exists(filepath.Join(p, fileComplete))
		acked := readCount(filepath.Join(p, fileAcked))
		if complete && exists(filepath.Join(p, fileAcked)) && acked >= readCount(filepath.Join(p, fileReturned)) {
			continue
		}
		lines, err := readLines[journalLine](filepath.Join(p, fileJournal))
		if err != nil {
			return nil, fmt.Errorf("read journal of run %s: %w", e.Name(), err)
		}
		pr := pendingRun{id: e.Name(), complete: complete, done: lines, unacked: lines[min(acked, len(lines)):]}
		if complete && len(pr.unacked) == 0 {
			continue
		}
		if !complete {
			if pr.items, err = readLines[item](filepath.Join(p, fileFrontier)); err != nil {
				return nil, fmt.Errorf("read frontier of run %s: %w", e.Name(), err)
			}
		}
		out = append(out, pr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

// Ack records that the pages Run returned under runID are safely stored
// elsewhere (the database); later runs no longer return them. Earlier runs
// whose pages that Result carried are acked with it. Acking a run that was
// interrupted does not drop its queue: the next Run still resumes it.
func Ack(archiveDir, runID string) error {
	if runID == "" || strings.ContainsAny(runID, `/\`) || runID == "." || runID == ".." {
		return fmt.Errorf("ack run %q: bad run id", runID)
	}
	p := filepath.Join(archiveDir, "runs", runID)
	if !exists(p) {
		return fmt.Errorf("ack run %s in %s: %w", runID, archiveDir, fs.ErrNotExist)
	}
	ids := []string{runID}
	if b, err := os.ReadFile(filepath.Join(p, fileCarried)); err == nil {
		for _, id := range strings.Fields(string(b)) {
			if !slices.Contains(ids, id) && !strings.ContainsAny(id, `/\`) {
				ids = append(ids, id)
			}
		}
	}
	for _, id := range ids {
		rp := filepath.Join(archiveDir, "runs", id)
		if !exists(rp) {
			continue
		}
		n := readCount(filepath.Join(rp, fileReturned))
		if err := writeFileAtomic(filepath.Join(rp, fileAcked), []byte(strconv.Itoa(n)+"\n")); err != nil {
			return fmt.Errorf("ack run %s: %w", id, err)
		}
	}
	return nil
}

// Journal returns every page the runs of archiveDir journaled, acked or
// not, in the order they were fetched: what rebuilding a lost database from
// the archive alone records. A database recognises pages it already has by
// their WARC record. Journals hold absolute paths from the time of the
// crawl: a WARC file no longer there is looked for in archiveDir's warc/,
// so an archive that was moved still reads.
func Journal(archiveDir string) ([]Page, error) {
	ents, err := os.ReadDir(filepath.Join(archiveDir, "runs"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read journals of %s: no runs/ directory: not a nianbao archive, or nothing crawled yet", archiveDir)
	}
	if err != nil {
		return nil, fmt.Errorf("read journals of %s: %w", archiveDir, err)
	}
	var pages []Page
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		lines, err := readLines[journalLine](filepath.Join(archiveDir, "runs", e.Name(), fileJournal))
		if err != nil {
			return nil, fmt.Errorf("read journal of run %s in %s: %w", e.Name(), archiveDir, err)
		}
		for _, l := range lines {
			if l.Page.ArchivePath != "" && !exists(l.Page.ArchivePath) {
				if moved := filepath.Join(archiveDir, "warc", filepath.Base(l.Page.ArchivePath)); exists(moved) {
					l.Page.ArchivePath = moved
				}
			}
			pages = append(pages, l.Page)
		}
	}
	// Run ids order runs by the second they started; two runs in one
	// second are ordered by their fetches.
	slices.SortStableFunc(pages, func(a, b Page) int { return a.FetchedAt.Compare(b.FetchedAt) })
	return pages, nil
}
