package warehouse_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/warehouse"
)

func TestExportParquet(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	var loads []warehouse.Load
	for _, year := range []int{2020, 2021} {
		loads = append(loads, warehouse.Load{Report: sampleReport("u", "甲县人民政府", year, "7"),
			PageSHA256: itoa(int64(year)), RegionCode: "410101", ExtractorVersion: "v1"})
	}
	if _, err := db.LoadReports(ctx, loads); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "export dir's")
	for i := 0; i < 2; i++ { // a second export replaces the first
		if err := db.ExportParquet(ctx, dir); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"cells/year=2020", "cells/year=2021", "reports/year=2021", "t3_wide/year=2020",
		"report_revisions", "agencies/data_0.parquet", "codebook/data_0.parquet", "pages/data_0.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("export lacks %s: %v", p, err)
		}
	}
	// Every table and view a researcher can query is exported.
	res, err := db.Query(ctx, `select table_name from information_schema.tables
		where table_schema = 'main' and table_name <> 'schema_migrations' order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Rows {
		if _, err := os.Stat(filepath.Join(dir, row[0].(string))); err != nil {
			t.Errorf("export lacks table or view %s: %v", row[0], err)
		}
	}
	if got := queryInt(t, db, `select count(*) from read_parquet(?, hive_partitioning = true) where year = 2021 and fees_wan_yuan = 1234.5678 and reviews = -0.5`,
		filepath.Join(dir, "report_figures", "*", "*.parquet")); got != 1 {
		t.Errorf("report_figures rows of 2021 with the fees and reviews printed = %d; want 1", got)
	}
	for _, tc := range []struct {
		name, q string
		want    string
	}{
		{"cells by year", `select string_agg(year || ':' || n, ',' order by year) from (
			select year, count(*) as n from read_parquet(?, hive_partitioning = true) group by year)`, "2020:5,2021:5"},
		{"exact decimals", `select string_agg(cast(value as varchar), ',' order by value) from read_parquet(?, hive_partitioning = true)
			where row_code in ('new', 'granted') or col_code in ('amount_wan_yuan', 'review.total')`,
			"-0.500000,-0.500000,7.000000,7.000000,12.000000,12.000000,1234.567800,1234.567800"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := queryString(t, db, tc.q, filepath.Join(dir, "cells", "*", "*.parquet"))
			if got != tc.want {
				t.Errorf("%s = %s; want %s", tc.name, got, tc.want)
			}
		})
	}
	if got := queryInt(t, db, `select count(*) from read_parquet(?, hive_partitioning = true)`,
		filepath.Join(dir, "latest_reports", "*", "*.parquet")); got != 2 {
		t.Errorf("latest_reports rows read back = %d; want 2", got)
	}
}
