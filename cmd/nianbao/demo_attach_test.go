package main

import (
	"encoding/csv"
	"sort"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// checkDemoAttachments (from TestDemo): the demo's database has the sample
// portal's attachment reports extracted. A report whose page only links
// its attachment (one per family: TRS P0….pdf, Hanweb downfile.jsp
// redirect, gkmlpt /attachment/ named in the JSON) is one report read from
// the file: its source_kind and sha256, the agency and year, exactly the
// cells the file prints. A page printing its tables beside an attachment
// that prints the same keeps its cells, was joined with the file
// (attachment_set), and records no disagreement.
func checkDemoAttachments(t *testing.T, p *sampleportal.Portal, db string) {
	t.Helper()
	q := func(query string) [][]string {
		t.Helper()
		out, stderr, code := nianbao(t, "", "sql", "--db", db, "--format", "csv", query)
		if code != 0 {
			t.Fatalf("sql: exit %d: %s\n%s", code, stderr, query)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("sql csv: %v\n%s", err, out)
		}
		return rows[1:]
	}
	only, both := 0, 0
	for _, r := range p.Reports() {
		if len(r.Attachments) == 0 {
			continue
		}
		rows := q(`select id, coalesce(source_kind, ''), coalesce(attachment_sha256, ''), coalesce(attachment_set, ''), coalesce(agency, ''), year,
			(select count(*) from unnest(json_extract(warnings, '$[*]')) as w(w) where json_extract_string(w.w, '$.code') = '` + extract.WarnAttachmentDiffers + `')
			from reports where source = '` + r.URL + `'`)
		if len(rows) != 1 {
			t.Errorf("%s (%s %d, %d attachments): %d reports; want 1", r.URL, r.Agency, r.Year, len(r.Attachments), len(rows))
			continue
		}
		id, kind, sha, set, agency, year, diffs := rows[0][0], rows[0][1], rows[0][2], rows[0][3], rows[0][4], rows[0][5], rows[0][6]
		if agency != r.Agency || year != itoa(r.Year) || set == "" || diffs != "0" {
			t.Errorf("%s: agency %q year %s attachment_set %q attachment_differs %s; want %s %d, joined, none", r.URL, agency, year, set, diffs, r.Agency, r.Year)
		}
		var want []string
		for k, v := range r.Cells {
			want = append(want, k+"="+show(v))
		}
		sort.Strings(want)
		var got []string
		for _, c := range q(`select table_code || '.' || row_code || '.' || col_code, coalesce(value::varchar, 'null') from cells where report_id = ` + id) {
			got = append(got, c[0]+"="+trimDecimal(c[1]))
		}
		sort.Strings(got)
		if len(want) == 0 || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s (%s): %d cells; want exactly the %d the report prints", r.URL, r.Kind, len(got), len(want))
		}
		switch r.Kind {
		case sampleportal.KindAttachment:
			only++
			if kind == extract.KindHTML || kind == "" || len(sha) != 64 {
				t.Errorf("%s: source_kind %q attachment_sha256 %q; want the attachment's", r.URL, kind, sha)
			}
		case sampleportal.KindTables:
			both++
			if kind != extract.KindHTML || sha != "" {
				t.Errorf("%s: source_kind %q attachment_sha256 %q; want the page's own html cells", r.URL, kind, sha)
			}
		}
	}
	if only < 3 || both < 1 {
		t.Errorf("sample portal has %d attachment-only reports and %d pages with tables and attachments; want at least 3 and 1", only, both)
	}
}
