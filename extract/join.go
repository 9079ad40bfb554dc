package extract

import (
	"fmt"
	"slices"
)

// unreadCodes are the warnings of an attachment whose tables could not be
// read: they stay on the joined report, whatever supplied its cells, so
// `nianbao status` lists the attachment.
var unreadCodes = []string{WarnNeedsConverter, WarnUnreadable, WarnTablesAreImages}

// Join makes one report of a report page and the attachments it links,
// each already read by [Parse] (atts in the order the page links them; an
// attachment that could not be parsed at all is a Report carrying the
// unreadable_attachment warning). It is pure: page and atts are not
// changed. The rule, defined only here:
//
//   - The attachment that reads as a report — the one with the most cells,
//     the first of equals — is the candidate. The others are named in
//     attachment_not_used warnings, and each with cells is compared with
//     the report's cells like the candidate below.
//   - When the page prints no cells of its own, the candidate supplies the
//     cells, format, sections and warnings, and its Kind and SHA256 (so the
//     cells' page/box provenance points into that file); the page supplies
//     agency, year, title and publication date where the attachment prints
//     none. Source stays the page's: the report is the page's.
//   - When the page prints cells too, the page's cells are kept, and every
//     cell the candidate prints differently (or prints where the page has
//     none) is an attachment_differs warning with both values.
//   - An attachment whose tables could not be read (needs_converter,
//     tables_are_images, unreadable_attachment) leaves that warning on the
//     report, its message prefixed with the attachment's source.
//
// Without attachments the page is returned as it is (a copy).
func Join(page *Report, atts []*Report) *Report {
	if page == nil {
		page = &Report{Cells: []Cell{}, Warnings: []Warning{}}
	}
	best := -1
	for i, a := range atts {
		if a != nil && len(a.Cells) > 0 && (best < 0 || len(a.Cells) > len(atts[best].Cells)) {
			best = i
		}
	}
	var out *Report
	pageCells := len(page.Cells) > 0
	switch {
	case best < 0 || pageCells:
		out = copyReport(page)
	default:
		out = fromAttachment(page, atts[best])
	}
	// The report's cells come from one source; every other attachment
	// with cells is compared with them.
	kept, lead := "page", "the page prints the tables itself and they are kept"
	if !pageCells && best >= 0 {
		kept = "used attachment"
		lead = fmt.Sprintf("the cells are read from %s (%d cells)", atts[best].Source, len(atts[best].Cells))
	}
	for i, a := range atts {
		if a == nil {
			continue
		}
		unread := false
		for _, w := range a.Warnings {
			if slices.Contains(unreadCodes, w.Code) {
				unread = true
				w.Message = fmt.Sprintf("attachment %s: %s", a.Source, w.Message)
				out.Warnings = append(out.Warnings, w)
			}
		}
		switch {
		case i == best && !pageCells:
			// It supplied the cells.
		case len(a.Cells) > 0:
			diffs := diffCells(out.Cells, kept, a.Cells)
			for _, d := range diffs {
				d.Message += " (attachment " + a.Source + ")"
				out.Warnings = append(out.Warnings, d)
			}
			why := fmt.Sprintf("its %d cells agree", len(a.Cells))
			if len(diffs) > 0 {
				why = fmt.Sprintf("%d of its %d cells differ (%s)", len(diffs), len(a.Cells), WarnAttachmentDiffers)
			}
			out.Warnings = append(out.Warnings, Warning{Code: WarnAttachmentNotUsed,
				Message: fmt.Sprintf("attachment %s: %s; %s", a.Source, lead, why)})
		case unread:
			// Its unread warning says why.
		default:
			out.Warnings = append(out.Warnings, Warning{Code: WarnAttachmentNotUsed,
				Message: fmt.Sprintf("attachment %s: no cells of tables 二, 三 or 四", a.Source)})
		}
	}
	return out
}

// fromAttachment is the report att supplies, with page's metadata where
// att prints none.
func fromAttachment(page, att *Report) *Report {
	out := copyReport(att)
	out.Source = page.Source
	out.NotAReport = false
	var drop []string
	if out.Agency == "" && page.Agency != "" {
		out.Agency, out.AgencySource = page.Agency, page.AgencySource
		out.AgencyCandidates = append([]AgencyCandidate(nil), page.AgencyCandidates...)
		drop = append(drop, WarnNoAgency)
	}
	if out.Year == 0 && page.Year != 0 {
		out.Year, out.YearSource = page.Year, page.YearSource
		drop = append(drop, WarnNoYear)
	}
	if out.Title == "" {
		out.Title = page.Title
	}
	if out.PublishedAt == "" {
		out.PublishedAt = page.PublishedAt
	}
	if len(out.Sections) == 0 {
		out.Sections = append([]Section(nil), page.Sections...)
	}
	// The page's own warnings are about the tables it does not print
	// (attachment_only, no_tables): the attachment's replace them.
	out.Warnings = slices.DeleteFunc(out.Warnings, func(w Warning) bool { return slices.Contains(drop, w.Code) })
	return out
}

// copyReport copies r deeply enough that appending to or editing its
// slices leaves r as it was.
func copyReport(r *Report) *Report {
	out := *r
	out.Cells = append([]Cell{}, r.Cells...)
	out.Warnings = append([]Warning{}, r.Warnings...)
	out.Sections = append([]Section(nil), r.Sections...)
	out.AgencyCandidates = append([]AgencyCandidate(nil), r.AgencyCandidates...)
	return &out
}

// diffCells lists, in the attachment's order, each cell att prints with a
// value other than the report's (kept, from the page or the used
// attachment, as keptName says) for the same code, or that the report does
// not print at all. Cells the attachment lacks are no disagreement: it may
// print only some tables.
func diffCells(page []Cell, keptName string, att []Cell) []Warning {
	type key struct{ t, r, c string }
	have := make(map[key]Cell, len(page))
	for _, c := range page {
		have[key{c.Table, c.Row, c.Col}] = c
	}
	var out []Warning
	for _, a := range att {
		p, ok := have[key{a.Table, a.Row, a.Col}]
		if ok && sameValue(p.Value, a.Value) {
			continue
		}
		pv := "not printed"
		if ok {
			pv = cellValue(p)
		}
		out = append(out, Warning{Code: WarnAttachmentDiffers, Table: a.Table, Row: a.Row, Col: a.Col,
			Message: fmt.Sprintf("%s.%s.%s: %s %s, attachment %s", a.Table, a.Row, a.Col, keptName, pv, cellValue(a))})
	}
	return out
}

func sameValue(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// cellValue is a cell's value for a message: the decimal, or the printed
// text of a blank or placeholder.
func cellValue(c Cell) string {
	if c.Value != nil {
		return *c.Value
	}
	return fmt.Sprintf("blank %q", c.Raw)
}
