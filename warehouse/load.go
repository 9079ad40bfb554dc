package warehouse

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/regions"
)

// Load is one extracted report to store, with the page it came from.
type Load struct {
	PageID int64 // pages.id; 0 for reports not read from a recorded page
	Report *extract.Report
	// PageSHA256 identifies the page bytes; with ExtractorVersion it is the
	// idempotency key. "" means: derive it from the report's source and
	// content, so an identical report still loads once.
	PageSHA256 string
	// RegionCode is the GB/T 2260 code of the page's region (its portal's,
	// or import --region); "" when unknown. The report's own region is the
	// one its agency's name begins with when that lies within it
	// (regions.FromAgency).
	RegionCode       string
	Portal           string
	ExtractorVersion string
	// AttachmentSet names the attachments read with the page
	// (PendingPage.AttachmentSet; "" for none): part of the key, so a page
	// whose attachments changed gets a new report version.
	AttachmentSet string
}

// LoadStats counts what a [DB.LoadReports] call added and skipped.
type LoadStats struct {
	Reports int // report versions added
	Cells   int // cells added
	Skipped int // loads whose (page sha256, attachment set, extractor version) was already stored
	// ReportIDs gives, per load in input order, the new report's id, or the
	// id of the stored report it duplicated.
	ReportIDs []int64
}

