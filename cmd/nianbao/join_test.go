package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/extract"
)

// joinPortal is a loopback portal on an odd port whose report pages link
// their reports as attachments.
type joinPortal struct {
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string][]byte // path → body
	list  []string          // report page paths, in list order
	title map[string]string
}

func newJoinPortal(t *testing.T) *joinPortal {
	p := &joinPortal{pages: map[string][]byte{}, title: map[string]string{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if r.URL.Path == "/nb/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul>`)
			for _, path := range p.list {
				fmt.Fprintf(w, `<li><a href="%s" title="%s">%s</a><span>2024-01-20</span></li>`, path, html.EscapeString(p.title[path]), html.EscapeString(p.title[path]))
			}
			fmt.Fprint(w, `</ul></body></html>`)
			return
		}
		b, ok := p.pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch ext := filepath.Ext(r.URL.Path); ext {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".pdf":
			w.Header().Set("Content-Type", "application/pdf")
		default:
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		w.Write(b)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// report publishes a report page at path with title; body nil is a page
// that only says 详见附件 and links its attachments.
func (p *joinPortal) report(path, title string, body []byte, attachments ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if body == nil {
		var b strings.Builder
		fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title></head><body><div class="article"><h1>%s</h1><p>发布日期：2024-01-20</p><p>详见附件。</p>`, title, title)
		for _, a := range attachments {
			fmt.Fprintf(&b, `<p>附件：<a href="%s">%s%s</a></p>`, a, title, filepath.Ext(a))
		}
		b.WriteString(`</div></body></html>`)
		body = []byte(b.String())
	} else {
		for _, a := range attachments {
			body = []byte(strings.Replace(string(body), "</body>", fmt.Sprintf(`<p>附件：<a href="%s">%s.pdf</a></p></body>`, a, title), 1))
		}
	}
	p.pages[path] = body
	p.title[path] = title
	p.list = append(p.list, path)
}

func (p *joinPortal) file(path string, b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages[path] = b
}

func (p *joinPortal) url(path string) string { return p.srv.URL + path }

// config writes a config for the portal: allowed_domains names the
// loopback host with its port.
func (p *joinPortal) config(t *testing.T) string {
	dir := t.TempDir()
	u, _ := url.Parse(p.srv.URL)
	file := filepath.Join(dir, "n.yaml")
	yml := fmt.Sprintf("database: %s\narchive: %s\ncrawl: {delay: 0s}\nportals:\n  - name: 附件镜像\n    start_urls: [%q]\n    allowed_domains: [%q]\n    allow_private_network: true\n",
		filepath.Join(dir, "n.duckdb"), filepath.Join(dir, "archive"), p.srv.URL+"/nb/", u.Host)
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// crawlAt runs one crawl of the config's portals as if at time at (the
// crawler re-checks pages and attachments it saw within a week only after
// that week).
func crawlAt(t *testing.T, file string, at time.Time) *crawlSummary {
	t.Helper()
	cfg, err := config.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	opts := crawlerOptions(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	start := time.Now()
	opts.Now = func() time.Time { return at.Add(time.Since(start)) }
	sum, err := crawl(context.Background(), cfg, cfg.Portals, opts)
	if err != nil {
		t.Fatalf("crawl at %s: %v", at, err)
	}
	return sum
}

// sqlCSV runs `nianbao sql --format csv` and returns its rows without the header.
func sqlCSV(t *testing.T, file, q string) [][]string {
	t.Helper()
	out, stderr, code := nianbao(t, "", "sql", "--config", file, "--format", "csv", q)
	if code != 0 {
		t.Fatalf("sql: exit %d: %s\n%s", code, stderr, q)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("sql csv: %v\n%s", err, out)
	}
	if len(recs) == 0 {
		return nil
	}
	return recs[1:]
}

// extractOut runs `nianbao extract` and returns what it printed.
func extractOut(t *testing.T, file string) string {
	t.Helper()
	out, stderr, code := nianbao(t, "", "extract", "--config", file)
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, stderr)
	}
	return out
}

// expectedCells reads the "cells" of an expectation file (corpus
// NAME.expected.json or extract/testdata NAME.expect.json) as
// table.row.col=value strings, "null" for a blank cell.
func expectedCells(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Cells map[string]*string `json:"cells"`
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for k, v := range exp.Cells {
		s := "null"
		if v != nil {
			s = *v
		}
		out = append(out, k+"="+s)
	}
	sort.Strings(out)
	return out
}

// reportCells is the cells of report id as table.row.col=value strings.
func reportCells(t *testing.T, file, id string) []string {
	t.Helper()
	var out []string
	for _, r := range sqlCSV(t, file, `select table_code || '.' || row_code || '.' || col_code, coalesce(value::varchar, 'null')
		from cells where report_id = `+id) {
		out = append(out, r[0]+"="+trimDecimal(r[1]))
	}
	sort.Strings(out)
	return out
}

func sha256File(t *testing.T, b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReportPageWithAttachments is issue 11's "a report page with
// attachments becomes one report", crawled from a loopback portal on an
// odd port and extracted by `nianbao extract`:
//
//   - a page that says 详见附件 and links a PDF (the fixture printed from
//     full-2021.html; with ../shared, also the real 洪泽区 PDF of the
//     corpus) → one report with the PDF's cells exactly, the page's agency
//     and year where the PDF has none, source_kind pdf and the file's
//     sha256; `nianbao sql` says on which PDF page a number is printed;
//   - a page printing its tables and linking a PDF whose values differ in
//     two cells → the page's cells, and a warning naming exactly those two
//     cells with both values;
//   - a page linking a scan → the page's report with tables_are_images,
//     listed by status under unread_attachment; one linking a file on a
//     host the portal does not allow → unreadable_attachment saying so;
//   - an unchanged night re-extracts nothing; the next night one
//     attachment is replaced (a DOCX under the PDF's URL) → a new report
//     version read from the new file, the latest of its agency and year.
func TestReportPageWithAttachments(t *testing.T) {
	const attach = "../../extract/testdata/attach/"
	pdf2021 := mustReadFile(t, attach+"full-2021.pdf")
	docx2021 := mustReadFile(t, attach+"full-2021.word.docx")
	scan := mustReadFile(t, attach+"scan.pdf")
	p := newJoinPortal(t)

	p.report("/nb/qs.html", "青山区人民政府2021年政府信息公开工作年度报告", nil, "files/qs-2021.pdf")
	p.file("/nb/files/qs-2021.pdf", pdf2021)
	// The page prints its tables; its 新收 row differs from the PDF's in
	// two cells (21 → 22, 4 → 5; the total 27 is the same).
	page := mustReadFile(t, "../../extract/testdata/full-2021.html")
	edited := strings.Replace(string(page), "<td>21</td><td>4</td>", "<td>22</td><td>5</td>", 1)
	if edited == string(page) {
		t.Fatal("full-2021.html has no 新收 row 21, 4 to edit")
	}
	p.report("/nb/both.html", "青山区人民政府2021年政府信息公开工作年度报告（网页版）", []byte(edited), "files/both.pdf")
	p.file("/nb/files/both.pdf", pdf2021)
	p.report("/nb/scan.html", "白云区人民政府2021年政府信息公开工作年度报告", nil, "files/scan.pdf")
	p.file("/nb/files/scan.pdf", scan)
	// Served from a host the portal does not allow: never asked.
	p.report("/nb/cdn.html", "红山区人民政府2021年政府信息公开工作年度报告", nil, "http://files.cdn.example.test/nb/cdn-2021.pdf")
	p.report("/nb/swap.html", "黄河区人民政府2021年政府信息公开工作年度报告", nil, "files/swap.pdf")
	p.file("/nb/files/swap.pdf", pdf2021)
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	hongze, err := os.ReadFile(filepath.Join(corpus, "hongze-2023.pdf"))
	if err == nil {
		p.report("/nb/hz.html", "洪泽区人民政府2023年政府信息公开工作年度报告", nil, "/nb/upload/P020240119.pdf")
		p.file("/nb/upload/P020240119.pdf", hongze)
	} else {
		t.Logf("../shared/corpus/hongze-2023.pdf absent (%v): the real PDF case is skipped", err)
	}
	file := p.config(t)

	night := time.Now()
	sum := crawlAt(t, file, night)
	if want := len(p.list); sum.Reports != want {
		t.Fatalf("crawl: %d report pages; want %d", sum.Reports, want)
	}
	// qs, swap and (with ../shared) hz are read from their PDFs.
	fromPDF := 2
	if hongze != nil {
		fromPDF++
	}
	if out, want := extractOut(t, file), fmt.Sprintf("%d pages read, %d reports loaded", len(p.list), len(p.list)); !strings.Contains(out, want) ||
		!strings.Contains(out, fmt.Sprintf("; %d read from attachments", fromPDF)) {
		t.Fatalf("extract said %q; want %s; %d read from attachments", out, want, fromPDF)
	}
	type report struct{ id, kind, sha, agency, year, warnings string }
	reportOf := func(path string) report {
		t.Helper()
		rows := sqlCSV(t, file, `select id, coalesce(source_kind, ''), coalesce(attachment_sha256, ''), coalesce(agency, ''),
			coalesce(year::varchar, ''), warnings::varchar from reports where source = '`+p.url(path)+`' order by id desc`)
		if len(rows) == 0 {
			t.Fatalf("no report of %s", path)
		}
		r := rows[0]
		return report{r[0], r[1], r[2], r[3], r[4], r[5]}
	}

	t.Run("the attachment supplies the cells, the page the agency and year", func(t *testing.T) {
		r := reportOf("/nb/qs.html")
		if r.kind != extract.KindPDF || r.sha != sha256File(t, pdf2021) || r.agency != "青山区人民政府" || r.year != "2021" {
			t.Errorf("report = %+v; want pdf, the file's sha256, 青山区人民政府, 2021", r)
		}
		got, want := reportCells(t, file, r.id), expectedCells(t, "../../extract/testdata/full-2021.expect.json")
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d cells; want the %d of full-2021.expect.json\n got  %v\n want %v", len(got), len(want), got, want)
		}
	})

	t.Run("the site names the attachment and keeps its archived copy", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		if _, stderr, code := nianbao(t, "", "site", dir, "--config", file); code != 0 {
			t.Fatalf("site: exit %d: %s", code, stderr)
		}
		rows := sqlCSV(t, file, `select r.id, r.source, any_value(a.url), r.attachment_sha256 from latest_reports as r
			join pages as a on a.sha256 = r.attachment_sha256 and a.kind = 'attachment' and a.parent_url = r.source group by all`)
		if len(rows) == 0 {
			t.Fatal("no latest report read from an attachment")
		}
		for _, r := range rows {
			page := string(mustReadFile(t, filepath.Join(dir, "report", r[0]+".html")))
			for _, want := range []string{"附件所在页面</dt><dd>" + r[1], "附件文件</dt><dd>" + r[2], `href="../archive/` + r[3] + `.pdf"`} {
				if !strings.Contains(page, want) {
					t.Errorf("report page %s lacks %q", r[0], want)
				}
			}
			if b, err := os.ReadFile(filepath.Join(dir, "archive", r[3]+".pdf")); err != nil || sha256File(t, b) != r[3] {
				t.Errorf("archived copy of %s: %v; want the attachment's bytes", r[2], err)
			}
		}
	})

	t.Run("the real PDF of the corpus, cell for cell", func(t *testing.T) {
		if hongze == nil {
			t.Skip("../shared/corpus/hongze-2023.pdf absent")
		}
		r := reportOf("/nb/hz.html")
		if r.kind != extract.KindPDF || r.sha != sha256File(t, hongze) || r.agency != "洪泽区人民政府" || r.year != "2023" {
			t.Errorf("report = %+v; want pdf, the file's sha256, 洪泽区人民政府, 2023", r)
		}
		got, want := reportCells(t, file, r.id), expectedCells(t, filepath.Join(corpus, "hongze-2023.expected.json"))
		if len(want) != 186 || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%d cells; want the %d of hongze-2023.expected.json (186)\n got  %v\n want %v", len(got), len(want), got, want)
		}
		// Where on which page of the attachment is this number: the
		// report's cell, its PDF page and box, and the attachment's URL.
		rows := sqlCSV(t, file, `select a.url, c.page, c.box, c.raw
			from cells as c join reports as r on r.id = c.report_id
			join pages as a on a.sha256 = r.attachment_sha256 and a.kind = 'attachment'
			where r.id = `+r.id+` and c.table_code = 't4' and c.row_code = 'all' and c.col_code = 'review.total'`)
		if len(rows) != 1 || rows[0][0] != p.url("/nb/upload/P020240119.pdf") || rows[0][1] == "" || strings.Count(rows[0][2], ",") != 3 || rows[0][3] != "0" {
			t.Errorf("where is t4 review.total: %v; want the PDF's URL, a page, a box and 0", rows)
		}
	})

	t.Run("page and attachment disagree in two cells: the page's kept, both named", func(t *testing.T) {
		r := reportOf("/nb/both.html")
		if r.kind != extract.KindHTML || r.sha != "" {
			t.Errorf("report = %+v; want the page's html cells", r)
		}
		cells := map[string]string{}
		for _, c := range reportCells(t, file, r.id) {
			k, v, _ := strings.Cut(c, "=")
			cells[k] = v
		}
		if cells["t3.new.natural"] != "22" || cells["t3.new.commercial"] != "5" || cells["t3.new.total"] != "27" {
			t.Errorf("page cells t3.new natural/commercial/total = %s/%s/%s; want the page's 22/5/27",
				cells["t3.new.natural"], cells["t3.new.commercial"], cells["t3.new.total"])
		}
		var diffs []string
		for _, w := range sqlCSV(t, file, `select json_extract_string(w.w, '$.table') || '.' || json_extract_string(w.w, '$.row') || '.' ||
				json_extract_string(w.w, '$.col'), json_extract_string(w.w, '$.message')
			from reports as r, unnest(json_extract(r.warnings, '$[*]')) as w(w)
			where r.id = `+r.id+` and json_extract_string(w.w, '$.code') = '`+extract.WarnAttachmentDiffers+`'`) {
			diffs = append(diffs, w[0]+": "+strings.SplitN(w[1], ": ", 2)[1])
		}
		sort.Strings(diffs)
		want := []string{
			"t3.new.commercial: page 5, attachment 4 (attachment " + p.url("/nb/files/both.pdf") + ")",
			"t3.new.natural: page 22, attachment 21 (attachment " + p.url("/nb/files/both.pdf") + ")",
		}
		if strings.Join(diffs, "\n") != strings.Join(want, "\n") {
			t.Errorf("attachment_differs warnings:\n%s\nwant:\n%s", strings.Join(diffs, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("a scanned attachment: the page's report, tables_are_images, listed by status", func(t *testing.T) {
		r := reportOf("/nb/scan.html")
		if r.kind != extract.KindHTML || r.agency != "白云区人民政府" || !strings.Contains(r.warnings, extract.WarnTablesAreImages) ||
			!strings.Contains(r.warnings, p.url("/nb/files/scan.pdf")) {
			t.Errorf("report = %+v; want the page's, with tables_are_images naming the scan", r)
		}
		out, stderr, code := nianbao(t, "", "status", "--config", file, "--format", "csv")
		if code != 0 {
			t.Fatalf("status: exit %d: %s", code, stderr)
		}
		listed := false
		for _, row := range statusBlock(t, out, "source") {
			listed = listed || row[0] == p.url("/nb/scan.html") && row[2] == extract.WarnTablesAreImages
		}
		if !listed {
			t.Errorf("status does not list %s with tables_are_images under unread_attachment:\n%s", p.url("/nb/scan.html"), out)
		}
	})

	t.Run("an attachment on a host not allowed: named on the page's report, listed by status", func(t *testing.T) {
		r := reportOf("/nb/cdn.html")
		if r.kind != extract.KindHTML || r.agency != "红山区人民政府" || !strings.Contains(r.warnings, extract.WarnUnreadable) ||
			!strings.Contains(r.warnings, "http://files.cdn.example.test/nb/cdn-2021.pdf: not fetched: host files.cdn.example.test is not in allowed_domains") {
			t.Errorf("report = %+v; want the page's, with unreadable_attachment naming the file and why", r)
		}
		out, stderr, code := nianbao(t, "", "status", "--config", file, "--format", "csv")
		if code != 0 {
			t.Fatalf("status: exit %d: %s", code, stderr)
		}
		listed := false
		for _, row := range statusBlock(t, out, "source") {
			listed = listed || row[0] == p.url("/nb/cdn.html") && row[2] == extract.WarnUnreadable && strings.Contains(row[3], "allowed_domains")
		}
		if !listed {
			t.Errorf("status does not list %s with unreadable_attachment under unread_attachment:\n%s", p.url("/nb/cdn.html"), out)
		}
	})

	t.Run("nights: unchanged re-extracts nothing, a replaced attachment makes a new version", func(t *testing.T) {
		crawlAt(t, file, night.Add(8*24*time.Hour)) // everything re-checked: unchanged
		if n := sqlCSV(t, file, `select count(*) from pages where kind = 'attachment'`)[0][0]; n != fmt.Sprint(2*len(p.list)) {
			t.Fatalf("attachment fetches after the second night = %s; want %d (each re-checked)", n, 2*len(p.list))
		}
		if out := extractOut(t, file); !strings.Contains(out, "0 pages read, 0 reports loaded") {
			t.Errorf("unchanged night: extract said %q; want 0 pages read, 0 reports loaded", out)
		}
		// The same report re-issued as a Word file under the same URL.
		p.file("/nb/files/swap.pdf", docx2021)
		crawlAt(t, file, night.Add(16*24*time.Hour))
		if out := extractOut(t, file); !strings.Contains(out, "1 pages read, 1 reports loaded") {
			t.Errorf("attachment replaced: extract said %q; want 1 pages read, 1 reports loaded", out)
		}
		rows := sqlCSV(t, file, `select id, attachment_sha256, source_kind from reports where source = '`+p.url("/nb/swap.html")+`' order by id`)
		if len(rows) != 2 || rows[0][1] != sha256File(t, pdf2021) || rows[1][1] != sha256File(t, docx2021) || rows[1][2] != extract.KindDOCX {
			t.Fatalf("report versions of the page = %v; want 2, read from the old PDF and the new DOCX", rows)
		}
		got, want := reportCells(t, file, rows[1][0]), expectedCells(t, "../../extract/testdata/full-2021.expect.json")
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("new version: %d cells; want the %d of full-2021.expect.json", len(got), len(want))
		}
		if latest := sqlCSV(t, file, `select id from latest_reports where agency = '青山区人民政府' and year = 2021`); len(latest) != 1 || latest[0][0] != rows[1][0] {
			t.Errorf("latest report of 青山区人民政府 2021 = %v; want the new version %s", latest, rows[1][0])
		}
		if same := sqlCSV(t, file, `select count(distinct page_sha256), count(distinct attachment_set) from reports where source = '`+p.url("/nb/swap.html")+`'`); same[0][0] != "1" || same[0][1] != "2" {
			t.Errorf("versions' distinct page_sha256, attachment_set = %v; want 1, 2 (the page unchanged, its attachment not)", same)
		}
	})
}

// TestImportPageAndAttachment: `import` of a directory's files, an HTML
// page saying 详见附件 and the PDF it links, reads each file on its own
// (nothing on disk says the PDF is the page's): two reports, the page's
// with attachment_only, the PDF's with its cells.
func TestImportPageAndAttachment(t *testing.T) {
	dir := t.TempDir()
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>青山区人民政府2021年政府信息公开工作年度报告</title></head>` +
		`<body><h1>青山区人民政府2021年政府信息公开工作年度报告</h1><p>详见附件。</p><p>附件：<a href="report.pdf">报告.pdf</a></p></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "page.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.pdf"), mustReadFile(t, "../../extract/testdata/attach/full-2021.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "n.duckdb")
	if _, stderr, code := nianbao(t, "", "import", "--db", db, filepath.Join(dir, "page.html"), filepath.Join(dir, "report.pdf")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", `select source_kind, (select count(*) from cells as c where c.report_id = r.id) as cells,
		json_extract_string(warnings, '$[*].code')::varchar like '%`+extract.WarnAttachmentOnly+`%' as attachment_only
		from reports as r order by source_kind`)
	if code != 0 {
		t.Fatalf("sql: %s", stderr)
	}
	want := fmt.Sprintf("source_kind,cells,attachment_only\nhtml,0,true\npdf,%d,false\n",
		len(expectedCells(t, "../../extract/testdata/full-2021.expect.json")))
	if out != want {
		t.Errorf("imported reports:\n%s\nwant:\n%s", out, want)
	}
}
