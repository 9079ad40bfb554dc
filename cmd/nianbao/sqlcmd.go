package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nianbao/nianbao/docs"
)

type sqlOptions struct {
	query string
	out   formatFlags
}

func newSQLCmd(e *env) *cobra.Command {
	var opts sqlOptions
	cmd := &cobra.Command{
		Use:   "sql [--db FILE] [--format table|csv|json|md] {QUERY | -}",
		Short: "Run ad-hoc SQL against the database, read-only",
		Long: `Run SQL against the database, opened read-only: a statement that tries to change the
database is refused. With -, read the SQL from standard input. Several statements separated by
";" run in order and each result is printed (statements that return no rows print nothing).
COPY (query) TO 'file' is allowed: it writes that file, never the database. A query starting
with a "--" comment is a query, not a flag.

` + docs.Summary(),
		Example: `  nianbao sql "select agency, year, format from latest_reports order by agency, year"
  nianbao sql --format csv "select * from t3_wide where row_code = 'new'" > new.csv
  nianbao sql "copy (select * from check_failures) to 'failures.parquet'"
  nianbao sql - < my-query.sql`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(`nianbao sql "select count(*) from reports"`, "sql needs exactly one QUERY (or - to read it from stdin)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.query = args[0]
			return runSQL(cmd.Context(), e, opts)
		},
	}
	opts.out.add(cmd)
	return cmd
}

func runSQL(ctx context.Context, e *env, opts sqlOptions) error {
	q := opts.query
	if q == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return fmt.Errorf("read query from stdin: %w", err)
		}
		q = string(b)
	}
	stmts := splitStatements(q)
	if len(stmts) == 0 {
		return usagef(`nianbao sql "select count(*) from reports"`, "empty query")
	}
	if err := opts.out.validate(); err != nil {
		return err
	}
	_, db, err := e.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	printed := 0
	for i, stmt := range stmts {
		// Printed as read: a national query of millions of rows is not held.
		sink := opts.out.sink(e.stdout)
		sink.skipEmpty = true
		if printed > 0 && opts.out.format != "csv" && opts.out.format != "json" {
			sink.before = func() error {
				_, err := fmt.Fprintln(e.stdout)
				return err
			}
		}
		if err := db.QueryTo(ctx, sink, stmt); err != nil {
			if len(stmts) > 1 {
				return fmt.Errorf("statement %d of %d: %w", i+1, len(stmts), err)
			}
			return err
		}
		if err := sink.Close(); err != nil {
			return err
		}
		if sink.printed() {
			printed++
		}
	}
	return nil
}

// splitStatements splits SQL text at the semicolons that end statements:
// not those inside quotes ('…', "…"), dollar quotes ($$…$$) or comments.
// Pieces holding only comments and space are dropped.
func splitStatements(sql string) []string {
	var out []string
	start, code := 0, false
	flush := func(end int) {
		if code {
			out = append(out, strings.TrimSpace(sql[start:end]))
		}
		start, code = end+1, false
	}
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == c {
					if j+1 < len(sql) && sql[j+1] == c { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			i, code = j, true
		case c == '$' && strings.HasPrefix(sql[i:], "$$"):
			if end := strings.Index(sql[i+2:], "$$"); end >= 0 {
				i += end + 3
			} else {
				i = len(sql)
			}
			code = true
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if end := strings.IndexByte(sql[i:], '\n'); end >= 0 {
				i += end
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if end := strings.Index(sql[i+2:], "*/"); end >= 0 {
				i += end + 3
			} else {
				i = len(sql)
			}
		case c == ';':
			flush(i)
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			code = true
		}
	}
	flush(len(sql))
	return out
}

// sqlQueryArgs marks a `nianbao sql` argument that starts with a "--"
// comment as a query: no flag has a space or newline after its dashes, so
// "-- my check\nselect …" is SQL, and pflag would reject it as a flag.
func sqlQueryArgs(args []string) []string {
	if len(args) == 0 || args[0] != "sql" {
		return args
	}
	for i, a := range args {
		if i > 0 && len(a) > 2 && strings.HasPrefix(a, "--") && strings.ContainsAny(a[2:3], " \t\r\n") {
			out := append([]string{}, args[:i]...)
			out = append(out, "--")
			return append(out, args[i:]...)
		}
		if a == "--" {
			break
		}
	}
	return args
}
