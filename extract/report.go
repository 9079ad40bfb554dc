package extract

// Report is what [Parse] reads from one page: metadata, the cells of tables
// 二, 三 and 四 in codebook codes, the report's sections, and a warning for
// everything it could not read. Its JSON form is the `nianbao parse --json`
// contract: field names never change, new fields may be added.
type Report struct {
	Source string `json:"source"` // file path or URL, as given in Input.Source
	Agency string `json:"agency"` // as printed ("" when not found)
	// AgencySource is where Agency was read (an AgencyFrom* code) and
	// AgencyCandidates every place the page names an agency, the chosen
	// one marked: the choice is shown in the report's provenance.
	AgencySource     string            `json:"agency_source,omitempty"`
	AgencyCandidates []AgencyCandidate `json:"agency_candidates,omitempty"`
	Year             int               `json:"year"` // statistical year (0 when not found)
	// YearSource is where Year was read: a title source (article_title_meta,
	// heading, title: the AgencyFrom* codes) or a YearFrom* code.
	YearSource  string `json:"year_source,omitempty"`
	Format      string `json:"format"`                 // "2019", "2021", "pre2019" or "unknown"
	Title       string `json:"title,omitempty"`        // the page's report title
	PublishedAt string `json:"published_at,omitempty"` // YYYY-MM-DD from PubDate meta or info bar
	// Kind is what the report was read from: one of the Kind constants
	// (html, text, pdf, docx, xlsx, doc, wps, xls, ofd).
	Kind string `json:"kind,omitempty"`
	// SHA256 is the hex digest of the input's bytes, for attachments
	// (every kind but html and text): cells point into that file.
	SHA256 string `json:"sha256,omitempty"`
	// TableFormats gives the format decided per table ("t2", "t3", "t4" →
	// "2019" | "2021"); Format is the report-level summary.
	TableFormats map[string]string `json:"table_formats,omitempty"`
	Cells        []Cell            `json:"cells"`
	Sections     []Section         `json:"sections,omitempty"`
	Warnings     []Warning         `json:"warnings"`
	// NotAReport is set for a page with no report tables, no report title
	// and no report sections (a README, binary data, a list page): the
	// loader keeps it as a page with reason not_a_report, not as a report.
	NotAReport bool `json:"not_a_report,omitempty"`
}

// Year sources besides the title sources (Report.YearSource).
const (
	YearFromPeriod      = "period"       // "统计期限自2021年1月1日起至2021年12月31日"
	YearFromReportNamed = "report_named" // "现公布2019年度政府信息公开工作年度报告"
	YearFromPartPeriod  = "part_period"  // "自2019年9月1日起至2019年12月31日"
	YearFromLead        = "year_lead"    // a paragraph opening "2021年，"
)

// Report formats (Report.Format, TableFormats values).
const (
	Format2019    = "2019"
	Format2021    = "2021"
	FormatPre2019 = "pre2019"
	FormatUnknown = "unknown"
)

// Cell is one value of tables 二, 三 or 四.
type Cell struct {
	Table string `json:"table"` // codebook table code: t2, t3, t4
	Row   string `json:"row"`   // codebook row code; table 四's single row is "all"
	Col   string `json:"col"`   // codebook column code
	// Value is the decimal exactly as printed (trailing fractional zeros
	// dropped; amount_yuan converted to 元), or nil for a blank or
	// placeholder cell. It never passes through float64.
	Value *string `json:"value"`
	Raw   string  `json:"raw"`            // printed text, NFKC-normalised and trimmed
	Unit  string  `json:"unit,omitempty"` // unit printed in the cell or header: 件, 项, 元, 万元
	// Provenance: index of the <table> in the page (0-based; -1 for plain
	// text), and the cell's row and column in the expanded grid (for plain
	// text: line number and position in the row).
	SrcTable int `json:"src_table"`
	SrcRow   int `json:"src_row"`
	SrcCol   int `json:"src_col"`
	// Doubts lists the help the extractor needed to read this cell (the
	// Doubt* codes); empty when it was read plainly. Page-level doubts
	// (charset_override) are repeated on every cell of the page.
	Doubts []string `json:"doubts,omitempty"`
	// Page (1-based) and Box of the cell for positioned formats (PDF,
	// OFD): [left, top, right, bottom] in points from the page's top-left
	// corner. For DOCX and XLSX, SrcTable is the table (sheet) index and
	// SrcRow/SrcCol the grid position; Page and Box are unset.
	Page int         `json:"page,omitempty"`
	Box  *[4]float64 `json:"box,omitempty"`
}

// Doubt codes: how a cell's reading was helped. Defined once here; the
// warehouse stores them per cell and attributes flags with them.
const (
	DoubtLabelRepaired   = "label_repaired"   // the row label was misprinted and matched by the format's row order
	DoubtMergedValue     = "merged_value"     // the value cell spans several codebook rows (rowspan)
	DoubtSplitNumber     = "split_number"     // the number was printed in pieces and joined
	DoubtUnitConverted   = "unit_converted"   // the value was converted to the codebook unit (万元 → 元)
	DoubtLayoutGuess     = "layout_guess"     // columns taken from the national layout, not from a header
	DoubtCharsetOverride = "charset_override" // the page's declared charset was wrong and overridden
	DoubtPageBreak       = "page_break"       // the row was cut by a page break (PDF/OFD) and its parts joined
)

// Section is one of the six numbered sections of the report body.
type Section struct {
	Number  int    `json:"number"`  // 1..6 for 一..六
	Heading string `json:"heading"` // as printed, e.g. "一、总体情况"
	Text    string `json:"text"`    // the section's prose (tables excluded)
}

// Warning explains something the extractor could not read or found odd.
// Code is stable and machine-readable: one of the Warn* constants
// (warnings.go), per cell (Table, Row, Col set), per row (Table, Row), per
// table (Table) or per page.
type Warning struct {
	Code    string `json:"code"`
	Table   string `json:"table,omitempty"`
	Row     string `json:"row,omitempty"`
	Col     string `json:"col,omitempty"`
	Message string `json:"message"`
}

// Input is one saved page handed to [Parse].
type Input struct {
	Source      string // file path or URL; copied to Report.Source
	Body        []byte // raw bytes as fetched or saved, in any encoding
	ContentType string // HTTP Content-Type if known; "" for files (sniffed)
	// ListTitle is the text of the list link the crawler followed to the
	// page, and Portal the name of the portal that published it (often its
	// government): the last places to take an agency from, when the page
	// itself names none. Both are recorded as candidates.
	ListTitle, Portal string
	// Converter turns legacy binary Office files (.doc, .wps, .xls) into
	// DOCX or XLSX. Parse runs no programs itself: without a Converter
	// such files get the warning needs_converter.
	Converter Converter
	// pdfEngine forces a PDF reader (pdfEngineFast, pdfEnginePDFium) in
	// tests that compare them; "" tries the fast one first.
	pdfEngine string
}
