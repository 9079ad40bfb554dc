package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/internal/soffice"
)

// parseReport is the extractor; tests replace it to make a page panic.
var parseReport = extract.Parse

// officeConverter reads .doc, .wps and .xls attachments through LibreOffice
// when it is installed; without it they are kept with needs_converter.
var officeConverter = &soffice.Converter{}

// parsePage runs the extractor on one page and joins it with the
// attachments it links, already read by [parseAttachment] (extract.Join);
// a panic in the extractor is that page's error, not the end of the batch
// (or of the night).
func parsePage(in extract.Input, atts ...*extract.Report) (rep *extract.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep = nil
			err = &panicError{source: in.Source, value: r, stack: debug.Stack()}
		}
	}()
	if in.Converter == nil {
		in.Converter = officeConverter
	}
	rep, err = parseReport(in)
	if err == nil && len(atts) > 0 {
		rep = extract.Join(rep, atts)
	}
	if err == nil && rep.NotAReport {
		return nil, &notAReportError{source: in.Source, why: warningMessage(rep, extract.WarnNotAReport)}
	}
	return rep, err
}

// parseAttachment reads one attachment of a report page, for
// [parsePage] to join: a file that cannot be read at all (readErr: not
// fetched, or not in the archive; empty; an extractor panic) is a report
// with the warning unreadable_attachment saying why, so the page's report
// names it.
// Attachments get no list title or portal: the page supplies the agency
// when the file names none. SHA256 is the bytes' digest also for a file
// that turns out to be HTML or text (a .doc that is a web page).
func parseAttachment(in extract.Input, readErr error) (rep *extract.Report) {
	unreadable := func(why string) *extract.Report {
		return &extract.Report{Source: in.Source, Format: extract.FormatUnknown, Cells: []extract.Cell{},
			Warnings: []extract.Warning{{Code: extract.WarnUnreadable, Message: why}}}
	}
	if readErr != nil {
		return unreadable(readErr.Error())
	}
	defer func() {
		if r := recover(); r != nil {
			rep = unreadable((&panicError{source: in.Source, value: r}).Error())
		}
	}()
	if in.Converter == nil {
		in.Converter = officeConverter
	}
	rep, err := parseReport(in)
	if err != nil {
		return unreadable(err.Error())
	}
	if rep.SHA256 == "" {
		sum := sha256.Sum256(in.Body)
		rep.SHA256 = hex.EncodeToString(sum[:])
	}
	return rep
}

// notAReportError is a page that is no report at all (a binary file, a
// README, a list page): kept in pages with this reason as its error, never
// counted as a report.
type notAReportError struct{ source, why string }

func (e *notAReportError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.source, extract.WarnNotAReport, e.why)
}

// isNotAReport reports whether err is a page that is not a report.
func isNotAReport(err error) bool {
	var n *notAReportError
	return errors.As(err, &n)
}

// warningMessage is the message of rep's first warning with code.
func warningMessage(rep *extract.Report, code string) string {
	for _, w := range rep.Warnings {
		if w.Code == code {
			return w.Message
		}
	}
	return "no report tables and no report title"
}

// panicError is an extractor panic: one line for the page's error, the
// stack kept for the debug log.
type panicError struct {
	source string
	value  any
	stack  []byte
}

func (e *panicError) Error() string {
	return fmt.Sprintf("extract %s: extractor panic: %v (a bug in nianbao; the page is kept and retried by the next extractor version)", e.source, e.value)
}
