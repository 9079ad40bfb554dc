package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// Page is one fetched (or imported) page, recorded whatever its outcome.
type Page struct {
	RunID        int64
	Portal       string
	URL          string // URL, or file path for imports
	FinalURL     string // after redirects
	ParentURL    string // for attachments: the report page linking to them
	Kind         string // list | report | attachment | other
	FetchedAt    time.Time
	Status       int // HTTP status; 0 for files
	ContentType  string
	Charset      string
	SHA256       string // hex sha256 of the bytes as fetched
	Size         int64
	Title        string
	ArchivePath  string // content-addressed file or WARC file
	WARCRecordID string
	WARCOffset   int64
	ETag         string
	LastModified string
	Error        string // fetch error, "" when fetched
	NotModified  bool   // 304 or unchanged bytes: a WARC revisit record
	ReportKey    string // groups versions and copies of one report
	DuplicateOf  string // earlier URL of this run with the same bytes
}

// PendingPage is an archived report page that still needs extracting.
type PendingPage struct {
	PageID       int64
	URL          string
	Portal       string
	SHA256       string
	ArchivePath  string
	WARCRecordID string
	ContentType  string
	WARCOffset   int64
	Title        string // the list link's text the crawler followed ("" for imports)
}

// RecordPages inserts the pages in one transaction and returns their ids in
// order. Every fetch is a row, also a refetch of unchanged bytes; a page
// already recorded keeps its row and id — by its WARC record, or, for a
// fetch that archived nothing (an error), by URL and fetch time — so the
// crawler may re-deliver a journal (a run died before acknowledging it;
// `extract --from-archive`) without doubling anything. An imported file
// (no portal, no HTTP status, no WARC record) already recorded from the same path with the
// same bytes, or failing to be read with the same error, keeps its row too,
// so retrying an import adds no rows.
func (db *DB) RecordPages(ctx context.Context, pages []Page) ([]int64, error) {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `insert into pages
		(run_id, portal, url, final_url, parent_url, kind, fetched_at, status,
		 content_type, charset, sha256, size, title, archive_path, warc_record_id,
		 warc_offset, etag, last_modified, error, not_modified, report_key,
		 duplicate_of)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		returning id`)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer stmt.Close()
	known, err := tx.PrepareContext(ctx, `select id from pages where warc_record_id = ? and archive_path = ?`)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer known.Close()
	knownFetch, err := tx.PrepareContext(ctx, `select min(id) from pages
		where warc_record_id is null and url = ? and fetched_at = ? having count(*) > 0`)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer knownFetch.Close()
	knownFile, err := tx.PrepareContext(ctx, `select min(id) from pages
		where warc_record_id is null and portal is null and url = ? and sha256 = ? having count(*) > 0`)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer knownFile.Close()
	knownUnreadable, err := tx.PrepareContext(ctx, `select min(id) from pages
		where warc_record_id is null and portal is null and sha256 is null and status = 0 and url = ? and error = ? having count(*) > 0`)
	if err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	defer knownUnreadable.Close()
	ids := make([]int64, len(pages))
	for i, p := range pages {
		var err error
		switch {
		case p.WARCRecordID != "":
			err = known.QueryRowContext(ctx, p.WARCRecordID, p.ArchivePath).Scan(&ids[i])
		case p.Portal == "" && p.SHA256 != "" && p.Status == 0 && p.Error == "":
			// An imported file: importing the same bytes from the same
			// path again (a retry) reuses its row.
			err = knownFile.QueryRowContext(ctx, validText(p.URL), p.SHA256).Scan(&ids[i])
		case p.Portal == "" && p.SHA256 == "" && p.Status == 0 && p.Error != "":
			// A file that could not be read, failing the same way again.
			err = knownUnreadable.QueryRowContext(ctx, validText(p.URL), validText(p.Error)).Scan(&ids[i])
		case !p.FetchedAt.IsZero():
			err = knownFetch.QueryRowContext(ctx, p.URL, p.FetchedAt).Scan(&ids[i])
		default:
			err = sql.ErrNoRows
		}
		if err == nil {
			continue
		}
		if err != sql.ErrNoRows {
			return nil, fmt.Errorf("record page %s: %w", p.URL, err)
		}
		at := p.FetchedAt
		if at.IsZero() {
			at = db.opts.Now()
		}
		err = stmt.QueryRowContext(ctx,
			nullInt(p.RunID), nullStr(p.Portal), validText(p.URL), nullStr(p.FinalURL), nullStr(p.ParentURL),
			nullStr(p.Kind), at, p.Status, nullStr(p.ContentType), nullStr(p.Charset),
			nullStr(p.SHA256), p.Size, nullStr(p.Title), nullStr(p.ArchivePath),
			nullStr(p.WARCRecordID), p.WARCOffset, nullStr(p.ETag), nullStr(p.LastModified),
			nullStr(p.Error), p.NotModified, nullStr(p.ReportKey),
			nullStr(p.DuplicateOf)).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("record page %s: %w", p.URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record pages: %w", err)
	}
	return ids, nil
}

