package queries

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// AllIndicators is the value of the parameter indicator that asks for
// every indicator (its default is one indicator: the query's header says
// which).
const AllIndicators = "all"

// IndicatorsInclude is the body line (`-- include: indicator_values`) that
// expands to one CTE, indicator_values, the union of every indicator file
// in indicator/: one row per indicator and report in the CTE scope, with
// columns indicator, file, unit, factor, covariate, report_id, numerator,
// denominator.
const IndicatorsInclude = "indicator_values"

// Indicator is one file of indicator/: a ratio (or a count) with its
// definition written out. Its SQL selects (indicator, report_id,
// numerator, denominator) from the reports of the CTE scope; a file may
// yield several indicators (one per reason: denied_rate.state_secret …).
type Indicator struct {
	Name        string // the file name: the indicator, or the family of those it yields
	Description string
	Formula     string // in the report's own labels
	Numerator   string
	Denominator string // "none" for a count
	Unit        string // %, per 100 new requests, 件, 万元 …
	// Factor multiplies numerator ÷ denominator (100 for a percentage);
	// 0 for a count, whose value is its numerator.
	Factor int
	// Covariate names the covariates row the denominator is (population),
	// so a region's denominator is the region's own value, not a sum.
	Covariate string
	// Yields lists the indicators a file of several yields
	// (denied_rate.state_secret …), from its `-- yields:` header; nil when
	// the file yields the one named like it.
	Yields []string
	SQL    string // the body, header included
}

// Indicators returns every indicator definition, sorted by name.
func Indicators() []Indicator {
	inds, err := loadIndicators(files)
	if err != nil {
		panic(err)
	}
	return inds
}

// IndicatorNames lists, sorted, every value the parameter indicator of
// `nianbao report indicators|outliers` accepts: each file's name and each
// indicator a file yields. It is the parameter's closed set of values (see
// [Param]), so that the files stay the one place indicators are named.
func IndicatorNames() []string {
	inds, err := loadIndicators(files)
	if err != nil {
		panic(err)
	}
	return indicatorNames(inds)
}

func indicatorNames(inds []Indicator) []string {
	var names []string
	for _, ind := range inds {
		names = append(names, ind.Name)
		names = append(names, ind.Yields...)
	}
	sort.Strings(names)
	return names
}

func loadIndicators(fsys fs.FS) ([]Indicator, error) {
	names, err := fs.Glob(fsys, "indicator/*.sql")
	if err != nil {
		return nil, err
	}
	var inds []Indicator
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("queries: read %s: %w", name, err)
		}
		ind, err := parseIndicator(strings.TrimSuffix(path.Base(name), ".sql"), string(b))
		if err != nil {
			return nil, err
		}
		inds = append(inds, ind)
	}
	sort.Slice(inds, func(i, j int) bool { return inds[i].Name < inds[j].Name })
	return inds, nil
}

func parseIndicator(fileName, sql string) (Indicator, error) {
	h, err := readHeader(fileName, sql)
	if err != nil {
		return Indicator{}, err
	}
	for _, k := range []string{"name", "description", "formula", "numerator", "denominator", "unit", "factor"} {
		if h[k] == "" {
			return Indicator{}, fmt.Errorf("queries: indicator/%s.sql: header lacks `-- %s:`", fileName, k)
		}
	}
	if h["name"] != fileName {
		return Indicator{}, fmt.Errorf("queries: indicator/%s.sql: header name %q differs from the file name", fileName, h["name"])
	}
	ind := Indicator{
		Name: h["name"], Description: h["description"], Formula: h["formula"],
		Numerator: h["numerator"], Denominator: h["denominator"], Unit: h["unit"],
		Covariate: h["covariate"], SQL: sql,
	}
	if y := h["yields"]; y != "" {
		for _, name := range strings.Split(y, ",") {
			if name = strings.TrimSpace(name); name != "" {
				ind.Yields = append(ind.Yields, name)
			}
		}
	}
	if f := h["factor"]; f != "none" {
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return Indicator{}, fmt.Errorf("queries: indicator/%s.sql: factor %q is neither a positive integer nor none", fileName, f)
		}
		ind.Factor = n
	}
	if (ind.Factor == 0) != (ind.Denominator == "none") {
		return Indicator{}, fmt.Errorf("queries: indicator/%s.sql: a count has factor none and denominator none; a ratio has both", fileName)
	}
	return ind, nil
}

