// Package output writes query results as an aligned table, CSV, JSON lines or
// Markdown. Values arrive exact (decimals as strings) and are printed as
// they are: nothing passes through float64.
//
//	err := output.Write(os.Stdout, output.Table, cols, rows, output.Options{})
package output

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// Format names an output format as the --format flag spells it.
type Format string

// The formats nianbao prints; the names follow DuckDB's CLI modes.
const (
	Table    Format = "table"
	CSV      Format = "csv"
	JSON     Format = "json"
	Markdown Format = "md"
)

// ParseFormat validates a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, CSV, JSON, Markdown:
		return f, nil
	case "markdown":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown format %q: want table, csv, json or md", s)
}

// Options tune [Write]. The zero value suits a pipe.
type Options struct {
	// Excel prefixes CSV with a UTF-8 byte-order mark so Excel reads Chinese
	// text correctly; off by default because other tools choke on it.
	Excel bool
	// Null is how table and md print NULL; default "NULL". CSV writes an
	// empty field and JSON writes null.
	Null string
	// Numeric marks the columns (by index) whose values are SQL numbers.
	// JSON prints their values as JSON numbers when that is exact (see
	// [JSONNumber]); other columns' values stay strings even when they look
	// like numbers ("0101" is a code, not 101).
	Numeric []bool
}

// Write prints rows (one []any per row, aligned with cols) to w.
func Write(w io.Writer, f Format, cols []string, rows [][]any, opts Options) error {
	s, err := NewStream(w, f, cols, opts)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := s.Row(r); err != nil {
			return err
		}
	}
	return s.Close()
}

// Stream prints rows as they come: CSV and JSON at once, so that a
// national query of millions of rows is never held in memory; table and
// Markdown at Close, since their columns are as wide as the widest value.
type Stream struct {
	f    Format
	w    io.Writer
	bw   *bufio.Writer
	cols []string
	opts Options
	cw   *csv.Writer
	rec  []string
	keys []string // JSON: each column's quoted name and colon
	grid *grid    // table and Markdown
	err  error
}

// NewStream starts printing rows of cols to w in format f; Close ends it.
func NewStream(w io.Writer, f Format, cols []string, opts Options) (*Stream, error) {
	if opts.Null == "" {
		opts.Null = "NULL"
	}
	s := &Stream{f: f, w: w, cols: cols, opts: opts}
	switch f {
	case CSV:
		s.bw = bufio.NewWriterSize(w, 64<<10)
		if opts.Excel {
			s.bw.WriteString("\ufeff")
		}
		s.cw = csv.NewWriter(s.bw)
		s.rec = make([]string, len(cols)) // csv.Writer.Write does not keep it
		s.err = s.cw.Write(cols)
	case JSON:
		s.bw = bufio.NewWriterSize(w, 64<<10)
		s.keys = make([]string, len(cols))
		for j, c := range cols {
			k, _ := json.Marshal(c)
			s.keys[j] = string(k) + ":"
		}
	case Table, Markdown:
		s.grid = newGrid(cols)
	default:
		return nil, fmt.Errorf("unknown format %q", f)
	}
	return s, s.err
}

// Row prints (or, for table and Markdown, keeps) one row; the first error
// writing ends the stream and is returned again by every later call.
func (s *Stream) Row(r []any) error {
	if s.err != nil {
		return s.err
	}
	switch s.f {
	case CSV:
		s.rec = s.rec[:0]
		for _, v := range r {
			t, _ := Text(v)
			s.rec = append(s.rec, t)
		}
		s.err = s.cw.Write(s.rec)
	case JSON:
		s.bw.WriteByte('{')
		for j := range s.cols {
			if j > 0 {
				s.bw.WriteByte(',')
			}
			s.bw.WriteString(s.keys[j])
			var v any
			if j < len(r) {
				v = r[j]
			}
			_, s.err = s.bw.WriteString(jsonValue(v, j < len(s.opts.Numeric) && s.opts.Numeric[j]))
		}
		_, s.err = s.bw.WriteString("}\n")
	default:
		s.grid.add(r, s.opts.Null)
	}
	return s.err
}

// Close prints what is kept and flushes.
func (s *Stream) Close() error {
	if s.err != nil {
		return s.err
	}
	switch s.f {
	case CSV:
		s.cw.Flush()
		if s.err = s.cw.Error(); s.err == nil {
			s.err = s.bw.Flush()
		}
	case JSON:
		s.err = s.bw.Flush()
	case Table:
		s.err = writeTable(s.w, s.cols, s.grid)
	case Markdown:
		s.err = writeMarkdown(s.w, s.cols, s.grid)
	}
	return s.err
}

// Text renders one value exactly; ok is false for NULL.
func Text(v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case []byte:
		return string(x), true
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02"), true
		}
		return x.Format("2006-01-02 15:04:05"), true
	case int64:
		// The common types first, without fmt: a national query prints
		// millions of them.
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int:
		return strconv.Itoa(x), true
	case bool:
		return strconv.FormatBool(x), true
	case *big.Int:
		return x.String(), true
	case fmt.Stringer:
		return x.String(), true
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i], _ = Text(e)
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	return fmt.Sprint(v), true
}

