package archive

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
	"time"
)

// Run is one crawl run's bookkeeping in the archive: its WARC file (where
// [Archive.Put] writes responses while it is open), its journal of fetched
// pages and its frontier of queued items. The archive stores journal and
// frontier lines as JSON it does not interpret. Safe for concurrent use.
type Run struct {
	ID   string
	a    *Archive
	path string

	mu       sync.Mutex
	journal  *os.File
	frontier *os.File
}

// JournalLine is one fetched page as journaled: the caller's key for the
// request (not fetched again on resume) and the page, as the caller encoded it.
type JournalLine struct {
	Key  string
	Page json.RawMessage
}

// OpenRun opens (or reopens, to resume) run id for writing: its journal,
// its frontier and a new WARC file <id>-<n>.warc.gz, where later Puts of
// responses go. The archive must be locked ([Archive.Lock]); one run is open
// at a time.
func (a *Archive) OpenRun(id string, at time.Time) (*Run, error) {
	if err := checkRunID(id); err != nil {
		return nil, err
	}
	a.mu.Lock()
	locked, busy := a.lock != nil, a.warc != nil
	a.mu.Unlock()
	if !locked {
		return nil, fmt.Errorf("open run %s in %s: archive not locked", id, a.dir)
	}
	if busy {
		return nil, fmt.Errorf("open run %s in %s: another run is open", id, a.dir)
	}
	p := a.runPath(id)
	for _, d := range []string{p, filepath.Join(a.dir, dirWARC)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
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
	seq := 1
	for exists(filepath.Join(a.dir, dirWARC, fmt.Sprintf("%s-%d%s", id, seq, warcExt))) {
		seq++
	}
	w, err := createWARC(filepath.Join(a.dir, dirWARC, fmt.Sprintf("%s-%d%s", id, seq, warcExt)), at, a.opts.Software)
	if err != nil {
		j.Close()
		f.Close()
		return nil, err
	}
	a.mu.Lock()
	a.warc = w
	a.mu.Unlock()
	return &Run{ID: id, a: a, path: p, journal: j, frontier: f}, nil
}

func checkRunID(id string) error {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return fmt.Errorf("run %q: bad run id", id)
	}
	return nil
}

func (a *Archive) runPath(id string) string { return filepath.Join(a.dir, dirRuns, id) }

// Close closes the run's files and its WARC file.
func (r *Run) Close() error {
	r.mu.Lock()
	r.journal.Close()
	r.frontier.Close()
	r.mu.Unlock()
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	if r.a.warc == nil {
		return nil
	}
	err := r.a.warc.Close()
	r.a.warc = nil
	return err
}

// Journal appends a fetched page and fsyncs: once this returns, the page
// survives SIGKILL.
func (r *Run) Journal(key string, page any) error {
	pb, err := json.Marshal(page)
	if err != nil {
		return fmt.Errorf("encode journal line %s: %w", key, err)
	}
	b, err := json.Marshal(JournalLine{Key: key, Page: pb})
	if err != nil {
		return fmt.Errorf("encode journal line %s: %w", key, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.journal.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write journal %s: %w", r.path, err)
	}
	return r.journal.Sync()
}

// Queue appends a queued item to the frontier. No fsync ([Run.SyncQueue]
// does it): an item lost to a crash is found again from its list page.
func (r *Run) Queue(item any) error {
	b, err := json.Marshal(item)
	if err != nil {
		return fmt.Errorf("encode frontier item: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.frontier.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write frontier %s: %w", r.path, err)
	}
	return nil
}

// SyncQueue fsyncs the frontier.
func (r *Run) SyncQueue() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frontier.Sync()
}

// Complete marks the run's queue drained: it is not resumed.
func (r *Run) Complete(at time.Time) error {
	return writeFileAtomic(filepath.Join(r.path, fileComplete), []byte(at.UTC().Format(time.RFC3339)+"\n"))
}

// Carry records the earlier runs whose un-acked pages this run returned;
// [Archive.Ack] of this run acks them too.
func (r *Run) Carry(ids []string) error {
	return writeFileAtomic(filepath.Join(r.path, fileCarried), []byte(strings.Join(ids, "\n")+"\n"))
}

// Returned records that the first n journal lines of run id were handed
// back to the caller: [Archive.Ack] acks that many.
func (a *Archive) Returned(id string, n int) error {
	if err := checkRunID(id); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(a.runPath(id), fileReturned), []byte(strconv.Itoa(n)+"\n"))
}

