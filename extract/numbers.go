package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cellKind classifies a table cell's text.
type cellKind uint8

const (
	kindEmpty       cellKind = iota // nothing printed
	kindPlaceholder                 // "—", "-", "/", "无", "N/A": printed, but no value
	kindNumber                      // a decimal, possibly signed, with a unit
	kindText                        // anything else (a label, or garbage in a value cell)
)

// value is a parsed cell: the exact decimal string (no float ever) and the
// unit printed in the cell, if any.
type value struct {
	kind cellKind
	num  string // canonical decimal when kind == kindNumber
	unit string // 件, 项, 元, 万元, 个 when printed in the cell
}

// isPlaceholder reports the texts printed in place of zero or "not
// applicable"; they mean no value, never zero (format.md §8.16). A switch,
// not a map: every cell is checked.
func isPlaceholder(s string) bool {
	switch s {
	case "-", "—", "——", "–", "―", "/", "\\", "无", "N/A", "n/a", "NA", "--", "×", "…":
		return true
	}
	return false
}

// units that may trail a number in a cell, longest first so 万元 wins over 元.
var cellUnits = []string{"万元", "件", "项", "元", "个", "条"}

// clean NFKC-normalises s, folds every run of white space (including the
// NBSP and U+3000 that Word pads cells with) into one space and trims it.
func clean(s string) string {
	kind, tidy := scanText(s)
	switch {
	case kind == nfkcSame && tidy:
		return s // most cells: no copy
	case kind == nfkcFull:
		s = norm.NFKC.String(s)
	}
	// nfkcSimple: full-width forms and padding spaces only, mapped below,
	// far cheaper than the normaliser.
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = simpleNFKC(r)
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// What NFKC does to a string, as far as scanText can tell cheaply.
const (
	nfkcSame   = iota // unchanged
	nfkcSimple        // only runes simpleNFKC maps
	nfkcFull          // anything else: run the normaliser
)

// scanText classifies s in one pass: what NFKC does to it (by a range
// check, much cheaper than the normaliser's table lookups: ASCII, CJK
// unified ideographs and common Chinese punctuation with no compatibility
// mapping are left as they are; full-width ASCII forms, NBSP and U+3000
// have one-rune mappings, see simpleNFKC; any other rune needs the
// normaliser; neither kind composes with a neighbour, so a string of them
// maps rune by rune), and whether its white space is already folded and
// trimmed (tidy). tidy is meaningless for nfkcFull.
func scanText(s string) (kind int, tidy bool) {
	tidy = true
	prevSpace := true // a leading space is not tidy
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ':
				tidy = tidy && !prevSpace
				prevSpace = true
			case c < ' ' || c == 0x7f:
				tidy = tidy && !isSpace(rune(c))
				prevSpace = false
			default:
				prevSpace = false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		prevSpace = false
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
		case r == '、' || r == '。' || r == '《' || r == '》' || r == '“' || r == '”' ||
			r == '‘' || r == '’' || r == '—' || r == '〈' || r == '〉' || r == '「' || r == '」':
		case simpleNFKC(r) != r:
			kind = nfkcSimple
		case isSpace(r):
			tidy = false
		default:
			return nfkcFull, false
		}
	}
	return kind, tidy && (!prevSpace || s == "")
}

// quickNFKC is scanText's NFKC class of s.
func quickNFKC(s string) int {
	kind, _ := scanText(s)
	return kind
}

// simpleNFKC is NFKC for the runes it maps to one rune: full-width ASCII
// (U+FF01–U+FF5E, e.g. （ ） ： ， ０–９), NBSP and the ideographic space.
// Other runes are returned as they are.
func simpleNFKC(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0xA0 || r == 0x3000:
		return ' '
	}
	return r
}

// shortText reports whether cleaned text s has at most n runes besides its
// spaces, without squeezing or counting all of a long paragraph: headings
// are looked for in every paragraph.
func shortText(s string, n int) bool {
	if len(s) <= n {
		return true
	}
	for _, r := range s {
		if r == ' ' {
			continue
		}
		if n--; n < 0 {
			return false
		}
	}
	return true
}

// squeeze drops every space from an already cleaned string: Word splits
// numbers and labels over spans and pads them with &nbsp;.
func squeeze(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	return strings.ReplaceAll(s, " ", "")
}

// parseValue reads one cleaned cell text. It accepts thousands separators,
// a leading + or -, one decimal point and a trailing unit, and returns the
// decimal without leading or trailing fractional zeros.
func parseValue(text string) value {
	if plainInt(text) {
		return value{kind: kindNumber, num: text} // most value cells
	}
	s := squeeze(text)
	if s == "" {
		return value{kind: kindEmpty}
	}
	if isPlaceholder(s) {
		return value{kind: kindPlaceholder}
	}
	if c := s[0]; c != '+' && c != '-' && c != '.' && (c < '0' || c > '9') {
		return value{kind: kindText} // labels: no number starts like this
	}
	var unit string
	for _, u := range cellUnits {
		if strings.HasSuffix(s, u) && len(s) > len(u) {
			unit, s = u, s[:len(s)-len(u)]
			break
		}
	}
	if num, ok := canonicalDecimal(s); ok {
		return value{kind: kindNumber, num: num, unit: unit}
	}
	return value{kind: kindText}
}

// canonicalDecimal validates s as [+-]digits[.digits] (with optional
// thousands commas in the integer part) and returns its canonical form:
// "+007.50" → "7.5", "-0" → "0", "1,234" → "1234".
func canonicalDecimal(s string) (string, bool) {
	if plainInt(s) {
		return s, true // most cells: "0", "12"; no copy
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return "", false
	}
	var ib strings.Builder
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		switch {
		case c >= '0' && c <= '9':
			ib.WriteByte(c)
		case c == ',' && i > 0 && i < len(intPart)-1:
		default:
			return "", false
		}
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return "", false
		}
	}
	digits := strings.TrimLeft(ib.String(), "0")
	if digits == "" {
		digits = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := digits
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, true
}

// plainInt reports digits only, without a superfluous leading zero.
func plainInt(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// shiftDecimal multiplies the canonical decimal s by 10^n exactly, by moving
// the decimal point: 万元 → 元 is shiftDecimal(s, 4).
func shiftDecimal(s string, n int) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	for ; n > 0; n-- {
		if frac != "" {
			intPart, frac = intPart+frac[:1], frac[1:]
		} else {
			intPart += "0"
		}
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	canon, _ := canonicalDecimal(out)
	if neg && canon != "0" {
		canon = "-" + canon
	}
	return canon
}
