package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// Source kinds: what a report was read from (Report.Kind). The warehouse
// and the status counts use these words.
const (
	KindHTML = "html"
	KindText = "text"
	KindPDF  = "pdf"
	KindDOCX = "docx"
	KindXLSX = "xlsx"
	KindDOC  = "doc"
	KindWPS  = "wps"
	KindXLS  = "xls"
	KindOFD  = "ofd"
	KindZIP  = "zip" // a zip that is none of the above
)

// Kinds lists every source kind, in the order reports count them.
var Kinds = []string{KindHTML, KindText, KindPDF, KindDOCX, KindXLSX, KindDOC, KindWPS, KindXLS, KindOFD, KindZIP}

// Warning codes of attachments.
const (
	WarnNeedsConverter = "needs_converter"
	WarnUnreadable     = "unreadable_attachment"
	WarnPagesSkipped   = "pages_skipped"
)

// ConverterPackages names the Debian packages that provide the converter
// for each legacy kind, for the needs_converter warning.
var ConverterPackages = map[string]string{
	KindDOC: "libreoffice-writer-nogui",
	KindWPS: "libreoffice-writer-nogui",
	KindXLS: "libreoffice-calc-nogui",
}

// Converter turns a legacy binary Office file into its XML successor:
// kind is KindDOC, KindWPS or KindXLS; the result is a DOCX (for doc and
// wps) or XLSX (for xls). Implementations run an external program (see
// package internal/soffice); Parse stays free of processes.
type Converter interface {
	Convert(ctx context.Context, kind string, body []byte) ([]byte, error)
}

// ErrNoConverter is returned by a Converter whose program is not
// installed; Parse turns it into the needs_converter warning.
var ErrNoConverter = fmt.Errorf("converter not installed")

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff decides an input's kind from its bytes; the Content-Type and the
// file name only separate kinds whose bytes look alike (HTML from text, a
// .wps from a .doc).
func Sniff(body []byte, contentType, source string) string {
	head := body[:min(len(body), 1024)]
	ext := strings.ToLower(path.Ext(strings.SplitN(source, "?", 2)[0]))
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return KindPDF
	case bytes.HasPrefix(body, []byte("PK\x03\x04")):
		return sniffZip(body)
	case bytes.HasPrefix(body, oleMagic):
		switch {
		case ext == ".wps":
			return KindWPS
		case ext == ".xls" || ext == ".et" || bytes.Contains(body, utf16("Workbook")) || bytes.Contains(body, utf16("Book")) && !bytes.Contains(body, utf16("WordDocument")):
			return KindXLS
		}
		return KindDOC
	}
	if looksLikeText(body, contentType, source) {
		return KindText
	}
	return KindHTML
}

func utf16(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		out = append(out, c, 0)
	}
	return out
}

// sniffZip tells DOCX, XLSX and OFD apart by their entries.
func sniffZip(body []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return KindZIP
	}
	for _, f := range zr.File {
		switch name := strings.ToLower(f.Name); {
		case name == "word/document.xml":
			return KindDOCX
		case name == "xl/workbook.xml":
			return KindXLSX
		case name == "ofd.xml":
			return KindOFD
		}
	}
	return KindZIP
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// readAttachment reads a file that is not a web page into a page of
// blocks, or returns nil (with a warning on rep) when nothing can be read.
func readAttachment(rep *Report, in Input, kind string) *page {
	warn := func(code, msg string) {
		rep.Warnings = append(rep.Warnings, Warning{Code: code, Message: msg})
	}
	ctx := context.Background()
	switch kind {
	case KindDOC, KindWPS, KindXLS:
		pkg := ConverterPackages[kind]
		if in.Converter == nil {
			warn(WarnNeedsConverter, fmt.Sprintf("a .%s file needs LibreOffice to be read: install %s", kind, pkg))
			return nil
		}
		out, err := in.Converter.Convert(ctx, kind, in.Body)
		if err != nil {
			if err == ErrNoConverter {
				warn(WarnNeedsConverter, fmt.Sprintf("a .%s file needs LibreOffice to be read: install %s", kind, pkg))
			} else {
				warn(WarnUnreadable, fmt.Sprintf("convert .%s: %v", kind, err))
			}
			return nil
		}
		to := KindDOCX
		if kind == KindXLS {
			to = KindXLSX
		}
		return readAttachment(rep, Input{Source: in.Source, Body: out}, to)
	case KindPDF:
		doc, err := readPDFWith(ctx, in.Body, in.pdfEngine)
		if err != nil {
			warn(WarnUnreadable, fmt.Sprintf("read pdf: %v", err))
			return nil
		}
		if doc.chars == 0 {
			warn(WarnTablesAreImages, fmt.Sprintf("no text layer: the tables are images (a scan) on the PDF's pages (%d pages); nothing read", doc.pageCount))
			return nil
		}
		if doc.pageCount > len(doc.pages) {
			warn(WarnPagesSkipped, fmt.Sprintf("only the first %d of %d pages read", len(doc.pages), doc.pageCount))
		}
		// images: a PDF whose prose is text but whose tables were pasted
		// as pictures is told apart from one with no tables at all.
		p := &page{images: doc.images}
		layoutPages(p, doc.pages)
		return p
	case KindDOCX:
		p, err := readDOCX(in.Body)
		if err != nil {
			warn(WarnUnreadable, fmt.Sprintf("read docx: %v", err))
			return nil
		}
		return p
	case KindXLSX:
		p, err := readXLSX(in.Body)
		if err != nil {
			warn(WarnUnreadable, fmt.Sprintf("read xlsx: %v", err))
			return nil
		}
		return p
	case KindOFD:
		pages, err := readOFD(in.Body)
		if err != nil {
			warn(WarnUnreadable, fmt.Sprintf("read ofd: %v", err))
			return nil
		}
		p := &page{}
		for _, lp := range pages {
			p.images += lp.images
		}
		layoutPages(p, pages)
		return p
	}
	warn(WarnUnreadable, "a zip archive that is not DOCX, XLSX or OFD")
	return nil
}