// PendingRun is an earlier run with pages not yet acked or a queue not yet
// drained.
type PendingRun struct {
	ID       string
	Complete bool
	Done     []JournalLine     // every page it journaled
	Unacked  []JournalLine     // the pages not yet acked
	Queue    []json.RawMessage // its frontier, for a run not complete
}

// Pending lists the runs with un-acked pages or an undrained queue, oldest
// first.
func (a *Archive) Pending() ([]PendingRun, error) {
	ents, err := os.ReadDir(filepath.Join(a.dir, dirRuns))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list runs in %s: %w", a.dir, err)
	}
	var out []PendingRun
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		p := a.runPath(e.Name())
		complete := exists(filepath.Join(p, fileComplete))
		acked := readCount(filepath.Join(p, fileAcked))
		if complete && exists(filepath.Join(p, fileAcked)) && acked >= readCount(filepath.Join(p, fileReturned)) {
			continue
		}
		lines, err := readLines[JournalLine](filepath.Join(p, fileJournal))
		if err != nil {
			return nil, fmt.Errorf("read journal of run %s: %w", e.Name(), err)
		}
		pr := PendingRun{ID: e.Name(), Complete: complete, Done: lines, Unacked: lines[min(acked, len(lines)):]}
		if complete && len(pr.Unacked) == 0 {
			continue
		}
		if !complete {
			if pr.Queue, err = readLines[json.RawMessage](filepath.Join(p, fileFrontier)); err != nil {
				return nil, fmt.Errorf("read frontier of run %s: %w", e.Name(), err)
			}
		}
		out = append(out, pr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Unacked returns the journal lines of run id past those acked.
func (a *Archive) Unacked(id string) ([]JournalLine, int, error) {
	if err := checkRunID(id); err != nil {
		return nil, 0, err
	}
	p := a.runPath(id)
	lines, err := readLines[JournalLine](filepath.Join(p, fileJournal))
	if err != nil {
		return nil, 0, fmt.Errorf("read journal of run %s: %w", id, err)
	}
	return lines[min(readCount(filepath.Join(p, fileAcked)), len(lines)):], len(lines), nil
}

// Ack records that the pages handed back for runID are safely stored
// elsewhere (the database); later runs no longer return them. Earlier runs
// whose pages that run carried are acked with it. Acking a run that was
// interrupted does not drop its queue: the next run still resumes it.
func (a *Archive) Ack(runID string) error {
	if err := checkRunID(runID); err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	p := a.runPath(runID)
	if !exists(p) {
		return fmt.Errorf("ack run %s in %s: %w", runID, a.dir, fs.ErrNotExist)
	}
	ids := []string{runID}
	if b, err := os.ReadFile(filepath.Join(p, fileCarried)); err == nil {
		for _, id := range strings.Fields(string(b)) {
			if !slices.Contains(ids, id) && checkRunID(id) == nil {
				ids = append(ids, id)
			}
		}
	}
	for _, id := range ids {
		rp := a.runPath(id)
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

// Journals returns every line of every run's journal, acked or not, run by
// run in the order of the run ids: what rebuilding a lost database from the
// archive alone reads.
func (a *Archive) Journals() ([]JournalLine, error) {
	ents, err := os.ReadDir(filepath.Join(a.dir, dirRuns))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read journals of %s: no runs/ directory: not a nianbao archive, or nothing crawled yet", a.dir)
	}
	if err != nil {
		return nil, fmt.Errorf("read journals of %s: %w", a.dir, err)
	}
	var out []JournalLine
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		lines, err := readLines[JournalLine](filepath.Join(a.runPath(e.Name()), fileJournal))
		if err != nil {
			return nil, fmt.Errorf("read journal of run %s in %s: %w", e.Name(), a.dir, err)
		}
		out = append(out, lines...)
	}
	return out, nil
}

// ReadState decodes the crawler's state document into v; it reports false
// (and leaves v alone) when there is none yet. It takes no lock.
func (a *Archive) ReadState(v any) (bool, error) {
	p := filepath.Join(a.dir, fileState)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read crawl state: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("parse %s: %w", p, err)
	}
	return true, nil
}

// WriteState replaces the crawler's state document atomically. Callers
// serialise their writes.
func (a *Archive) WriteState(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode crawl state: %w", err)
	}
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return fmt.Errorf("create archive dir %s: %w", a.dir, err)
	}
	return writeFileAtomic(filepath.Join(a.dir, fileState), b)
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

func readCount(p string) int {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}
