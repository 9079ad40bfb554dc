package extract

// Warning codes (Warning.Code), defined once: the warehouse, the checks and
// the CLI compare against these constants, never against literals.
const (
	// per cell
	WarnBlankCell   = "blank_cell"   // blank or placeholder; the cell has a nil Value
	WarnNotANumber  = "not_a_number" // the text is in Message
	WarnMergedValue = "merged_value" // the value cell spans several codebook rows; only the first holds it
	// per row
	WarnUnmappedRow   = "unmapped_row"   // a labelled row with values that is not in the codebook
	WarnExtraCells    = "extra_cells"    // more value cells than columns
	WarnMissingCells  = "missing_cells"  // fewer value cells than columns
	WarnLabelRepaired = "label_repaired" // a misprinted label matched by the format's row order
	// per table
	WarnUnmappedCol  = "unmapped_col"
	WarnMissingTable = "missing_table"
	WarnMixedFormat  = "mixed_format" // tables in different formats; Format is the report's template as a whole
	// per page
	WarnNoTables        = "no_tables"
	WarnTablesAreImages = "tables_are_images"
	WarnAttachmentOnly  = "attachment_only"
	WarnUnknownFormat   = "unknown_format"
	WarnPre2019         = "pre2019"
	WarnNoYear          = "no_year"
	WarnNoAgency        = "no_agency"
	WarnBadHTML         = "bad_html"
	WarnTablesAsText    = "tables_as_text"
	WarnCharsetOverride = "charset_override" // the declared charset contradicted the bytes
	WarnNotAReport      = "not_a_report"     // no report tables and no report title: keep it as a page, not a report
)

// Warning codes of a report page joined with its attachments ([Join]).
const (
	// WarnAttachmentDiffers is one cell the page and an attachment both
	// print with different values; the page's value is kept and the
	// message gives both.
	WarnAttachmentDiffers = "attachment_differs"
	// WarnAttachmentNotUsed names an attachment that was read but did not
	// supply the report's cells, and why.
	WarnAttachmentNotUsed = "attachment_not_used"
)
