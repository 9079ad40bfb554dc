// Package extract turns one saved annual-report page (政府信息公开工作年度报告),
// HTML or plain text in any Chinese charset, into a [Report]: agency, year,
// format, the cells of tables 二, 三 and 四 in the codes of codebook.tsv,
// the six sections' prose, and a [Warning] for everything it could not read.
//
// Parse is pure (bytes in, report out), never panics and never rounds:
// values are exact decimal strings.
//
//	body, _ := os.ReadFile("report.html")
//	rep, err := extract.Parse(extract.Input{Source: "report.html", Body: body})
//	if err != nil {
//		return err
//	}
//	for _, c := range rep.Cells {
//		if c.Value == nil { // blank or placeholder ("—", "/", "无"): see c.Raw
//			continue
//		}
//		fmt.Println(c.Table, c.Row, c.Col, *c.Value) // t3 new natural 3
//	}
//	for _, w := range rep.Warnings {
//		fmt.Println(w.Code, w.Table, w.Row, w.Col, w.Message)
//	}
//
// How it reads a page: the HTML is parsed once; every <table> is expanded
// into a grid (rowspan/colspan) and emitted row by row, interleaved with the
// prose paragraphs, so a table split over several elements reads as one.
// A <table> that contains other tables is page layout (2000s CMSs put the
// whole page in one): its cells are read as prose, and the tables nested in
// it, at any depth, as tables.
// Rows are matched to codebook rows by their label words (NFKC, numbering and
// parentheticals stripped), and their values are taken in order from the
// cells right of the label: header and data rows often disagree on colspans,
// so the header is used only to learn which columns exist and in what grid
// order. Plain text goes through the same row logic: one cell per line
// (tab-indented, a row per blank-line-separated group), rows flattened onto
// one line, or labels alone on a line with their values on the next (PDF
// converters), page footers dropped.
//
// The format ("2019" or "2021") is decided per table from its labels, never
// from the year; the report's format is its template as a whole (a 2021
// table 二 makes it 2021 whatever table 三 keeps). Codebook lists the codes
// cells are reported in.
//
// Who published the report is read from every place a page names it (see
// AgencyCandidate): the title and ArticleTitle meta, the heading, the
// sentence publishing the report, the signature, the office compiling it
// or answering questions on it; Report.AgencySource says which one was
// chosen. A cell read with help (a split number rejoined, a merged value
// cell, a misprinted label repaired by the format's row order, a charset
// the page lied about) carries Cell.Doubts.
package extract
