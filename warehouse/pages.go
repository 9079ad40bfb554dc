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
	// Attachments are the files the page links, each its latest successful
	// fetch (else its latest failure, with Error), and AttachmentSet their
	// sorted sha256s ("!" and the URL for a file never fetched) joined by
	// commas ("" for none): with SHA256 and the extractor version, the
	// report's key.
	Attachments   []PendingPage
	AttachmentSet string
	// Error is, for an attachment, why it was not fetched ("" when it was).
	Error string
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
	return db.SetPageFailure(ctx, pageID, extract.Version, "", msg)
}

// SetPageFailure records why page pageID, read with the attachments of
// attachmentSet (PendingPage.AttachmentSet), could not be extracted or
// loaded by extractor version: the page stays, with its error, and `nianbao
// extract` skips it until another extractor version (or --all) retries it,
// or its attachments change.
func (db *DB) SetPageFailure(ctx context.Context, pageID int64, version, attachmentSet, msg string) error {
	res, err := db.SQL.ExecContext(ctx, `update pages set extract_error = ?, extract_version = ?, extract_attachment_set = ? where id = ?`,
		validText(msg), nullStr(version), nullStr(attachmentSet), pageID)
	if err != nil {
		return fmt.Errorf("set extract error of page %d: %w", pageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set extract error of page %d: no such page", pageID)
	}
	return nil
}

// pageAttachments are, per report page's bytes (page_sha256), the
// attachments they link: pages of kind 'attachment', each fetch belonging to the page version fetched at its parent_url in the same
// crawl run (the nearest such fetch: a gkmlpt list names a page's
// attachments beside the page, so they may come first), or else the one
// fetched last before it. The crawler fetches a page's attachments in the
// run it fetches the page, and again whenever the page changes, and the
// same bytes always link the same files, so files linked only by another
// version of the page are left out. The latest successful fetch of each
// attachment URL counts, else its latest failure (a 404, a host the portal
// does not allow): the report then says which file it could not read. The
// attachment set holds the fetched files' sha256s and, for a file never
// fetched, "!" and its URL, so a file that comes, goes or changes makes a
// new version.
const pageAttachments = `
	fetches as (
		select a.id, any_value(a.url) as url, any_value(a.sha256) as sha256, any_value(a.fetched_at) as fetched_at,
		       any_value(coalesce(a.error, '') = '' and coalesce(a.sha256, '') <> '') as ok,
		       -- same run first (4e18 µs is beyond any distance), then the nearest
		       arg_min(pg.sha256, (pg.run_id is distinct from a.run_id)::bigint * 4000000000000000000
		           + abs(epoch_us(a.fetched_at) - epoch_us(pg.fetched_at))) as page_sha256
		from pages as a
		join pages as pg on pg.url = a.parent_url
			and (pg.run_id is not distinct from a.run_id or pg.fetched_at <= a.fetched_at)
		where a.kind = 'attachment'
		  and pg.kind = 'report' and pg.sha256 is not null and pg.sha256 <> '' and coalesce(pg.error, '') = ''
		group by a.id
	),
	atts as (
		-- fetched first (4e18 µs is beyond any time), then the latest
		select page_sha256, url, bool_or(ok) as ok,
		       arg_max(id, ok::bigint * 4000000000000000000 + epoch_us(fetched_at)) as id,
		       arg_max(sha256, ok::bigint * 4000000000000000000 + epoch_us(fetched_at)) as sha256
		from fetches
		group by page_sha256, url
	),
	sets as (
		select page_sha256, array_to_string(list_sort(list_distinct(list(if(ok, sha256, '!' || url)))), ',') as attachment_set
		from atts group by page_sha256
	)`

// pagesToExtractSQL lists the pending pages (see PagesToExtract).
const pagesToExtractSQL = `
		with latest as (
			select id, url, portal, sha256, archive_path, warc_record_id, content_type, warc_offset, title
			from pages
			where kind = 'report' and sha256 is not null and sha256 <> ''
			  and coalesce(error, '') = ''
			qualify row_number() over (partition by sha256 order by fetched_at desc, id desc) = 1
		),
		failed as (
			select distinct sha256, coalesce(extract_attachment_set, '') as attachment_set from pages
			where extract_error is not null and coalesce(extract_version, '') = ?
		),` + pageAttachments + `,
		cur as (
			select l.*, coalesce(s.attachment_set, '') as attachment_set
			from latest as l left join sets as s on s.page_sha256 = l.sha256
		)
		select l.id, l.url, coalesce(l.portal, ''), l.sha256, coalesce(l.archive_path, ''),
		       coalesce(l.warc_record_id, ''), coalesce(l.content_type, ''), coalesce(l.warc_offset, 0),
		       coalesce(l.title, ''), l.attachment_set
		from cur as l
		where not exists (
			select 1 from reports as r
			where r.page_sha256 = l.sha256 and coalesce(r.attachment_set, '') = l.attachment_set
			  and (? or r.extractor_version = ?)
		)
		and (? or not exists (select 1 from failed as f where f.sha256 = l.sha256 and f.attachment_set = l.attachment_set))
		order by l.id`

// PagesToExtract lists report pages (kind 'report', fetched without error,
// the latest fetch of each sha256), with the attachments they link, that
// have no report for extractor version and these attachments. Without
// all, pages whose bytes and attachments already have a report of any
// version, or whose extraction or load failed with this version and these
// attachments, are left out too: only new and changed pages (or pages
// whose attachments arrived or changed), and failed ones once a new
// extractor version may read them. With all, every page lacking this
// version is listed, so an upgraded extractor adds versions next to the old
// ones.
func (db *DB) PagesToExtract(ctx context.Context, all bool, version string) ([]PendingPage, error) {
	rows, err := db.SQL.QueryContext(ctx, pagesToExtractSQL, version, !all, version, all)
	if err != nil {
		return nil, fmt.Errorf("list pages to extract: %w", err)
	}
	defer rows.Close()
	var out []PendingPage
	bySHA := map[string]int{}
	for rows.Next() {
		var p PendingPage
		if err := rows.Scan(&p.PageID, &p.URL, &p.Portal, &p.SHA256, &p.ArchivePath,
			&p.WARCRecordID, &p.ContentType, &p.WARCOffset, &p.Title, &p.AttachmentSet); err != nil {
			return nil, fmt.Errorf("list pages to extract: %w", err)
		}
		bySHA[p.SHA256] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pages to extract: %w", err)
	}
	if len(bySHA) == 0 {
		return out, nil
	}
	shas := make([]string, 0, len(bySHA))
	for sha := range bySHA {
		shas = append(shas, sha)
	}
	arows, err := db.SQL.QueryContext(ctx, `with`+pageAttachments+`
		select t.page_sha256, p.id, p.url, coalesce(p.portal, ''), coalesce(p.sha256, ''), coalesce(p.archive_path, ''),
		       coalesce(p.warc_record_id, ''), coalesce(p.content_type, ''), coalesce(p.warc_offset, 0), coalesce(p.title, ''),
		       if(t.ok, '', coalesce(nullif(p.error, ''), 'not fetched'))
		from atts as t join pages as p on p.id = t.id
		where t.page_sha256 in (select unnest(?::varchar[]))
		order by t.page_sha256, p.url`, shas)
	if err != nil {
		return nil, fmt.Errorf("list attachments to extract: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var page string
		var a PendingPage
		if err := arows.Scan(&page, &a.PageID, &a.URL, &a.Portal, &a.SHA256, &a.ArchivePath,
			&a.WARCRecordID, &a.ContentType, &a.WARCOffset, &a.Title, &a.Error); err != nil {
			return nil, fmt.Errorf("list attachments to extract: %w", err)
		}
		i := bySHA[page]
		out[i].Attachments = append(out[i].Attachments, a)
	}
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("list attachments to extract: %w", err)
	}
	return out, nil
}

func nullStr(s string) sql.NullString { return sql.NullString{String: validText(s), Valid: s != ""} }

func nullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }
