// Package queries holds nianbao's canned SQL: one file per check or report,
// embedded in the binary. The file name is the CLI name
// (`nianbao check --rule i1_balance`, `nianbao report trend`), and each file
// starts with a header block that documents it:
//
//	-- name: i1_balance
//	-- kind: check
//	-- description: Table 三, per column: 一 + 二 = （七）总计 + 四.
//	-- params: year: statistical year (empty = all);
//	--   region: region_code prefix (empty = all)
//	-- returns: one row per failing report and column …
//
// Checks share their scope, output shape and not_assessable rows through
// fragments in include/ (a body line `-- include: check_scope`), expanded
// when the files are loaded, so [Query].SQL is always one complete
// statement. Codes are compared as ENUM literals ('t3'::cell_table_code,
// warehouse migration 004) so that DuckDB never casts every cell's code
// to text.
//
// Parameters are DuckDB named parameters ($year, $region) bound by
// warehouse.DB.Run, never spliced into the text; an empty value binds NULL,
// which every query reads as "no filter".
//
// Checks return failing rows only, all in one shape (report_id, agency,
// year, rule, table_code, row_code, col_code, expected, actual, difference,
// severity, detail, source); zero rows is a pass. Severity is error,
// uncertain (a blank cell could make the rule hold), not_assessable (a table
// the rule needs is missing) or warn (heuristics).
//
// Usage:
//
//	for _, q := range queries.All() {
//		fmt.Println(q.Name, q.Kind, q.Description)
//	}
//	q, ok := queries.Get("trend")
package queries