// LoadReports stores the reports in ONE transaction: a failure anywhere
// leaves the database as it was. Reports and cells go through the DuckDB
// Appender. A (page sha256, attachment set, extractor version) already
// stored is skipped, so loading the same bytes twice adds nothing; changed
// bytes or attachments, or a new extractor version, add a new report
// version and keep the old ones.
func (db *DB) LoadReports(ctx context.Context, loads []Load) (stats LoadStats, err error) {
	stats.ReportIDs = make([]int64, len(loads))
	if len(loads) == 0 {
		return stats, nil
	}
	db.loadMu.Lock()
	defer db.loadMu.Unlock()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return stats, fmt.Errorf("load reports: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "begin transaction"); err != nil {
		return stats, fmt.Errorf("load reports: %w", err)
	}
	defer func() {
		if err != nil {
			// The context may be what failed; the rollback must still run.
			conn.ExecContext(context.Background(), "rollback")
			stats = LoadStats{ReportIDs: make([]int64, len(loads))}
		}
	}()
	// A copy: corrections replace reports in it, never in the caller's.
	l := &loader{db: db, conn: conn, loads: append([]Load(nil), loads...), stats: &stats}
	if err := l.run(ctx); err != nil {
		return stats, err
	}
	if err := refreshFacts(ctx, conn, db.opts.Log); err != nil { // facts.go
		return stats, fmt.Errorf("load reports: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "commit"); err != nil {
		return stats, fmt.Errorf("load reports: commit: %w", err)
	}
	return stats, nil
}

// loader holds one LoadReports call's state.
type loader struct {
	db    *DB
	conn  *sql.Conn
	loads []Load
	stats *LoadStats

	keys   []string // per load: sha256 used as the page key
	region []string // per load: the report's region (Load.RegionCode, or derived)
	// valueWarnings[i]: load i's cells whose value DECIMAL(18,6) cannot hold
	valueWarnings map[int][]extract.Warning
	applied       [][]Applied         // per load: the corrections applied (corrections.go)
	fixedRegion   []string            // per load: a corrected region, "" for none
	todo          []int               // indexes of loads to add
	agencyID      map[string]int64    // norm_name + "\x00" + region_code → id
	captured      map[int64]time.Time // page id → fetched_at
	newAgencies   []agencyRow
}

type agencyRow struct {
	id                                       int64
	name, norm, canon, merged, region, level string
}

func (l *loader) run(ctx context.Context) error {
	if err := l.pickNew(ctx); err != nil {
		return err
	}
	if len(l.todo) == 0 {
		return nil
	}
	if err := l.correct(ctx); err != nil {
		return err
	}
	l.deriveRegions()
	if err := l.resolveAgencies(ctx); err != nil {
		return err
	}
	if err := l.readCaptureTimes(ctx); err != nil {
		return err
	}
	ids, err := l.reserveIDs(ctx, "report_id", len(l.todo))
	if err != nil {
		return err
	}
	for k, i := range l.todo {
		l.stats.ReportIDs[i] = ids[k]
	}
	if err := l.conn.Raw(func(dc any) error { return l.append(dc.(driver.Conn)) }); err != nil {
		return err
	}
	if len(l.captured) > 0 {
		// A page that failed before and now extracts loses its old error.
		if _, err := l.conn.ExecContext(ctx, `update pages set extract_error = null, extract_version = null, extract_attachment_set = null
			where extract_error is not null and id in (select unnest(?::bigint[]))`, l.pageIDs()); err != nil {
			return fmt.Errorf("load reports: clear extract errors: %w", err)
		}
	}
	if len(l.newAgencies) > 0 {
		if _, err := l.conn.ExecContext(ctx, setAgencyParents); err != nil {
			return fmt.Errorf("load reports: link agencies to parents: %w", err)
		}
	}
	return nil
}

// pickNew decides which loads are new: not stored, and not repeated
// earlier in the batch.
func (l *loader) pickNew(ctx context.Context) error {
	l.keys = make([]string, len(l.loads))
	var shas []string
	for i, ld := range l.loads {
		if ld.Report == nil {
			return fmt.Errorf("load reports: load %d (page %d): nil report", i, ld.PageID)
		}
		l.keys[i] = ld.PageSHA256
		if l.keys[i] == "" {
			b, err := json.Marshal(ld.Report)
			if err != nil {
				return fmt.Errorf("load reports: %s: %w", ld.Report.Source, err)
			}
			sum := sha256.Sum256(append([]byte(ld.Report.Source+"\x00"), b...))
			l.keys[i] = "report:" + hex.EncodeToString(sum[:])
		}
		shas = append(shas, l.keys[i])
	}
	stored := map[string]int64{}
	rows, err := l.conn.QueryContext(ctx, `select page_sha256, coalesce(attachment_set, ''), coalesce(extractor_version, ''), max(id)
		from reports where page_sha256 in (select unnest(?::varchar[]))
		group by all`, shas)
	if err != nil {
		return fmt.Errorf("load reports: find stored versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha, set, ver string
		var id int64
		if err := rows.Scan(&sha, &set, &ver, &id); err != nil {
			return fmt.Errorf("load reports: find stored versions: %w", err)
		}
		stored[sha+"\x00"+set+"\x00"+ver] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load reports: find stored versions: %w", err)
	}
	seen := map[string]int{}
	for i, ld := range l.loads {
		k := l.keys[i] + "\x00" + ld.AttachmentSet + "\x00" + ld.ExtractorVersion
		if id, ok := stored[k]; ok {
			l.stats.ReportIDs[i] = id
			l.stats.Skipped++
			continue
		}
		if j, ok := seen[k]; ok {
			// Filled in once the first occurrence has its id.
			l.stats.ReportIDs[i] = -int64(j) - 1
			l.stats.Skipped++
			continue
		}
		seen[k] = i
		l.todo = append(l.todo, i)
	}
	return nil
}

// correct applies the stored corrections of each new report's page: the
// report loaded is the page's with the researcher's fields set.
func (l *loader) correct(ctx context.Context) error {
	l.applied = make([][]Applied, len(l.loads))
	l.fixedRegion = make([]string, len(l.loads))
	var keys []string
	for _, i := range l.todo {
		keys = append(keys, l.keys[i])
	}
	byPage, err := correctionsOf(ctx, l.conn, keys)
	if err != nil {
		return fmt.Errorf("load reports: %w", err)
	}
	for _, i := range l.todo {
		cs := byPage[l.keys[i]]
		if len(cs) == 0 {
			continue
		}
		const unset = "\x00"
		rep, region, applied := applyCorrections(l.loads[i].Report, unset, cs)
		l.loads[i].Report, l.applied[i] = rep, applied
		if region != unset {
			l.fixedRegion[i] = region
		}
		// The region the page gave is the load's until deriveRegions runs.
		for k := range l.applied[i] {
			if l.applied[i][k].Field == FieldRegion && l.applied[i][k].Extracted == unset {
				l.applied[i][k].Extracted = ""
			}
		}
	}
	return nil
}

// deriveRegions gives each new report its region: the one its agency's
// name begins with when that lies within the load's region (a city's
// portal publishing its counties' reports) or the load has none, else the
// load's region.
func (l *loader) deriveRegions() {
	l.region = make([]string, len(l.loads))
	for _, i := range l.todo {
		ld := l.loads[i]
		l.region[i] = ld.RegionCode
		if l.fixedRegion[i] != "" {
			l.region[i] = l.fixedRegion[i]
			continue
		}
		if ld.Report.Agency == "" {
			continue
		}
		if r, ok := regions.FromAgency(ld.Report.Agency, ld.RegionCode); ok {
			l.region[i] = r.Code
		}
	}
}

// resolveAgencies finds or creates the agency of every new report.
func (l *loader) resolveAgencies(ctx context.Context) error {
	l.agencyID = map[string]int64{}
	rows, err := l.conn.QueryContext(ctx, `select id, coalesce(canon_name, norm_name), region_code from agencies`)
	if err != nil {
		return fmt.Errorf("load reports: read agencies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var norm, region string
		if err := rows.Scan(&id, &norm, &region); err != nil {
			return fmt.Errorf("load reports: read agencies: %w", err)
		}
		l.agencyID[norm+"\x00"+region] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load reports: read agencies: %w", err)
	}
	for _, i := range l.todo {
		ld := l.loads[i]
		if ld.Report.Agency == "" {
			continue
		}
		canon := CanonicalAgency(validText(ld.Report.Agency))
		k := canon + "\x00" + l.region[i]
		if _, ok := l.agencyID[k]; ok {
			continue
		}
		l.agencyID[k] = 0 // id assigned below
		l.newAgencies = append(l.newAgencies, agencyRow{
			name: validText(ld.Report.Agency), norm: NormalizeAgency(validText(ld.Report.Agency)), canon: canon,
			merged: MergedInto(validText(ld.Report.Agency)), region: l.region[i],
			level: AgencyLevel(ld.Report.Agency, l.region[i]),
		})
	}
	ids, err := l.reserveIDs(ctx, "agency_id", len(l.newAgencies))
	if err != nil {
		return err
	}
	for k := range l.newAgencies {
		a := &l.newAgencies[k]
		a.id = ids[k]
		l.agencyID[a.canon+"\x00"+a.region] = a.id
	}
	return nil
}

// readCaptureTimes reads when each new report's page was fetched.
func (l *loader) readCaptureTimes(ctx context.Context) error {
	l.captured = map[int64]time.Time{}
	var pageIDs []int64
	for _, i := range l.todo {
		if id := l.loads[i].PageID; id != 0 {
			pageIDs = append(pageIDs, id)
		}
	}
	if len(pageIDs) == 0 {
		return nil
	}
	rows, err := l.conn.QueryContext(ctx, `select id, fetched_at from pages
		where id in (select unnest(?::bigint[]))`, pageIDs)
	if err != nil {
		return fmt.Errorf("load reports: read page fetch times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return fmt.Errorf("load reports: read page fetch times: %w", err)
		}
		l.captured[id] = at
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load reports: read page fetch times: %w", err)
	}
	for _, id := range pageIDs {
		if _, ok := l.captured[id]; !ok {
			return fmt.Errorf("load reports: page %d: no such page", id)
		}
	}
	return nil
}

func (l *loader) pageIDs() []int64 {
	ids := make([]int64, 0, len(l.captured))
	for id := range l.captured {
		ids = append(ids, id)
	}
	return ids
}

// reserveIDs draws n values from a sequence in one query, so rows can be
// appended with their ids already known.
func (l *loader) reserveIDs(ctx context.Context, seq string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	rows, err := l.conn.QueryContext(ctx, fmt.Sprintf(`select nextval('%s') from range(?)`, seq), n)
	if err != nil {
		return nil, fmt.Errorf("load reports: reserve %d ids from %s: %w", n, seq, err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("load reports: reserve ids from %s: %w", seq, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load reports: reserve ids from %s: %w", seq, err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("load reports: reserve ids from %s: got %d of %d", seq, len(ids), n)
	}
	return ids, nil
}

// append writes agencies, reports, sections and cells through Appenders on
// the transaction's connection; they join its transaction, so a rollback
// removes them too.
func (l *loader) append(dc driver.Conn) error {
	now := l.db.opts.Now()
	if len(l.newAgencies) > 0 {
		err := appendRows(dc, "agencies", []string{"id", "name", "norm_name", "region_code", "level", "created_at", "canon_name", "merged_into"},
			func(add func(...driver.Value) error) error {
				for _, a := range l.newAgencies {
					if err := add(a.id, a.name, a.norm, a.region, a.level, now, a.canon, nullable(a.merged)); err != nil {
						return fmt.Errorf("agency %s: %w", a.name, err)
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	// Cells go first: a value DECIMAL(18,6) cannot hold becomes a warning
	// of its report, which is appended after them.
	if err := appendRows(dc, "cells", nil, l.appendCells); err != nil {
		return err
	}
	err := appendRows(dc, "reports", []string{"id", "agency", "region_code", "year", "format", "source",
		"page_sha256", "published_at", "extracted_at", "warnings", "extractor_version", "portal", "title",
		"table_formats", "agency_id", "page_id", "captured_at", "source_kind", "attachment_sha256",
		"corrections", "agency_source", "agency_candidates", "attachment_set"},
		func(add func(...driver.Value) error) error {
			for _, i := range l.todo {
				ld := l.loads[i]
				r := ld.Report
				var agencyID driver.Value
				if r.Agency != "" {
					agencyID = l.agencyID[CanonicalAgency(validText(r.Agency))+"\x00"+l.region[i]]
				}
				captured := now
				if at, ok := l.captured[ld.PageID]; ok {
					captured = at
				}
				warnings := append(r.Warnings[:len(r.Warnings):len(r.Warnings)], l.valueWarnings[i]...)
				if warnings == nil {
					warnings = []extract.Warning{}
				}
				var formats driver.Value
				if len(r.TableFormats) > 0 {
					formats = r.TableFormats
				}
				err := add(l.stats.ReportIDs[i], nullable(r.Agency), nullable(l.region[i]), nullableInt(r.Year),
					nullable(r.Format), validText(r.Source), l.keys[i], publishedDate(r.PublishedAt), now, warnings,
					nullable(ld.ExtractorVersion), nullable(ld.Portal), nullable(r.Title), formats,
					agencyID, nullableInt64(ld.PageID), captured, nullable(r.Kind), nullable(r.SHA256),
					appliedValue(l.applied[i]), nullable(r.AgencySource), candidatesValue(r.AgencyCandidates),
					nullable(ld.AttachmentSet))
				if err != nil {
					return fmt.Errorf("report %s: %w", r.Source, err)
				}
				l.stats.Reports++
			}
			return nil
		})
	if err != nil {
		return err
	}
	if err != nil {
		return err
	}
	err = appendRows(dc, "sections", []string{"report_id", "number", "heading", "text", "position"},
		func(add func(...driver.Value) error) error {
			for _, i := range l.todo {
				for k, s := range l.loads[i].Report.Sections {
					if err := add(l.stats.ReportIDs[i], int32(s.Number), validText(s.Heading), validText(s.Text), int32(k+1)); err != nil {
						return fmt.Errorf("report %s section %d: %w", l.loads[i].Report.Source, s.Number, err)
					}
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	// Duplicates inside the batch point at their first occurrence's id.
	for i, id := range l.stats.ReportIDs {
		if id < 0 {
			l.stats.ReportIDs[i] = l.stats.ReportIDs[-id-1]
		}
	}
	return nil
}

// appendCells adds every new report's cells: the hot loop of a load (tens
// of millions of cells at national scale). Each value is handed to the
// driver in the type its setter takes fastest, boxed once where it repeats;
// AppendRow copies the values into its chunk before returning, so one row
// slice serves every cell.
//
// One Appender, one goroutine: two Appenders on the transaction's
// connection loaded up to 1.3× faster on two cores, but DuckDB does not
// take concurrent flushes on one connection (a 50M-cell load failed with
// "Attempting to execute an unsuccessful or closed pending query result").
func (l *loader) appendCells(add func(...driver.Value) error) error {
	row := make([]driver.Value, 13)
	boxed := newBoxCache()
	l.valueWarnings = map[int][]extract.Warning{}
	for _, i := range l.todo {
		r := l.loads[i].Report
		row[0] = l.stats.ReportIDs[i]
		for _, c := range r.Cells {
			var value driver.Value
			if c.Value != nil {
				v, err := parseScaled(*c.Value)
				if err != nil {
					// Kept with its raw text; the report says why it is NULL.
					l.valueWarnings[i] = append(l.valueWarnings[i], extract.Warning{
						Code: WarnValueOutOfRange, Table: c.Table, Row: c.Row, Col: c.Col,
						Message: fmt.Sprintf("%q does not fit DECIMAL(%d,%d) exactly (%d integer, %d fractional digits at most): stored as NULL, printed text in raw",
							*c.Value, cellWidth, cellScale, cellWidth-cellScale, cellScale),
					})
				} else {
					value = boxed.unscaled(v)
				}
			}
			row[1], row[2], row[3] = boxed.get(c.Table), boxed.get(c.Row), boxed.get(c.Col)
			row[4], row[5], row[6] = value, boxed.get(c.Raw), nullable(c.Unit)
			row[7], row[8], row[9] = int32(c.SrcTable), int32(c.SrcRow), int32(c.SrcCol)
			// The extractor's help with the cell (migration 009): NULL when
			// it was read plainly, which is nearly every cell.
			row[10] = nil
			if len(c.Doubts) > 0 {
				row[10] = boxed.get(strings.Join(c.Doubts, ","))
			}
			// Where a PDF/OFD cell is printed (migration 013).
			row[11], row[12] = nil, nil
			if c.Page > 0 {
				row[11] = int32(c.Page)
			}
			if c.Box != nil {
				row[12] = formatBox(*c.Box)
			}
			if err := add(row...); err != nil {
				return fmt.Errorf("report %s cell %s/%s/%s: %w", r.Source, c.Table, c.Row, c.Col, err)
			}
			l.stats.Cells++
		}
	}
	return nil
}

// formatBox writes a cell's box as "left,top,right,bottom" in points.
func formatBox(b [4]float64) string {
	return strconv.FormatFloat(b[0], 'f', -1, 64) + "," + strconv.FormatFloat(b[1], 'f', -1, 64) + "," +
		strconv.FormatFloat(b[2], 'f', -1, 64) + "," + strconv.FormatFloat(b[3], 'f', -1, 64)
}

// boxCache boxes repeating values into driver.Values once, which saves an
// allocation per value at tens of millions of cells.
type boxCache struct {
	strs map[string]driver.Value
	// whole[k] is the unscaled DECIMAL(18,6) k·10⁶: most printed counts
	// are small whole numbers.
	whole [4096]driver.Value
}

func newBoxCache() *boxCache {
	b := &boxCache{strs: make(map[string]driver.Value, 256)}
	for k := range b.whole {
		b.whole[k] = int64(k) * cellUnit
	}
	return b
}

// get boxes codes and short raw texts once; long texts are boxed anew.
// Text is made valid UTF-8 on the way (see validText).
func (b *boxCache) get(s string) driver.Value {
	if len(s) > 24 {
		return validText(s)
	}
	if v, ok := b.strs[s]; ok {
		return v
	}
	var v driver.Value = validText(s)
	if len(b.strs) < 1<<14 {
		b.strs[s] = v
	}
	return v
}

// unscaled boxes a DECIMAL(18,6) value given as its unscaled int64 (value
// × 10⁶). The driver stores an int64 into a DECIMAL(18,6) column's BIGINT
// storage as is, which is exact and skips the big.Int of duckdb.Decimal
// (TestLoadReports reads the values back as text, so a driver that scaled
// the int64 instead would fail it).
func (b *boxCache) unscaled(v int64) driver.Value {
	if v >= 0 && v%cellUnit == 0 && v/cellUnit < int64(len(b.whole)) {
		return b.whole[v/cellUnit]
	}
	return v
}

// appendRows opens an Appender on table (all columns when cols is nil),
// lets fill add rows and closes it, flushing into the open transaction.
func appendRows(dc driver.Conn, table string, cols []string, fill func(add func(...driver.Value) error) error) error {
	var a *duckdb.Appender
	var err error
	if cols == nil {
		a, err = duckdb.NewAppender(dc, "", "", table)
	} else {
		a, err = duckdb.NewAppenderWithColumns(dc, "", "", table, cols)
	}
	if err != nil {
		return fmt.Errorf("load reports: open appender on %s: %w", table, err)
	}
	if err := fill(a.AppendRow); err != nil {
		a.Close()
		return fmt.Errorf("load reports: append to %s: %w", table, err)
	}
	if err := a.Close(); err != nil {
		return fmt.Errorf("load reports: flush %s: %w", table, err)
	}
	return nil
}

// setAgencyParents links agencies to the government above them: a
// department or township to its region's government, a county to its city,
// a city to its province. The smallest id wins where several match.
const setAgencyParents = `
update agencies set parent_id = (
    select min(p.id)
    from agencies as p
    where p.id <> agencies.id
      and p.level in ('province', 'city', 'county')
      and p.norm_name like '%人民政府'
      and p.region_code = case
          when agencies.level in ('department', 'township') then agencies.region_code
          when agencies.level = 'county' then substr(agencies.region_code, 1, 4) || '00'
          when agencies.level = 'city' then substr(agencies.region_code, 1, 2) || '0000'
      end
)
where parent_id is null and region_code <> '' and level <> 'province'`

func nullable(s string) driver.Value {
	if s == "" {
		return nil
	}
	return validText(s)
}

// validText replaces invalid UTF-8 by U+FFFD. The driver turns a string
// that is not UTF-8 into NULL — which a NOT NULL column then refuses,
// failing the whole load — and such text does reach here: a file name
// saved in GBK, an --agency typed in a GBK terminal.
func validText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func nullableInt(v int) driver.Value {
	if v == 0 {
		return nil
	}
	return int32(v)
}

func nullableInt64(v int64) driver.Value {
	if v == 0 {
		return nil
	}
	return v
}

// publishedDate reads YYYY-MM-DD; anything else is unknown (NULL).
func publishedDate(s string) driver.Value {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return t
}
