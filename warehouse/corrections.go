package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/regions"
)

// The fields a correction can set.
const (
	FieldAgency    = "agency"
	FieldYear      = "year"
	FieldRegion    = "region"
	FieldPublished = "published"
)

// Where a correction came from.
const (
	OriginCorrect = "correct" // nianbao correct
	OriginImport  = "import"  // nianbao import --agency/--year/--region/--published
)

// Correction sets one field of every report read from one page's bytes.
type Correction struct {
	PageSHA256 string
	URL        string // the page's URL or file, for people; "" when unknown
	Field      string // FieldAgency, FieldYear, FieldRegion or FieldPublished
	Value      string
	Note       string
	Origin     string // OriginCorrect or OriginImport
}

// Applied is a correction as shown in a report's provenance.
type Applied struct {
	Field        string `json:"field"`
	Extracted    string `json:"extracted"` // what the page gave; "" for nothing
	Value        string `json:"value"`
	CorrectionID int64  `json:"correction_id"`
	Note         string `json:"note,omitempty"`
}

// Validate checks a correction's field and value, normalising the value
// (a region name becomes its code).
func (c *Correction) Validate() error {
	c.Value = strings.TrimSpace(c.Value)
	switch c.Field {
	case FieldAgency:
		if c.Value == "" {
			return fmt.Errorf("correct agency: empty name")
		}
	case FieldYear:
		y, err := strconv.Atoi(c.Value)
		if err != nil || y < 1990 || y > 2100 {
			return fmt.Errorf("correct year: %q is not a year", c.Value)
		}
	case FieldRegion:
		if len(c.Value) == 6 && strings.Trim(c.Value, "0123456789") == "" {
			break
		}
		r, err := regions.Lookup(c.Value)
		if err != nil {
			return fmt.Errorf("correct region: %w", err)
		}
		c.Value = r.Code
	case FieldPublished:
		if _, err := time.Parse(time.DateOnly, c.Value); err != nil {
			return fmt.Errorf("correct publication date: %q is not a date YYYY-MM-DD", c.Value)
		}
	default:
		return fmt.Errorf("correct: unknown field %q (agency, year, region or published)", c.Field)
	}
	if len(c.PageSHA256) != 64 {
		return fmt.Errorf("correct %s: page sha256 %q: want 64 hex digits", c.Field, c.PageSHA256)
	}
	if _, err := hex.DecodeString(c.PageSHA256); err != nil {
		return fmt.Errorf("correct %s: page sha256 %q: want 64 hex digits", c.Field, c.PageSHA256)
	}
	return nil
}

// PageRef is a page a user named, with what is stored of it.
type PageRef struct {
	SHA256  string
	URL     string
	Reports int // stored reports (extractions) of these bytes
}

// ErrNoSuchPage reports a page reference that matches nothing stored.
var ErrNoSuchPage = errors.New("no such page")