// SetExtractError records why page pageID could not be extracted or
// loaded by this nianbao's extractor ([extract.Version]); see
// [DB.SetPageFailure].
func (db *DB) SetExtractError(ctx context.Context, pageID int64, msg string) error {
	return db.SetPageFailure(ctx, pageID, extract.Version, msg)
}

// SetPageFailure records why page pageID could not be extracted or loaded
// by extractor version: the page stays, with its error, and `nianbao
// extract` skips it until another extractor version (or --all) retries it.
func (db *DB) SetPageFailure(ctx context.Context, pageID int64, version, msg string) error {
	res, err := db.SQL.ExecContext(ctx, `update pages set extract_error = ?, extract_version = ? where id = ?`,
		validText(msg), nullStr(version), pageID)
	if err != nil {
		return fmt.Errorf("set extract error of page %d: %w", pageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set extract error of page %d: no such page", pageID)
	}
	return nil
}

// PagesToExtract lists report pages (kind 'report', fetched without error,
// the latest fetch of each sha256) that have no report for extractor
// version. Without all, pages whose bytes already have a report of any
// version, or whose extraction or load failed with this version, are left
// out too: only new and changed pages, and failed ones once a new extractor
// version may read them. With all, every page lacking this version is listed, so an
// upgraded extractor adds versions next to the old ones.
func (db *DB) PagesToExtract(ctx context.Context, all bool, version string) ([]PendingPage, error) {
	rows, err := db.SQL.QueryContext(ctx, `
		with latest as (
			select *
			from pages
			where kind = 'report' and sha256 is not null and sha256 <> ''
			  and coalesce(error, '') = ''
			qualify row_number() over (partition by sha256 order by fetched_at desc, id desc) = 1
		),
		failed as (
			select distinct sha256 from pages
			where extract_error is not null and coalesce(extract_version, '') = ?
		)
		select l.id, l.url, coalesce(l.portal, ''), l.sha256, coalesce(l.archive_path, ''),
		       coalesce(l.warc_record_id, ''), coalesce(l.content_type, ''), coalesce(l.warc_offset, 0),
		       coalesce(l.title, '')
		from latest as l
		where not exists (
			select 1 from reports as r
			where r.page_sha256 = l.sha256 and (? or r.extractor_version = ?)
		)
		and (? or l.sha256 not in (select sha256 from failed))
		order by l.id`, version, !all, version, all)
	if err != nil {
		return nil, fmt.Errorf("list pages to extract: %w", err)
	}
	defer rows.Close()
	var out []PendingPage
	for rows.Next() {
		var p PendingPage
		if err := rows.Scan(&p.PageID, &p.URL, &p.Portal, &p.SHA256, &p.ArchivePath,
			&p.WARCRecordID, &p.ContentType, &p.WARCOffset, &p.Title); err != nil {
			return nil, fmt.Errorf("list pages to extract: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pages to extract: %w", err)
	}
	return out, nil
}

func nullStr(s string) sql.NullString { return sql.NullString{String: validText(s), Valid: s != ""} }

func nullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }
