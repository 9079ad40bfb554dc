package crawler

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/nianbao/nianbao/archive"
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

// ref is where the URL's bytes are archived.
func (u *urlState) ref() archive.Ref {
	return archive.Ref{Path: u.File, Offset: u.Offset, RecordID: u.RecordID}
}

type hostRecord struct {
	HostState
	Nights int // consecutive nights with a fault, for the back-off
	// AskedUntil is the end of the server's own Retry-After, which even
	// Options.RetryNow honours.
	AskedUntil  time.Time `json:",omitzero"`
	BudgetDay   string    // YYYY-MM-DD of Used
	BudgetUsed  int
	LastNewPage time.Time `json:",omitzero"`
}

type persisted struct {
	URLs  map[string]*urlState
	Hosts map[string]*hostRecord
}

// store is the crawler's state in the archive. Safe for concurrent use.
type store struct {
	a      *archive.Archive
	mu     sync.Mutex
	saveMu sync.Mutex
	st     persisted
}

// openStore locks the archive for this run and loads the crawl state.
func openStore(dir, software string) (*store, error) {
	a, err := archive.Open(dir, archive.Options{Software: software})
	if err != nil {
		return nil, err
	}
	if err := a.Lock(); err != nil {
		return nil, err
	}
	s := &store{a: a}
	if err := s.load(); err != nil {
		a.Close()
		return nil, err
	}
	return s, nil
}

// ErrArchiveBusy means another Run holds the archive directory.
var ErrArchiveBusy = archive.ErrBusy

func (s *store) close() { s.a.Close() }

func (s *store) load() error {
	s.st = persisted{}
	if _, err := s.a.ReadState(&s.st); err != nil {
		return err
	}
	if s.st.URLs == nil {
		s.st.URLs = map[string]*urlState{}
	}
	if s.st.Hosts == nil {
		s.st.Hosts = map[string]*hostRecord{}
	}
	return nil
}

// save replaces the state atomically; one save at a time.
func (s *store) save() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	b, err := json.Marshal(&s.st)
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("encode crawl state: %w", err)
	}
	return s.a.WriteState(json.RawMessage(b))
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
		us.RecordID, us.File, us.Offset, us.Date = p.revisitOf.Of.RecordID, p.revisitOf.Of.Path, p.revisitOf.Of.Offset, p.revisitOf.Date
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
	a, err := archive.Open(archiveDir, archive.Options{})
	if err != nil {
		return nil, err
	}
	s := &store{a: a}
	if err := s.load(); err != nil {
		return nil, err
	}
	return s.hostStates(), nil
}

// pendingRun is an earlier run with pages not yet acked or a queue not yet
// drained, decoded.
type pendingRun struct {
	id       string
	complete bool
	done     []journalLine // every page it fetched (its keys are not fetched again)
	unacked  []journalLine // the pages still to hand back
	items    []item
}

type journalLine struct {
	Key  string
	Page Page
}

func decodeLines(ls []archive.JournalLine) ([]journalLine, error) {
	out := make([]journalLine, 0, len(ls))
	for _, l := range ls {
		var p Page
		if err := json.Unmarshal(l.Page, &p); err != nil {
			return nil, fmt.Errorf("decode journaled page %s: %w", l.Key, err)
		}
		out = append(out, journalLine{Key: l.Key, Page: p})
	}
	return out, nil
}

func (s *store) pendingRuns() ([]pendingRun, error) {
	prs, err := s.a.Pending()
	if err != nil {
		return nil, err
	}
	out := make([]pendingRun, 0, len(prs))
	for _, p := range prs {
		done, err := decodeLines(p.Done)
		if err != nil {
			return nil, fmt.Errorf("run %s: %w", p.ID, err)
		}
		pr := pendingRun{id: p.ID, complete: p.Complete, done: done, unacked: done[len(done)-len(p.Unacked):]}
		for _, q := range p.Queue {
			var it item
			if err := json.Unmarshal(q, &it); err != nil {
				return nil, fmt.Errorf("run %s: decode frontier item: %w", p.ID, err)
			}
			pr.items = append(pr.items, it)
		}
		out = append(out, pr)
	}
	return out, nil
}

// Ack records that the pages Run returned under runID are safely stored
// elsewhere (the database); later runs no longer return them. Earlier runs
// whose pages that Result carried are acked with it. Acking a run that was
// interrupted does not drop its queue: the next Run still resumes it.
func Ack(archiveDir, runID string) error {
	a, err := archive.Open(archiveDir, archive.Options{})
	if err != nil {
		return err
	}
	return a.Ack(runID)
}

// Journal returns every page the runs of archiveDir journaled, acked or
// not, in the order they were fetched: what rebuilding a lost database from
// the archive alone records. A database recognises pages it already has by
// their WARC record. Journals hold absolute paths from the time of the
// crawl: a page's ArchivePath is found again in a moved archive.
func Journal(archiveDir string) ([]Page, error) {
	a, err := archive.Open(archiveDir, archive.Options{})
	if err != nil {
		return nil, err
	}
	lines, err := a.Journals()
	if err != nil {
		return nil, err
	}
	ls, err := decodeLines(lines)
	if err != nil {
		return nil, fmt.Errorf("read journals of %s: %w", archiveDir, err)
	}
	pages := make([]Page, len(ls))
	for i, l := range ls {
		l.Page.ArchivePath = a.Locate(archive.Ref{Path: l.Page.ArchivePath}).Path
		pages[i] = l.Page
	}
	// Run ids order runs by the second they started; two runs in one
	// second are ordered by their fetches.
	slices.SortStableFunc(pages, func(a, b Page) int { return a.FetchedAt.Compare(b.FetchedAt) })
	return pages, nil
}