// FindPages resolves what a user names a page by: a report id, a page
// sha256, or a URL or file path as recorded (every distinct version of
// it). sha, when not "", is the sha256 of a saved file's bytes, tried
// first.
func (db *DB) FindPages(ctx context.Context, ref, sha string) ([]PageRef, error) {
	q := `select r.page_sha256, any_value(coalesce(p.url, r.source)), count(distinct r.id)
		from reports as r left join pages as p on p.id = r.page_id
		where %s group by r.page_sha256 order by min(r.id)`
	type try struct {
		where string
		arg   any
	}
	var tries []try
	if sha != "" {
		tries = append(tries, try{"r.page_sha256 = $1", sha})
	}
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		tries = append(tries, try{"r.page_sha256 = (select page_sha256 from reports where id = $1)", id})
	}
	tries = append(tries, try{"r.page_sha256 = lower($1)", ref},
		try{"(r.source = $1 or p.url = $1 or p.final_url = $1)", ref})
	for _, t := range tries {
		rows, err := db.SQL.QueryContext(ctx, fmt.Sprintf(q, t.where), t.arg)
		if err != nil {
			return nil, fmt.Errorf("find page %s: %w", ref, err)
		}
		var out []PageRef
		for rows.Next() {
			var p PageRef
			var url sql.NullString
			if err := rows.Scan(&p.SHA256, &url, &p.Reports); err != nil {
				rows.Close()
				return nil, fmt.Errorf("find page %s: %w", ref, err)
			}
			p.URL = url.String
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("find page %s: %w", ref, err)
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, fmt.Errorf("find page %s: %w (give a report id, a page sha256, a URL or a saved file)", ref, ErrNoSuchPage)
}

// Correct stores the corrections and applies them to every stored report
// of their pages, in one transaction; the reports' agencies are then
// re-linked and their derived facts redone. It returns how many reports
// changed. Later loads of the same bytes (extract --all) apply them too.
func (db *DB) Correct(ctx context.Context, cs []Correction) (changed int, err error) {
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			return 0, err
		}
	}
	if len(cs) == 0 {
		return 0, nil
	}
	if changed, err = db.correct(ctx, cs); err != nil {
		return 0, err
	}
	if err := db.RefreshFacts(ctx); err != nil {
		return changed, err
	}
	return changed, nil
}

// correct stores and applies the corrections in one transaction.
func (db *DB) correct(ctx context.Context, cs []Correction) (changed int, err error) {
	db.loadMu.Lock()
	defer db.loadMu.Unlock()
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("correct: %w", err)
	}
	defer tx.Rollback()
	now := db.opts.Now()
	shas := map[string]bool{}
	for _, c := range cs {
		// The same value again (a repeated import --agency) adds nothing.
		var same bool
		if err := tx.QueryRowContext(ctx, `select coalesce(arg_max(value, id) = ?, false) from corrections
			where page_sha256 = ? and field = ?`, c.Value, c.PageSHA256, c.Field).Scan(&same); err != nil {
			return 0, fmt.Errorf("correct %s of %s: %w", c.Field, c.PageSHA256, err)
		}
		shas[c.PageSHA256] = true
		if same {
			continue
		}
		if _, err := tx.ExecContext(ctx, `insert into corrections (page_sha256, url, field, value, note, origin, created_at)
			values (?, ?, ?, ?, ?, ?, ?)`, c.PageSHA256, nullable(c.URL), c.Field, c.Value, nullable(c.Note), c.Origin, now); err != nil {
			return 0, fmt.Errorf("correct %s of %s: %w", c.Field, c.PageSHA256, err)
		}
	}
	var keys []string
	for s := range shas {
		keys = append(keys, s)
	}
	byPage, err := correctionsOf(ctx, tx, keys)
	if err != nil {
		return 0, err
	}
	type stored struct {
		id                       int64
		sha, agency, region, pub string
		year                     int
		applied                  []Applied
	}
	rows, err := tx.QueryContext(ctx, `select id, page_sha256, coalesce(agency, ''), coalesce(region_code, ''),
			coalesce(strftime(published_at, '%Y-%m-%d'), ''), coalesce(year, 0), coalesce(cast(corrections as varchar), '[]')
		from reports where page_sha256 in (select unnest(?::varchar[]))`, keys)
	if err != nil {
		return 0, fmt.Errorf("correct: read reports: %w", err)
	}
	var reps []stored
	for rows.Next() {
		var r stored
		var applied string
		if err := rows.Scan(&r.id, &r.sha, &r.agency, &r.region, &r.pub, &r.year, &applied); err != nil {
			rows.Close()
			return 0, fmt.Errorf("correct: read reports: %w", err)
		}
		json.Unmarshal([]byte(applied), &r.applied)
		reps = append(reps, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("correct: read reports: %w", err)
	}
	for _, r := range reps {
		// What the page gave, before any correction.
		rep := &extract.Report{Agency: r.agency, Year: r.year, PublishedAt: r.pub}
		region := r.region
		for _, a := range r.applied {
			switch a.Field {
			case FieldAgency:
				rep.Agency = a.Extracted
			case FieldYear:
				rep.Year, _ = strconv.Atoi(a.Extracted)
			case FieldPublished:
				rep.PublishedAt = a.Extracted
			case FieldRegion:
				region = a.Extracted
			}
		}
		fixed, fixedRegion, applied := applyCorrections(rep, region, byPage[r.sha])
		if fixedRegion == region && fixed.Agency != "" {
			// No region set by hand: the corrected name may say more.
			if g, ok := regions.FromAgency(fixed.Agency, region); ok {
				fixedRegion = g.Code
			}
		}
		region = fixedRegion
		if _, err := tx.ExecContext(ctx, `update reports set agency = ?, year = ?, published_at = ?, region_code = ?,
				corrections = ?, agency_id = case when agency is distinct from ? or region_code is distinct from ? then null else agency_id end
			where id = ?`,
			nullable(fixed.Agency), nullableInt(fixed.Year), publishedDate(fixed.PublishedAt), nullable(region),
			appliedJSON(applied), nullable(fixed.Agency), nullable(region), r.id); err != nil {
			return 0, fmt.Errorf("correct report %d: %w", r.id, err)
		}
		changed++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("correct: commit: %w", err)
	}
	return changed, nil
}