// indicatorUnion is the CTE indicator_values (see IndicatorsInclude): the
// rows of table indicator_facts (IndicatorFactsSQL, stored per report at
// load) for the indicators the parameter $indicator names (NULL or
// AllIndicators = all), and the indicators a covariate divides computed
// here, since covariates are imported apart from reports: each such
// branch runs only when the CTE checked_params' indicator (NULL = all)
// names it.
func indicatorUnion(inds []Indicator) string {
	parts := []string{`select
    f.indicator,
    f.file,
    f.unit,
    f.factor,
    null::varchar as covariate,
    f.report_id,
    f.numerator,
    f.denominator,
    f.value
from indicator_facts as f
-- the parameter itself, not checked_params: a filter DuckDB evaluates
-- per row, 3× faster than a join with a CTE over 10 million rows
where
    coalesce(cast($indicator as varchar), ` + sqlString(AllIndicators) + `)
    in (` + sqlString(AllIndicators) + `, f.indicator, f.file)`}
	for _, ind := range inds {
		if ind.Covariate == "" {
			continue
		}
		body := strings.TrimSuffix(strings.TrimSpace(ind.SQL), ";")
		wanted := "p.indicator = " + sqlString(ind.Name)
		for _, y := range ind.Yields {
			wanted += "\n        or p.indicator = " + sqlString(y)
		}
		parts = append(parts, fmt.Sprintf(`select
    v.indicator,
    %s as file,
    %s as unit,
    %d as factor,
    %s as covariate,
    v.report_id,
    cast(v.numerator as decimal(18, 6)) as numerator,
    cast(v.denominator as decimal(18, 6)) as denominator,
    exact_ratio(v.numerator, v.denominator, %d) as value
from (
%s
) as v
where exists (
    select 1 from checked_params as p
    where
        p.indicator is null
        or %s
)`, sqlString(ind.Name), sqlString(ind.Unit), ind.Factor, sqlString(ind.Covariate), ind.Factor, body, wanted))
	}
	return "indicator_values as (\n" + strings.Join(parts, "\nunion all\n") + "\n),"
}

func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// IndicatorFactsSQL is one SELECT of every indicator that no covariate
// divides, for the reports of a CTE scope (id, region_code, year) the
// caller defines: columns report_id, indicator, file, unit, factor,
// numerator, denominator and value (factor × numerator ÷ denominator by
// exact_ratio, or the numerator of a count). The warehouse stores it per
// report at load (table indicator_facts), so that the indicators and
// outliers queries read rows instead of computing them.
func IndicatorFactsSQL() string {
	inds, err := loadIndicators(files)
	if err != nil {
		panic(err)
	}
	var parts []string
	for _, ind := range inds {
		if ind.Covariate != "" {
			continue
		}
		factor := "null::integer"
		if ind.Factor > 0 {
			factor = strconv.Itoa(ind.Factor)
		}
		parts = append(parts, fmt.Sprintf(`select
    v.report_id,
    v.indicator,
    %s as file,
    %s as unit,
    %s as factor,
    cast(v.numerator as decimal(18, 6)) as numerator,
    cast(v.denominator as decimal(18, 6)) as denominator
from (
%s
) as v`, sqlString(ind.Name), sqlString(ind.Unit), factor, strings.TrimSuffix(strings.TrimSpace(ind.SQL), ";")))
	}
	return `select
    u.*,
    case
        when u.factor is null then u.numerator
        else exact_ratio(u.numerator, u.denominator, u.factor)
    end as value
from (
` + strings.Join(parts, "\nunion all\n") + `
) as u`
}
