package extract

import (
	_ "embed"
	"strings"
)

//go:embed codebook.tsv
var codebookTSV string

// CodebookEntry is one line of codebook.tsv: a row or column code of table
// t2, t3 or t4, the format versions that print it and its official label.
type CodebookEntry struct {
	Kind    string   // "row" or "col"
	Table   string   // "t2", "t3", "t4"
	Code    string   // e.g. "denied.state_secret", "review.total"
	Formats []string // e.g. ["2019", "2021"]; ["none"] for legal_subtotal
	Label   string
}

// Codebook returns the canonical codes, parsed from the embedded
// codebook.tsv, in file order. Each call returns a fresh slice.
func Codebook() []CodebookEntry {
	var out []CodebookEntry
	for _, line := range strings.Split(codebookTSV, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			continue
		}
		out = append(out, CodebookEntry{
			Kind: f[0], Table: f[1], Code: f[2],
			Formats: strings.Split(f[3], ","), Label: f[4],
		})
	}
	return out
}
