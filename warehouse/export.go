package warehouse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// exportRelation is one table or view written by [DB.ExportParquet]; query
// selects it, with a year column when it is partitioned.
type exportRelation struct {
	name   string
	query  string
	byYear bool
}

// exportRelations lists every table and view but schema_migrations. Cells,
// sections and the derived fact tables have no year of their own: their
// export adds the report's year so they partition like reports.
var exportRelations = []exportRelation{
	{"portals", `select * from portals`, false},
	{"crawl_runs", `select * from crawl_runs`, false},
	{"pages", `select * from pages`, false},
	{"agencies", `select * from agencies`, false},
	{"codebook", `select * from codebook`, false},
	{"regions", `select * from regions`, false},
	{"corrections", `select * from corrections`, false},
	{"agency_names", `select * from agency_names`, false},
	{"reports", `select * from reports`, true},
	{"cells", byReportYear("cells"), true},
	{"sections", byReportYear("sections"), true},
	{"check_results", `select * from check_results`, true},
	{"check_runs", `select * from check_runs`, false},
	{"flag_acks", `select * from flag_acks`, false},
	{"covariates", `select * from covariates`, true},
	{"report_facts", byReportYear("report_facts"), true},
	{"t3_rows", byReportYear("t3_rows"), true},
	{"t3_cols", byReportYear("t3_cols"), true},
	{"t4_facts", byReportYear("t4_facts"), true},
	{"t2_rows", byReportYear("t2_rows"), true},
	{"report_figures", byReportYear("report_figures"), true},
	{"indicator_facts", byReportYear("indicator_facts"), true},
	{"latest_reports", `select * from latest_reports`, true},
	{"t2_wide", `select * from t2_wide`, true},
	{"t3_wide", `select * from t3_wide`, true},
	{"t4_wide", `select * from t4_wide`, true},
	{"check_failures", `select * from check_failures`, true},
	{"report_revisions", `select * from report_revisions`, true},
}

// byReportYear selects a table keyed by report_id with its report's year.
func byReportYear(table string) string {
	return fmt.Sprintf(`select t.*, r.year from %s as t join reports as r on r.id = t.report_id`, table)
}

// ExportParquet writes every table and view as Parquet under dir, one
// directory per relation (dir/cells/…), Hive-partitioned by year
// (dir/cells/year=2021/data_0.parquet) where the relation has a year, for
// Spark, Trino, pandas or R. Existing exports of the same names are
// replaced. It works on a read-only database too.
func (db *DB) ExportParquet(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export parquet to %s: %w", dir, err)
	}
	for _, rel := range exportRelations {
		out := filepath.Join(dir, rel.name)
		if err := os.RemoveAll(out); err != nil {
			return fmt.Errorf("export %s to %s: %w", rel.name, out, err)
		}
		var copySQL string
		if rel.byYear {
			copySQL = fmt.Sprintf(`copy (%s) to %s (format parquet, partition_by (year), write_partition_columns false)`,
				rel.query, sqlString(out))
		} else {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("export %s to %s: %w", rel.name, out, err)
			}
			copySQL = fmt.Sprintf(`copy (%s) to %s (format parquet)`, rel.query, sqlString(filepath.Join(out, "data_0.parquet")))
		}
		if _, err := db.SQL.ExecContext(ctx, copySQL); err != nil {
			return fmt.Errorf("export %s to %s: %w", rel.name, out, err)
		}
	}
	return nil
}

// sqlString quotes s as a SQL string literal. COPY takes no bound
// parameter for its target, so the path is quoted instead.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
