// Package output writes query results as an aligned table, CSV, JSON lines or
// Markdown. Values arrive exact (decimals as strings) and are printed as
// they are: nothing passes through float64.
//
//	err := output.Write(os.Stdout, output.Table, cols, rows, output.Options{})
package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

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
	if opts.Null == "" {
		opts.Null = "NULL"
	}
	switch f {
	case Table:
		return writeTable(w, cols, rows, opts)
	case CSV:
		return writeCSV(w, cols, rows, opts)
	case JSON:
		return writeJSON(w, cols, rows, opts.Numeric)
	case Markdown:
		return writeMarkdown(w, cols, rows, opts)
	}
	return fmt.Errorf("unknown format %q", f)
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

// width is the display width of s: East Asian wide characters take two columns.
func width(s string) int { return runewidth.StringWidth(s) }

func pad(s string, w int, right bool) string {
	gap := w - width(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
}

func cellsOf(rows [][]any, null string) ([][]string, []bool) {
	out := make([][]string, len(rows))
	var numeric []bool
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			s, ok := Text(v)
			if !ok {
				s = null
			}
			out[i][j] = oneLine(s)
		}
	}
	if len(rows) > 0 {
		numeric = make([]bool, len(rows[0]))
		for j := range numeric {
			numeric[j] = true
			seen := false
			for _, r := range out {
				if j < len(r) && r[j] != null && r[j] != "" {
					seen = true
					if !isNumber(r[j]) {
						numeric[j] = false
						break
					}
				}
			}
			numeric[j] = numeric[j] && seen
		}
	}
	return out, numeric
}

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

func writeTable(w io.Writer, cols []string, rows [][]any, opts Options) error {
	cells, numeric := cellsOf(rows, opts.Null)
	widths := make([]int, len(cols))
	for j, c := range cols {
		widths[j] = width(c)
	}
	for _, r := range cells {
		for j := range cols {
			if j < len(r) && width(r[j]) > widths[j] {
				widths[j] = width(r[j])
			}
		}
	}
	var b strings.Builder
	line := func(vals []string, header bool) {
		for j := range cols {
			v := ""
			if j < len(vals) {
				v = vals[j]
			}
			if j > 0 {
				b.WriteString("  ")
			}
			right := !header && numeric != nil && numeric[j]
			s := pad(v, widths[j], right)
			if j == len(cols)-1 && !right {
				s = strings.TrimRight(s, " ")
			}
			b.WriteString(s)
		}
		b.WriteString("\n")
	}
	line(cols, true)
	rule := make([]string, len(cols))
	for j := range cols {
		rule[j] = strings.Repeat("-", widths[j])
	}
	line(rule, true)
	for _, r := range cells {
		line(r, false)
	}
	if len(rows) != 1 {
		fmt.Fprintf(&b, "(%d rows)\n", len(rows))
	} else {
		b.WriteString("(1 row)\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCSV(w io.Writer, cols []string, rows [][]any, opts Options) error {
	if opts.Excel {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	rec := make([]string, len(cols)) // csv.Writer.Write does not keep it
	for _, r := range rows {
		rec = rec[:len(r)]
		for j, v := range r {
			rec[j], _ = Text(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, cols []string, rows [][]any, numeric []bool) error {
	for _, r := range rows {
		var b strings.Builder
		b.WriteByte('{')
		for j, c := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(c)
			b.Write(k)
			b.WriteByte(':')
			var v any
			if j < len(r) {
				v = r[j]
			}
			b.WriteString(jsonValue(v, j < len(numeric) && numeric[j]))
		}
		b.WriteString("}\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func jsonValue(v any, numeric bool) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	s, _ := Text(v)
	if numeric && JSONNumber(s) {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
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

func writeMarkdown(w io.Writer, cols []string, rows [][]any, opts Options) error {
	cells, numeric := cellsOf(rows, opts.Null)
	esc := strings.NewReplacer("|", `\|`)
	var b strings.Builder
	b.WriteString("|")
	for _, c := range cols {
		b.WriteString(" " + esc.Replace(c) + " |")
	}
	b.WriteString("\n|")
	for j := range cols {
		if numeric != nil && numeric[j] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range cells {
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
	_, err := io.WriteString(w, b.String())
	return err
}
