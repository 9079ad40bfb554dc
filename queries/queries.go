package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The queries, and the CTE fragments they share (include/NAME.sql, pulled
// in by a body line `-- include: NAME`).
//
//go:embed *.sql include/*.sql indicator/*.sql
var files embed.FS

// Kinds of query, from the `-- kind:` header line.
const (
	KindCheck  = "check"  // returns failing rows only, in the check shape
	KindReport = "report" // a comparison or listing for researchers
)

// Severities of a check's failing rows (the `severity` column), most
// serious first: the order `nianbao check` lists them in.
const (
	SeverityError         = "error"          // the printed cells do not balance
	SeverityUncertain     = "uncertain"      // a blank cell on the smaller side could make it balance
	SeverityNotAssessable = "not_assessable" // a table the rule needs is missing or unreadable
	SeverityWarn          = "warn"           // heuristics (carry-over across years, deadlines, …)
)

// Severities lists every severity, most serious first.
var Severities = []string{SeverityError, SeverityUncertain, SeverityNotAssessable, SeverityWarn}

// Param is one named parameter of a query, bound as $Name in its SQL.
// In the header it reads `name: description`, or with a closed set of
// values and a default `name {a|b|c} = a: description`. The parameter
// indicator of a query over the indicators takes its values from the
// files of indicator/ ([IndicatorNames]).
type Param struct {
	Name        string
	Description string
	Values      []string // the allowed values; nil = any (year: a whole number)
	Default     string   // the value the query uses when none is given ("" = no filter)
}

// ParamError is a parameter value a query does not accept.
type ParamError struct {
	Query, Param, Value string
	Want                string // what it accepts, in words
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%s: %s=%q is not accepted; want %s", e.Query, e.Param, e.Value, e.Want)
}

// Allowed says in words what the parameter accepts, with its default.
func (p Param) Allowed() string {
	var s string
	switch {
	case len(p.Values) > 0:
		s = strings.Join(p.Values, ", ")
	case p.Name == "year":
		s = "a year such as 2021"
	case p.Name == "region":
		s = "a region code or name such as 4107 or 新乡市 (and below it)"
	default:
		s = "any text"
	}
	if p.Default != "" {
		s += " (default " + p.Default + ")"
	}
	return s
}

// CheckParam validates one parameter value of q: a name q declares, one of
// its values when they are closed, a whole number for year. "" (not given)
// is always accepted.
func (q Query) CheckParam(name, value string) error {
	for _, p := range q.Params {
		if p.Name != name {
			continue
		}
		if value == "" {
			return nil
		}
		ok := true
		switch {
		case len(p.Values) > 0:
			ok = slices.Contains(p.Values, value)
		case p.Name == "year":
			y, err := strconv.Atoi(value)
			ok = err == nil && y > 0 && y < 10000
		}
		if !ok {
			return &ParamError{Query: q.Name, Param: name, Value: value, Want: p.Allowed()}
		}
		return nil
	}
	want := "no parameters"
	if len(q.Params) > 0 {
		want = "one of " + strings.Join(q.ParamNames(), ", ")
	}
	return &ParamError{Query: q.Name, Param: name, Value: value, Want: want}
}

// Query is one canned SQL file. Name is the file name without ".sql" and the
// CLI name (`nianbao check --rule NAME`, `nianbao report NAME`).
type Query struct {
	Name        string
	Kind        string // KindCheck or KindReport
	Description string // one line
	Returns     string // what one output row means
	Params      []Param
	SQL         string // the whole file, header included, includes expanded
}

// Param reports whether q declares the parameter name.
func (q Query) Param(name string) bool {
	for _, p := range q.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// ParamNames lists the declared parameter names in header order.
func (q Query) ParamNames() []string {
	names := make([]string, len(q.Params))
	for i, p := range q.Params {
		names[i] = p.Name
	}
	return names
}

// All returns every embedded query, checks first, then reports, each group
// sorted by name. It panics if a file's header is malformed: the files are
// compiled in, so that is a programming error caught by the package tests.
func All() []Query {
	qs, err := load(files)
	if err != nil {
		panic(err)
	}
	return qs
}

// Get returns the query called name.
func Get(name string) (Query, bool) {
	for _, q := range All() {
		if q.Name == name {
			return q, true
		}
	}
	return Query{}, false
}

// Names lists the names of the queries of the given kind ("" for all).
func Names(kind string) []string {
	var names []string
	for _, q := range All() {
		if kind == "" || q.Kind == kind {
			names = append(names, q.Name)
		}
	}
	return names
}

func load(fsys fs.FS) ([]Query, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	qs := make([]Query, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("queries: read %s: %w", name, err)
		}
		q, err := Parse(strings.TrimSuffix(path.Base(name), ".sql"), string(b))
		if err != nil {
			return nil, err
		}
		var usesIndicators bool
		if q.SQL, err = expand(fsys, name, q.SQL, &usesIndicators); err != nil {
			return nil, err
		}
		if usesIndicators {
			if err := closeIndicatorParam(fsys, &q); err != nil {
				return nil, err
			}
		}
		qs = append(qs, q)
	}
	sort.SliceStable(qs, func(i, j int) bool {
		if qs[i].Kind != qs[j].Kind {
			return qs[i].Kind == KindCheck
		}
		return qs[i].Name < qs[j].Name
	})
	return qs, nil
}

// Parse reads the header block of one SQL file: the leading `-- key: value`
// comment lines. A comment line indented by more than one space continues the
// previous key. Params are "name: description" pairs separated by ";", or
// "none". The name header must match fileName.
func Parse(fileName, sql string) (Query, error) {
	q := Query{SQL: sql}
	seen, err := readHeader(fileName, sql)
	if err != nil {
		return Query{}, err
	}
	for _, k := range []string{"name", "kind", "description", "params", "returns"} {
		if seen[k] == "" {
			return Query{}, fmt.Errorf("queries: %s.sql: header lacks `-- %s:`", fileName, k)
		}
	}
	q.Name, q.Kind, q.Description, q.Returns = seen["name"], seen["kind"], seen["description"], seen["returns"]
	if q.Name != fileName {
		return Query{}, fmt.Errorf("queries: %s.sql: header name %q differs from the file name", fileName, q.Name)
	}
	if q.Kind != KindCheck && q.Kind != KindReport {
		return Query{}, fmt.Errorf("queries: %s.sql: kind %q is neither %q nor %q", fileName, q.Kind, KindCheck, KindReport)
	}
	if p := seen["params"]; p != "none" {
		for _, item := range strings.Split(p, ";") {
			head, desc, _ := strings.Cut(item, ":")
			param, err := parseParamHead(strings.TrimSpace(head))
			desc = strings.TrimSpace(desc)
			if err != nil || desc == "" {
				return Query{}, fmt.Errorf("queries: %s.sql: param %q is not `name: description` or `name {a|b} = a: description`", fileName, strings.TrimSpace(item))
			}
			if q.Param(param.Name) {
				return Query{}, fmt.Errorf("queries: %s.sql: param %q declared twice", fileName, param.Name)
			}
			param.Description = desc
			q.Params = append(q.Params, param)
		}
	}
	return q, nil
}

// readHeader reads the leading `-- key: value` comment lines of a file
// (see Parse).
func readHeader(fileName, sql string) (map[string]string, error) {
	seen := map[string]string{}
	var last string
	for _, line := range strings.Split(sql, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if !strings.HasPrefix(line, "--") {
			break
		}
		body := strings.TrimPrefix(line, "--")
		if strings.HasPrefix(body, "  ") && last != "" {
			seen[last] += " " + strings.TrimSpace(body)
			continue
		}
		key, val, ok := strings.Cut(strings.TrimSpace(body), ":")
		key = strings.TrimSpace(key)
		if !ok || strings.ContainsAny(key, " \t") {
			last = ""
			continue // a plain comment inside the header
		}
		if _, dup := seen[key]; dup {
			return nil, fmt.Errorf("queries: %s.sql: header key %q given twice", fileName, key)
		}
		seen[key] = strings.TrimSpace(val)
		last = key
	}
	return seen, nil
}

// paramHead matches `name`, `name {a|b|c}` and `name {a|b|c} = a`.
var paramHead = regexp.MustCompile(`^([a-z_][a-z0-9_]*)(?:\s*\{([^}]*)\})?(?:\s*=\s*(\S+))?$`)

func parseParamHead(head string) (Param, error) {
	m := paramHead.FindStringSubmatch(head)
	if m == nil {
		return Param{}, fmt.Errorf("bad param head %q", head)
	}
	p := Param{Name: m[1], Default: m[3]}
	if m[2] != "" {
		for _, v := range strings.Split(m[2], "|") {
			if v = strings.TrimSpace(v); v != "" {
				p.Values = append(p.Values, v)
			}
		}
	}
	if p.Default != "" && len(p.Values) > 0 && !slices.Contains(p.Values, p.Default) {
		return Param{}, fmt.Errorf("default %q not among the values", p.Default)
	}
	return p, nil
}

// closeIndicatorParam gives the parameter indicator of a query over the
// indicators its closed set of values: the names of indicator/ (files and
// what they yield), which the header cannot list without naming them a
// second time, and AllIndicators. A header that lists values itself keeps
// them.
func closeIndicatorParam(fsys fs.FS, q *Query) error {
	for i, p := range q.Params {
		if p.Name != "indicator" || len(p.Values) > 0 {
			continue
		}
		inds, err := loadIndicators(fsys)
		if err != nil {
			return err
		}
		q.Params[i].Values = append(indicatorNames(inds), AllIndicators)
		if d := q.Params[i].Default; d != "" && !slices.Contains(q.Params[i].Values, d) {
			return fmt.Errorf("queries: %s.sql: indicator default %q is no indicator", q.Name, d)
		}
	}
	return nil
}

// expand replaces each body line `-- include: NAME` with include/NAME.sql,
// so the checks share one definition of their scope and output shape while
// Query.SQL stays a complete statement. *indicators is set when the SQL
// includes the indicators (IndicatorsInclude).
func expand(fsys fs.FS, file, sql string, indicators *bool) (string, error) {
	lines := strings.Split(sql, "\n")
	for i, line := range lines {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), "-- include:")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		if name == IndicatorsInclude {
			inds, err := loadIndicators(fsys)
			if err != nil {
				return "", err
			}
			lines[i] = indicatorUnion(inds)
			*indicators = true
			continue
		}
		b, err := fs.ReadFile(fsys, "include/"+name+".sql")
		if err != nil {
			return "", fmt.Errorf("queries: %s line %d: include %q: %w", file, i+1, name, err)
		}
		// An include may include others.
		inner, err := expand(fsys, "include/"+name+".sql", strings.TrimRight(string(b), "\n"), indicators)
		if err != nil {
			return "", err
		}
		lines[i] = inner
	}
	return strings.Join(lines, "\n"), nil
}
