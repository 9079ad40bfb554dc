// Package site builds nianbao's static HTML site from a database: an index
// (coverage, flags per rule, the latest run's changes), one page per region,
// agency, report and rule, and the archived pages as static copies. Every
// page is a view of canned queries in queries/ (the same ones `nianbao
// report` runs), rendered with one html/template set and embedded CSS and
// JS, so the site opens from disk (file://) with no server and no network.
//
// Builds are incremental: a manifest in DIR keeps a hash of the data behind
// each page (and of the templates), and a page is rendered again only when
// its hash changed. Report pages are keyed by report_pages' row, which
// carries a digest of the report's failures: a report version's cells and
// prose never change, so unchanged reports cost no cell query at all.
package site

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nianbao/nianbao/queries"
	"github.com/nianbao/nianbao/warehouse"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Options configure [Build].
type Options struct {
	// ReadArchived returns the stored bytes of a page and their
	// Content-Type, from pages.archive_path and warc_offset; nil skips the
	// archived copies.
	ReadArchived func(path string, offset int64) ([]byte, string, error)
	// Full ignores the manifest and renders every page.
	Full bool
	Log  *slog.Logger
}

// Stats says what a build did.
type Stats struct {
	Pages    int // pages the site has
	Written  int // pages rendered and written this time
	Removed  int // pages of data no longer in the database, deleted
	Archived int // archived pages copied this time
	Errors   []string
	Took     time.Duration
	Index    string // absolute path of index.html
}

// manifestName is the file in DIR recording each page's data hash.
const manifestName = ".nianbao-site.json"

type manifest struct {
	Templates string            `json:"templates"`
	Pages     map[string]string `json:"pages"`
}

// reportBatch is how many report pages share one cell query. report_tables
// evaluates the check_failures view in full once per query (its report
// filter is a bound parameter, which DuckDB does not push into the view):
// ~1.3 CPU-s at 300,000 reports, so fewer, larger batches (~470,000 cell
// rows, some 300 MB, at a time).
const reportBatch = 2000

type builder struct {
	ctx   context.Context
	db    *warehouse.DB
	dir   string
	opts  Options
	tmpl  *template.Template
	old   manifest
	new   manifest
	stats *Stats
	log   *slog.Logger
	// written counts pages rendered; report pages render concurrently.
	written atomic.Int64
}

// Build writes the site for db into dir and returns what it did.
func Build(ctx context.Context, db *warehouse.DB, dir string, opts Options) (*Stats, error) {
	start := time.Now()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	tmpl, thash, err := templates()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("site: create %s: %w", dir, err)
	}
	b := &builder{ctx: ctx, db: db, dir: dir, opts: opts, tmpl: tmpl, stats: &Stats{}, log: opts.Log,
		new: manifest{Templates: thash, Pages: map[string]string{}}}
	b.old = readManifest(filepath.Join(dir, manifestName))
	if opts.Full || b.old.Templates != thash {
		b.old.Pages = map[string]string{}
	}
	if err := b.static(); err != nil {
		return nil, err
	}
	if err := b.all(); err != nil {
		return nil, err
	}
	// Pages the database no longer has (superseded report versions, agencies
	// merged) go, so the site never links stale data.
	for p := range b.old.Pages {
		if _, ok := b.new.Pages[p]; !ok {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
				b.stats.Removed++
			}
		}
	}
	if err := writeManifest(filepath.Join(dir, manifestName), b.new); err != nil {
		return nil, err
	}
	b.stats.Pages = len(b.new.Pages)
	b.stats.Written = int(b.written.Load())
	b.stats.Took = time.Since(start)
	abs, err := filepath.Abs(filepath.Join(dir, "index.html"))
	if err != nil {
		return nil, err
	}
	b.stats.Index = abs
	return b.stats, nil
}

func templates() (*template.Template, string, error) {
	h := sha256.New()
	err := fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assets.ReadFile(p)
		h.Write([]byte(p))
		h.Write(data)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	// The site's code shapes pages too: a new nianbao rebuilds everything.
	h.Write([]byte(layoutVersion))
	t, err := template.New("site").Funcs(funcs).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, "", fmt.Errorf("site: parse templates: %w", err)
	}
	return t, hex.EncodeToString(h.Sum(nil)), nil
}

// layoutVersion changes when the Go side of a page changes shape.
const layoutVersion = "1"

func readManifest(p string) manifest {
	m := manifest{Pages: map[string]string{}}
	b, err := os.ReadFile(p)
	if err != nil {
		return m
	}
	if json.Unmarshal(b, &m) != nil || m.Pages == nil {
		return manifest{Pages: map[string]string{}}
	}
	return m
}

func writeManifest(p string, m manifest) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return writeFile(p, b)
}

