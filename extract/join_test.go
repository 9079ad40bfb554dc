package extract_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
)

func TestJoin(t *testing.T) {
	v := func(s string) *string { return &s }
	cell := func(code, value string) extract.Cell {
		p := strings.Split(code, ".")
		c := extract.Cell{Table: p[0], Row: p[1], Col: p[2], Raw: value, Page: 2, Box: &[4]float64{1, 2, 3, 4}}
		if value != "" {
			c.Value = v(value)
		}
		return c
	}
	page := func(cells ...extract.Cell) *extract.Report {
		return &extract.Report{Source: "http://gov/nb/1.html", Kind: extract.KindHTML, Agency: "洪泽区人民政府",
			AgencySource: extract.AgencyFromTitle, Year: 2023, YearSource: extract.AgencyFromTitle,
			Title: "洪泽区人民政府2023年政府信息公开工作年度报告", PublishedAt: "2024-01-20", Format: extract.FormatUnknown,
			Cells: append([]extract.Cell{}, cells...),
			Warnings: []extract.Warning{{Code: extract.WarnAttachmentOnly, Message: "no tables; the page links 1 attachments"},
				{Code: extract.WarnNoTables, Message: "no tables 二, 三 or 四 found"}}}
	}
	att := func(name, kind string, cells ...extract.Cell) *extract.Report {
		return &extract.Report{Source: "http://gov/nb/" + name, Kind: kind, SHA256: "sha-" + name, Format: extract.Format2021,
			Cells: append([]extract.Cell{}, cells...), Warnings: []extract.Warning{{Code: extract.WarnNoAgency, Message: "no agency"}}}
	}
	scan := &extract.Report{Source: "http://gov/nb/scan.pdf", Kind: extract.KindPDF, SHA256: "sha-scan", Format: extract.FormatUnknown,
		Cells: []extract.Cell{}, Warnings: []extract.Warning{{Code: extract.WarnTablesAreImages, Message: "no text layer on 3 pages"}}}
	three := []extract.Cell{cell("t3.new.natural", "3"), cell("t3.new.total", "5"), cell("t2.fees.amount_yuan", "")}

	type want struct {
		kind, sha, agency string
		year              int
		cells             []extract.Cell
		codes             []string // warning codes, in order
		diffs             []string // attachment_differs messages' heads
	}
	tests := []struct {
		name string
		page *extract.Report
		atts []*extract.Report
		want want
	}{
		{"no attachments: the page as it is", page(three...), nil,
			want{extract.KindHTML, "", "洪泽区人民政府", 2023, three, []string{extract.WarnAttachmentOnly, extract.WarnNoTables}, nil}},
		{"page without tables: the attachment supplies the cells, the page its agency and year", page(),
			[]*extract.Report{att("a.pdf", extract.KindPDF, three...)},
			want{extract.KindPDF, "sha-a.pdf", "洪泽区人民政府", 2023, three, nil, nil}},
		{"several attachments: the one with most cells, the other named", page(),
			[]*extract.Report{att("short.docx", extract.KindDOCX, three[0]), att("a.pdf", extract.KindPDF, three...)},
			want{extract.KindPDF, "sha-a.pdf", "洪泽区人民政府", 2023, three, []string{extract.WarnAttachmentNotUsed}, nil}},
		{"two attachments disagree: cells from the one with most, the other's difference named", page(),
			[]*extract.Report{att("short.docx", extract.KindDOCX, cell("t3.new.natural", "4")), att("a.pdf", extract.KindPDF, three...)},
			want{extract.KindPDF, "sha-a.pdf", "洪泽区人民政府", 2023, three, []string{extract.WarnAttachmentDiffers, extract.WarnAttachmentNotUsed},
				[]string{"t3.new.natural: used attachment 3, attachment 4"}}},
		{"the same report as PDF and DOCX: the first, the other agreeing", page(),
			[]*extract.Report{att("a.pdf", extract.KindPDF, three...), att("a.docx", extract.KindDOCX, three...)},
			want{extract.KindPDF, "sha-a.pdf", "洪泽区人民政府", 2023, three, []string{extract.WarnAttachmentNotUsed}, nil}},
		{"page and attachment agree: the page's cells, the attachment named", page(three...),
			[]*extract.Report{att("a.pdf", extract.KindPDF, three...)},
			want{extract.KindHTML, "", "洪泽区人民政府", 2023, three,
				[]string{extract.WarnAttachmentOnly, extract.WarnNoTables, extract.WarnAttachmentNotUsed}, nil}},
		{"page and attachment differ in two cells: the page's kept, both cells named", page(three...),
			[]*extract.Report{att("a.pdf", extract.KindPDF, cell("t3.new.natural", "4"), three[1], cell("t2.fees.amount_yuan", "0"))},
			want{extract.KindHTML, "", "洪泽区人民政府", 2023, three,
				[]string{extract.WarnAttachmentOnly, extract.WarnNoTables, extract.WarnAttachmentDiffers, extract.WarnAttachmentDiffers, extract.WarnAttachmentNotUsed},
				[]string{"t3.new.natural: page 3, attachment 4", `t2.fees.amount_yuan: page blank "", attachment 0`}}},
		{"a scan: the page's report with tables_are_images", page(),
			[]*extract.Report{scan},
			want{extract.KindHTML, "", "洪泽区人民政府", 2023, []extract.Cell{},
				[]string{extract.WarnAttachmentOnly, extract.WarnNoTables, extract.WarnTablesAreImages}, nil}},
		{"a scan beside a readable PDF: cells from the PDF, the scan still listed", page(),
			[]*extract.Report{scan, att("a.pdf", extract.KindPDF, three...)},
			want{extract.KindPDF, "sha-a.pdf", "洪泽区人民政府", 2023, three, []string{extract.WarnTablesAreImages}, nil}},
		{"an attachment with no tables is named as not used", page(),
			[]*extract.Report{att("notice.docx", extract.KindDOCX)},
			want{extract.KindHTML, "", "洪泽区人民政府", 2023, []extract.Cell{},
				[]string{extract.WarnAttachmentOnly, extract.WarnNoTables, extract.WarnAttachmentNotUsed}, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := []*extract.Report{copyOf(tc.page)}
			for _, a := range tc.atts {
				before = append(before, copyOf(a))
			}
			got := extract.Join(tc.page, tc.atts)
			if got.Source != tc.page.Source || got.Kind != tc.want.kind || got.SHA256 != tc.want.sha ||
				got.Agency != tc.want.agency || got.Year != tc.want.year {
				t.Errorf("Join = source %s kind %q sha %q agency %q year %d; want %s %q %q %q %d", got.Source, got.Kind, got.SHA256,
					got.Agency, got.Year, tc.page.Source, tc.want.kind, tc.want.sha, tc.want.agency, tc.want.year)
			}
			if got.Title != tc.page.Title || got.PublishedAt != tc.page.PublishedAt {
				t.Errorf("title/date = %q %q; want the page's", got.Title, got.PublishedAt)
			}
			if !reflect.DeepEqual(got.Cells, tc.want.cells) {
				t.Errorf("cells = %+v; want %+v", got.Cells, tc.want.cells)
			}
			var codes, diffs []string
			for _, w := range got.Warnings {
				codes = append(codes, w.Code)
				if w.Code == extract.WarnAttachmentDiffers {
					diffs = append(diffs, strings.SplitN(w.Message, " (attachment ", 2)[0])
					if w.Table == "" || w.Row == "" || w.Col == "" {
						t.Errorf("diff warning without its cell: %+v", w)
					}
				}
				if w.Code == extract.WarnTablesAreImages && !strings.Contains(w.Message, "scan.pdf") {
					t.Errorf("unread warning does not name the attachment: %q", w.Message)
				}
			}
			if !reflect.DeepEqual(codes, tc.want.codes) || !reflect.DeepEqual(diffs, tc.want.diffs) {
				t.Errorf("warnings = %v %q; want %v %q\n%+v", codes, diffs, tc.want.codes, tc.want.diffs, got.Warnings)
			}
			after := []*extract.Report{tc.page}
			after = append(after, tc.atts...)
			if !reflect.DeepEqual(before, after) {
				t.Error("Join changed its inputs")
			}
		})
	}
}

func copyOf(r *extract.Report) *extract.Report {
	c := *r
	c.Cells = append([]extract.Cell{}, r.Cells...)
	c.Warnings = append([]extract.Warning{}, r.Warnings...)
	return &c
}
