package warehouse

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CovariateColumns is the header an import-covariates CSV starts with.
var CovariateColumns = []string{"region_code", "year", "name", "value"}

var (
	regionCodeRe = regexp.MustCompile(`^\d{6}$`)
	covNameRe    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	decimalRe    = regexp.MustCompile(`^-?\d{1,34}(\.\d{1,4})?$`)
)

// ImportCovariates loads a CSV of region_code, year, name, value (header
// first; GB/T 2260 six-digit codes, a lower-case name such as population,
// an exact decimal with up to 4 places) into the covariates table, which
// indicators divide by (received_per_10k divides by population). A row
// for a region, year and name already there replaces it. Bad lines are
// skipped and reported, one message each naming the file and line; the
// good ones are imported in one transaction.
func (db *DB) ImportCovariates(ctx context.Context, path string) (imported int, problems []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, fmt.Errorf("import covariates: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return 0, nil, fmt.Errorf("import covariates %s: read the header: %w", path, err)
	}
	for i := range head {
		head[i] = strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff"))
	}
	if strings.Join(head, ",") != strings.Join(CovariateColumns, ",") {
		return 0, nil, fmt.Errorf("import covariates %s: header is %q; want %s", path, strings.Join(head, ","), strings.Join(CovariateColumns, ","))
	}
	type row struct {
		region, name, value string
		year                int
	}
	var rows []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s line %d: %v", path, line, err))
			continue
		}
		if len(rec) != 4 {
			problems = append(problems, fmt.Sprintf("%s line %d: %d fields; want 4 (%s)", path, line, len(rec), strings.Join(CovariateColumns, ",")))
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		year, yerr := strconv.Atoi(rec[1])
		switch {
		case !regionCodeRe.MatchString(rec[0]):
			problems = append(problems, fmt.Sprintf("%s line %d: region_code %q is not six digits", path, line, rec[0]))
		case yerr != nil || year < 1949 || year > 2200:
			problems = append(problems, fmt.Sprintf("%s line %d: year %q is not a year", path, line, rec[1]))
		case !covNameRe.MatchString(rec[2]):
			problems = append(problems, fmt.Sprintf("%s line %d: name %q: want lower-case letters, digits and _", path, line, rec[2]))
		case !decimalRe.MatchString(strings.ReplaceAll(rec[3], ",", "")):
			problems = append(problems, fmt.Sprintf("%s line %d: value %q is not a decimal number (up to 4 places)", path, line, rec[3]))
		default:
			rows = append(rows, row{rec[0], rec[2], strings.ReplaceAll(rec[3], ",", ""), year})
		}
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, problems, fmt.Errorf("import covariates %s: %w", path, err)
	}
	defer tx.Rollback()
	now := db.opts.Now().UTC().Truncate(time.Microsecond)
	for _, rw := range rows {
		if _, err := tx.ExecContext(ctx, `delete from covariates where region_code = ? and year = ? and name = ?`, rw.region, rw.year, rw.name); err != nil {
			return 0, problems, fmt.Errorf("import covariates %s: %w", path, err)
		}
		if _, err := tx.ExecContext(ctx, `insert into covariates values (?, ?, ?, cast(? as decimal(38, 4)), ?, ?)`,
			rw.region, rw.year, rw.name, rw.value, path, now); err != nil {
			return 0, problems, fmt.Errorf("import covariates %s: %s %d %s: %w", path, rw.region, rw.year, rw.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, problems, fmt.Errorf("import covariates %s: %w", path, err)
	}
	return len(rows), problems, nil
}