// writeFile writes through a temporary file, so a reader never sees half a
// page. The folder is made only when the write finds it missing (a stat per
// page otherwise).
func writeFile(p string, data []byte) error {
	tmp := p + ".tmp"
	err := os.WriteFile(tmp, data, 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("site: create %s: %w", filepath.Dir(p), err)
		}
		err = os.WriteFile(tmp, data, 0o644)
	}
	if err != nil {
		return fmt.Errorf("site: write %s: %w", p, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("site: write %s: %w", p, err)
	}
	return nil
}

func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1e})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// fresh reports whether the page rel is on disk with the data hash h, and
// records h for the new manifest either way.
func (b *builder) fresh(rel, h string) bool {
	b.new.Pages[rel] = h
	if b.old.Pages[rel] != h {
		return false
	}
	_, err := os.Stat(filepath.Join(b.dir, filepath.FromSlash(rel)))
	return err == nil
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes template name with data into the page rel.
func (b *builder) render(rel, name string, data any) error {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := b.tmpl.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("site: render %s: %w", rel, err)
	}
	b.written.Add(1)
	return writeFile(filepath.Join(b.dir, filepath.FromSlash(rel)), buf.Bytes())
}

// page renders rel unless its data (key) is unchanged since the last build.
func (b *builder) page(rel, name, key string, data func() any) error {
	if b.fresh(rel, hashOf(key)) {
		return nil
	}
	return b.render(rel, name, data())
}

func (b *builder) static() error {
	return fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		if b.fresh(p, hashOf(string(data))) {
			return nil
		}
		b.written.Add(1)
		return writeFile(filepath.Join(b.dir, filepath.FromSlash(p)), data)
	})
}

// Paths of the pages, relative to the site root.
func reportPath(id int64) string    { return "report/" + strconv.FormatInt(id, 10) + ".html" }
func agencyPath(id int64) string    { return "agency/" + strconv.FormatInt(id, 10) + ".html" }
func regionPath(code string) string { return "region/" + code + ".html" }
func rulePath(rule string) string   { return "rule/" + rule + ".html" }
func ruleCSVPath(rule string) string {
	return "rule/" + rule + ".csv"
}

// all gathers the canned queries every page draws on, then writes the pages.
func (b *builder) all() error {
	reps, err := run(b.ctx, b.db, "report_pages", nil)
	if err != nil {
		return err
	}
	trend, err := run(b.ctx, b.db, "trend", nil)
	if err != nil {
		return err
	}
	regionTrend, err := run(b.ctx, b.db, "trend", map[string]string{"by": "regions"})
	if err != nil {
		return err
	}
	var rollups []*table // the order newModel takes them in
	for _, by := range []string{"city", "province"} {
		t, err := run(b.ctx, b.db, "trend", map[string]string{"by": by})
		if err != nil {
			return err
		}
		rollups = append(rollups, t)
	}
	// The headline indicators, one query each (all of them for every
	// report would be tens of millions of rows at national scale).
	ranks := &table{}
	for _, ind := range rankIndicators {
		t, err := run(b.ctx, b.db, "indicators", map[string]string{"indicator": ind.code})
		if err != nil {
			return err
		}
		ranks.cols, ranks.idx = t.cols, t.idx
		for _, r := range t.rows {
			r.t = ranks
			ranks.rows = append(ranks.rows, r)
		}
	}
	coverage, err := run(b.ctx, b.db, "coverage", nil)
	if err != nil {
		return err
	}
	counts, err := run(b.ctx, b.db, "flag_counts", nil)
	if err != nil {
		return err
	}
	changes, err := run(b.ctx, b.db, "changes", nil)
	if err != nil {
		return err
	}
	failures, err := run(b.ctx, b.db, "failures", nil)
	if err != nil {
		return err
	}
	flagChanges, err := run(b.ctx, b.db, "flag_changes", nil)
	if err != nil {
		return err
	}
	m := newModel(reps, trend, regionTrend, ranks, coverage, counts, changes, failures, rollups...)
	m.flagChanges = flagChanges
	if err := b.page("index.html", "index", m.indexKey(), func() any { return m.index() }); err != nil {
		return err
	}
	for _, code := range m.regionCodes {
		if err := b.page(regionPath(code), "region", m.regionKey(code), func() any { return m.region(code) }); err != nil {
			return err
		}
	}
	for _, id := range m.agencyIDs {
		if err := b.page(agencyPath(id), "agency", m.agencyKey(id), func() any { return m.agency(id) }); err != nil {
			return err
		}
	}
	for _, rule := range queries.Names(queries.KindCheck) {
		if err := b.rule(m, rule); err != nil {
			return err
		}
	}
	return b.reports(m)
}

func (b *builder) rule(m *model, rule string) error {
	key := m.ruleKey(rule)
	if err := b.page(rulePath(rule), "rule", key, func() any { return m.rule(rule) }); err != nil {
		return err
	}
	if b.fresh(ruleCSVPath(rule), hashOf(key)) {
		return nil
	}
	csv, err := m.ruleCSV(rule)
	if err != nil {
		return err
	}
	b.written.Add(1)
	return writeFile(filepath.Join(b.dir, filepath.FromSlash(ruleCSVPath(rule))), csv)
}