// queryer is what correctionsOf reads with: a transaction or a connection.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// correctionsOf reads the newest correction of each field for each page.
func correctionsOf(ctx context.Context, q queryer, shas []string) (map[string][]correctionRow, error) {
	out := map[string][]correctionRow{}
	if len(shas) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `select page_sha256, field, arg_max(value, id), max(id), coalesce(arg_max(note, id), '')
		from corrections where page_sha256 in (select unnest(?::varchar[]))
		group by page_sha256, field order by page_sha256, field`, shas)
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		var c correctionRow
		if err := rows.Scan(&sha, &c.field, &c.value, &c.id, &c.note); err != nil {
			return nil, fmt.Errorf("read corrections: %w", err)
		}
		out[sha] = append(out[sha], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	return out, nil
}

type correctionRow struct {
	field, value, note string
	id                 int64
}

// applyCorrections returns a copy of rep with the corrections set, the
// report's region (corrected, or as given), and what was applied. rep is
// not modified: the caller's report stays what the page gave.
func applyCorrections(rep *extract.Report, region string, cs []correctionRow) (*extract.Report, string, []Applied) {
	if len(cs) == 0 {
		return rep, region, nil
	}
	r := *rep
	var applied []Applied
	for _, c := range cs {
		a := Applied{Field: c.field, Value: c.value, CorrectionID: c.id, Note: c.note}
		switch c.field {
		case FieldAgency:
			a.Extracted, r.Agency = r.Agency, c.value
		case FieldYear:
			if r.Year != 0 {
				a.Extracted = strconv.Itoa(r.Year)
			}
			r.Year, _ = strconv.Atoi(c.value)
		case FieldPublished:
			a.Extracted, r.PublishedAt = r.PublishedAt, c.value
		case FieldRegion:
			a.Extracted, region = region, c.value
		default:
			continue
		}
		applied = append(applied, a)
	}
	return &r, region, applied
}

func appliedJSON(applied []Applied) any {
	if len(applied) == 0 {
		return nil
	}
	b, _ := json.Marshal(applied)
	return string(b)
}

// appliedValue and candidatesValue hand the Appender a JSON column's
// value as it takes them (as warnings go): the Go value, or NULL.
func appliedValue(applied []Applied) driver.Value {
	if len(applied) == 0 {
		return nil
	}
	return applied
}

func candidatesValue(cs []extract.AgencyCandidate) driver.Value {
	if len(cs) == 0 {
		return nil
	}
	return cs
}