// width is the display width of s: East Asian wide characters take two
// columns.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return runewidth.StringWidth(s)
		}
	}
	return len(s) // ASCII: one column a byte, without runewidth's cost
}

// pad writes s padded with spaces to display width w.
func pad(b *bufio.Writer, s string, w int, right bool) {
	gap := w - width(s)
	if right {
		writeSpaces(b, gap)
	}
	b.WriteString(s)
	if !right {
		writeSpaces(b, gap)
	}
}

func writeSpaces(b *bufio.Writer, n int) {
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
}

// lineBreaks turns line breaks and tabs into spaces (built once: a
// Replacer per value was a third of a 300,000-row table's time).
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return lineBreaks.Replace(s)
}

// grid is what a table or Markdown keeps: each row's cells as printed,
// and per column the widest cell and whether every value is a number.
type grid struct {
	cells   [][]string
	widths  []int
	seen    []bool // a value that is neither NULL nor empty
	notNum  []bool // a value that is not a number
	numeric []bool // set by done: seen and never notNum
}

func newGrid(cols []string) *grid {
	g := &grid{widths: make([]int, len(cols)), seen: make([]bool, len(cols)), notNum: make([]bool, len(cols))}
	for j, c := range cols {
		g.widths[j] = width(c)
	}
	return g
}

func (g *grid) add(r []any, null string) {
	row := make([]string, len(r))
	for j, v := range r {
		s, ok := Text(v)
		if !ok {
			s = null
		}
		s = oneLine(s)
		row[j] = s
		if j >= len(g.widths) {
			continue
		}
		if w := width(s); w > g.widths[j] {
			g.widths[j] = w
		}
		if s != null && s != "" {
			g.seen[j] = true
			if !g.notNum[j] && !isNumber(s) {
				g.notNum[j] = true
			}
		}
	}
	g.cells = append(g.cells, row)
}

func (g *grid) isNumeric(j int) bool { return g.seen[j] && !g.notNum[j] }

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	dot := false
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

func writeTable(w io.Writer, cols []string, g *grid) error {
	b := bufio.NewWriterSize(w, 64<<10)
	line := func(vals []string, header bool) {
		for j := range cols {
			v := ""
			if j < len(vals) {
				v = vals[j]
			}
			if j > 0 {
				b.WriteString("  ")
			}
			right := !header && g.isNumeric(j)
			if j == len(cols)-1 && !right {
				b.WriteString(strings.TrimRight(v, " ")) // no trailing spaces
				continue
			}
			pad(b, v, g.widths[j], right)
		}
		b.WriteByte('\n')
	}
	line(cols, true)
	rule := make([]string, len(cols))
	for j := range cols {
		rule[j] = strings.Repeat("-", g.widths[j])
	}
	line(rule, true)
	for _, r := range g.cells {
		line(r, false)
	}
	if len(g.cells) != 1 {
		fmt.Fprintf(b, "(%d rows)\n", len(g.cells))
	} else {
		b.WriteString("(1 row)\n")
	}
	return b.Flush()
}

func jsonValue(v any, numeric bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(x, 10)
	case bool, int, int8, int16, int32, uint, uint8, uint16, uint32, uint64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	s, _ := Text(v)
	if numeric && JSONNumber(s) {
		return s
	}
	if plainJSON(s) {
		return `"` + s + `"`
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// plainJSON reports whether json.Marshal would print s between quotes
// unchanged: valid UTF-8 without control characters, quotes, backslashes,
// the HTML characters it escapes, or U+2028/U+2029. Most values are, and
// skipping Marshal for them halves a large JSON output's time.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
			return false
		}
	}
	return utf8.ValidString(s)
}

// JSONNumber reports whether the exact decimal s can be written as a JSON
// number without losing digits: most JSON readers parse numbers into
// float64, so s qualifies only when float64 gives it back unchanged
// ("4166.241619" does; "12345678901234.123456" does not and stays a string).
func JSONNumber(s string) bool {
	if !isNumber(s) || strings.HasPrefix(s, "+") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	return strconv.FormatFloat(f, 'f', -1, 64) == s
}

func writeMarkdown(w io.Writer, cols []string, g *grid) error {
	esc := strings.NewReplacer("|", `\|`)
	b := bufio.NewWriterSize(w, 64<<10)
	b.WriteString("|")
	for _, c := range cols {
		b.WriteString(" " + esc.Replace(c) + " |")
	}
	b.WriteString("\n|")
	for j := range cols {
		if g.isNumeric(j) {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range g.cells {
		b.WriteString("|")
		for j := range cols {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			b.WriteString(" " + esc.Replace(v) + " |")
		}
		b.WriteString("\n")
	}
	return b.Flush()
}
