// Package docs embeds the database documentation (schema.md), so that
// `nianbao sql --help` lists every table and view from the one place they
// are described.
package docs

import (
	_ "embed"
	"regexp"
	"strings"
)

//go:embed schema.md
var schema string

// Relation is one table or view heading of schema.md.
type Relation struct {
	Names   []string // `t2_wide`, `t3_wide`, … share one heading
	Summary string   // the heading's text after the dash
	Section string   // Dimensions, Facts, Derived facts, Views, …
}

var heading = regexp.MustCompile("^### (.+?) — (.+)$")

// Relations lists the tables and views schema.md documents, in its order.
func Relations() []Relation {
	var out []Relation
	section := ""
	for _, line := range strings.Split(schema, "\n") {
		if s, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.TrimSpace(s)
			if i := strings.Index(section, " ("); i > 0 {
				section = section[:i]
			}
			continue
		}
		m := heading.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var names []string
		for _, n := range strings.Split(m[1], ",") {
			n = strings.Trim(strings.TrimSpace(n), "`")
			if n != "" {
				names = append(names, n)
			}
		}
		out = append(out, Relation{Names: names, Summary: strings.TrimSpace(m[2]), Section: section})
	}
	return out
}

// Summary is the list of tables and views for help text: one line each,
// grouped by section, pointing to docs/schema.md for the columns.
func Summary() string {
	var b strings.Builder
	b.WriteString("Tables and views (columns and examples: docs/schema.md):\n")
	section := ""
	for _, r := range Relations() {
		if r.Section != section {
			section = r.Section
			b.WriteString("  " + section + ":\n")
		}
		b.WriteString("    " + strings.Join(r.Names, ", ") + " — " + r.Summary + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