// reports renders the report pages whose report_pages row changed, a batch
// of reports per cell query.
func (b *builder) reports(m *model) error {
	var todo []int64
	for _, id := range m.reportIDs {
		r := m.reports[id]
		if !b.fresh(reportPath(id), hashOf(r.key())) {
			todo = append(todo, id)
		}
		if a := archivedPath(r); a != "" {
			// A copy is content-addressed: once written it is never stale.
			b.new.Pages[a] = r.S("page_sha256")
			if _, err := os.Stat(filepath.Join(b.dir, filepath.FromSlash(a))); err != nil && b.opts.ReadArchived != nil {
				if err := b.archive(r, a); err != nil {
					b.stats.Errors = append(b.stats.Errors, err.Error())
					b.log.Warn("archived copy", "report", id, "err", err)
					delete(b.new.Pages, a)
				}
			}
		}
	}
	// Batches of neighbouring ids: a report's cells were loaded together, so
	// DuckDB's scan of cells skips the row groups outside the batch's range.
	slices.Sort(todo)
	for start := 0; start < len(todo); start += reportBatch {
		batch := todo[start:min(start+reportBatch, len(todo))]
		p := map[string]string{"report": ids(batch)}
		cells, err := run(b.ctx, b.db, "report_tables", p)
		if err != nil {
			return err
		}
		secs, err := run(b.ctx, b.db, "report_sections", p)
		if err != nil {
			return err
		}
		byReport := func(t *table) map[int64][]row {
			out := map[int64][]row{}
			for _, r := range t.rows {
				id := r.I("report_id")
				out[id] = append(out[id], r)
			}
			return out
		}
		// The failures are all in the model already (the rule pages show them).
		c, s, f := byReport(cells), byReport(secs), m.reportFail
		// Rendering is most of a full build's CPU: one worker per core.
		if err := parallel(batch, func(id int64) error {
			return b.render(reportPath(id), "report", m.report(id, c[id], s[id], f[id]))
		}); err != nil {
			return err
		}
	}
	return nil
}

// parallel calls fn for each id on GOMAXPROCS goroutines and returns the
// first error.
func parallel(list []int64, fn func(int64) error) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
		err  error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next == len(list) || err != nil {
					mu.Unlock()
					return
				}
				id := list[next]
				next++
				mu.Unlock()
				if e := fn(id); e != nil {
					mu.Lock()
					err = cmp.Or(err, e)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return err
}

// archivedPath is where a report's archived page is copied, "" when it has
// none: archive/<sha256>.html for pages, the file's own extension for
// attachments.
func archivedPath(r row) string {
	sum := r.S("page_sha256")
	if sum == "" || r.S("archive_path") == "" {
		return ""
	}
	return "archive/" + sum + archiveExt(r.S("content_type"), r.S("url"))
}

func archiveExt(contentType, url string) string {
	ct := strings.ToLower(contentType)
	switch {
	case ct == "" || strings.Contains(ct, "html"):
		if e := strings.ToLower(path.Ext(strings.SplitN(url, "?", 2)[0])); e == ".pdf" || e == ".doc" || e == ".docx" || e == ".xls" || e == ".xlsx" || e == ".wps" || e == ".txt" {
			return e
		}
		return ".html"
	case strings.Contains(ct, "pdf"):
		return ".pdf"
	case strings.Contains(ct, "wordprocessingml"):
		return ".docx"
	case strings.Contains(ct, "msword"):
		return ".doc"
	case strings.Contains(ct, "spreadsheetml"):
		return ".xlsx"
	case strings.Contains(ct, "excel"):
		return ".xls"
	case strings.Contains(ct, "text/plain"):
		return ".txt"
	}
	return ".bin"
}

// archive copies a report's archived page into the site: HTML decoded to
// UTF-8 and fenced by a Content-Security-Policy that lets it load nothing
// (its images and scripts point at the government's servers), other files
// as they were archived.
func (b *builder) archive(r row, rel string) error {
	off, _ := strconv.ParseInt(r.S("warc_offset"), 10, 64)
	body, ct, err := b.opts.ReadArchived(r.S("archive_path"), off)
	if err != nil {
		return fmt.Errorf("archived copy of %s: %w", r.S("url"), err)
	}
	if ct == "" {
		ct = r.S("content_type")
	}
	if strings.HasSuffix(rel, ".html") {
		body = staticCopy(body, ct, r.S("url"), r.S("fetched_at"))
	}
	b.stats.Archived++
	return writeFile(filepath.Join(b.dir, filepath.FromSlash(rel)), body)
}

var errNoData = errors.New("no data")

func sortedKeys[K interface{ ~string | ~int64 }, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
