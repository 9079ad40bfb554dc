package warehouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

func TestViews(t *testing.T) {
	ctx := context.Background()
	db, _ := openWarehouse(t)
	old := sampleReport("https://gov.example/nb.html", "甲县人民政府", 2021, "7")
	st, err := db.LoadReports(ctx, []warehouse.Load{{Report: old, PageSHA256: "v1-bytes", RegionCode: "410101", ExtractorVersion: "x1"}})
	if err != nil {
		t.Fatal(err)
	}
	oldID := st.ReportIDs[0]
	changed := sampleReport("https://gov.example/nb.html", "甲县人民政府", 2021, "9")
	changed.Cells = changed.Cells[:len(changed.Cells)-1] // t4 review.total dropped
	st, err = db.LoadReports(ctx, []warehouse.Load{{Report: changed, PageSHA256: "v2-bytes", RegionCode: "410101", ExtractorVersion: "x1"}})
	if err != nil {
		t.Fatal(err)
	}
	newID := st.ReportIDs[0]

	for _, tc := range []struct {
		name, q, want string
	}{
		{"t3_wide", `select concat_ws('|', row_label, coalesce(cast(natural_person as varchar), 'none'), coalesce(cast(legal_service_org as varchar), 'blank'))
			from t3_wide where report_id = ? and row_code = 'carried_in'`, "二、上年结转政府信息公开申请数量|none|blank"},
		{"t3_wide one row per report and row", `select count(*) || '/' || count(distinct row_code) from t3_wide where report_id = ?`, "3/3"},
		{"t2_wide", `select row_code || '|' || amount_wan_yuan || '|' || row_label from t2_wide where report_id = ?`, "fees|1234.567800|行政事业性收费"},
		{"t4_wide", `select cast(review_total as varchar) from t4_wide where report_id = ?`, "-0.500000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := queryString(t, db, tc.q, oldID); got != tc.want {
				t.Errorf("%s = %s; want %s", tc.name, got, tc.want)
			}
		})
	}
	t.Run("report_revisions", func(t *testing.T) {
		got := queryString(t, db, `select concat_ws('|', agency, year, revision, old_report_id, new_report_id, old_sha256, new_sha256,
			changed_cells, changed) from report_revisions`)
		want := "甲县人民政府|2021|1|" + itoa(oldID) + "|" + itoa(newID) +
			"|v1-bytes|v2-bytes|2|t3/granted/natural: 7→9; t4/all/review.total: -0.5→∅"
		if got != want {
			t.Errorf("report_revisions = %s; want %s", got, want)
		}
		// Re-extracting the old bytes is not a revision.
		if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: old, PageSHA256: "v1-bytes", RegionCode: "410101", ExtractorVersion: "x2"}}); err != nil {
			t.Fatal(err)
		}
		if got := queryInt(t, db, `select count(*) from report_revisions`); got != 1 {
			t.Errorf("report_revisions after re-extraction = %d rows; want 1", got)
		}
	})
	t.Run("check_failures", func(t *testing.T) {
		at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		for _, q := range []struct {
			at     time.Time
			report int64
			actual string
		}{
			{at, oldID, "1"},                // on a superseded version: hidden
			{at, newID, "1"},                // an older check of the same rule: hidden
			{at.Add(time.Hour), newID, "2"}, // the latest: shown
		} {
			var run int64
			if err := db.SQL.QueryRowContext(ctx, `insert into check_runs (checked_at, rules) values (?, ['i1_balance'])
				returning id`, q.at).Scan(&run); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL.ExecContext(ctx, `insert into check_results (checked_at, run_id, report_id, agency, year, rule,
				table_code, row_code, col_code, expected, actual, severity) values (?, ?, ?, '甲县人民政府', 2021, 'i1_balance',
				't3', 'result_total', 'total', 5, ?, 'error')`, q.at, run, q.report, q.actual); err != nil {
				t.Fatal(err)
			}
		}
		got := queryString(t, db, `select string_agg(concat_ws('|', report_id, actual, difference, source, page_sha256), ',') from check_failures`)
		if want := itoa(newID) + "|2.000000|-3.000000|https://gov.example/nb.html|v2-bytes"; got != want {
			t.Errorf("check_failures = %s; want %s", got, want)
		}
	})
}

func TestAgencyLevel(t *testing.T) {
	for _, tc := range []struct{ name, region, want string }{
		{"河南省人民政府", "", warehouse.LevelProvince},
		// A government's general office is one of its departments.
		{"河南省人民政府办公厅", "410000", warehouse.LevelDepartment},
		{"上海市人民政府办公厅", "", warehouse.LevelDepartment},
		{"平潭综合实验区管委会", "350128", warehouse.LevelCounty},
		{"辉县市人民政府", "", warehouse.LevelCounty}, // GB/T 2260 knows 辉县市 is a county-level city
		{"上海市人民政府", "", warehouse.LevelProvince},
		{"新乡市人民政府", "", warehouse.LevelCity},
		{"新乡市人民政府", "410700", warehouse.LevelCity},
		{"辉县市人民政府", "410782", warehouse.LevelCounty}, // county-level city: the code decides
		{"新乡市牧野区人民政府", "", warehouse.LevelCounty},
		{"延津县人民政府办公室", "", warehouse.LevelDepartment},
		{"牧野区王村镇人民政府", "410711", warehouse.LevelTownship},
		{"牧野区东干道街道办事处", "", warehouse.LevelTownship},
		{"新乡市财政局", "410700", warehouse.LevelDepartment},
		{"国家税务总局新乡市税务局", "", warehouse.LevelDepartment},
		{"平潭综合实验区管理委员会", "", warehouse.LevelCounty}, // governs the zone in place of a 人民政府
		// A township as reports name it by its place: the township's government.
		{"衡东县杨林镇", "430424", warehouse.LevelTownship},
		{"东干道街道", "410711", warehouse.LevelTownship},
		{"牧野区东干道街道办", "", warehouse.LevelTownship},
		{"杨林乡", "", warehouse.LevelTownship},
		{"王村镇政府", "", warehouse.LevelTownship},
		// …乡 inside a department's name, and an office that is not a 街道's.
		{"新乡市住房和城乡建设局", "410700", warehouse.LevelDepartment},
		{"新乡市人民政府驻北京办事处", "410700", warehouse.LevelDepartment},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := warehouse.AgencyLevel(tc.name, tc.region); got != tc.want {
				t.Errorf("AgencyLevel(%q, %q) = %s; want %s", tc.name, tc.region, got, tc.want)
			}
		})
	}
}

func TestNormalizeAgency(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"新乡市 牧野区人民政府", "新乡市牧野区人民政府"},
		{"新乡市牧野区人民政府（办公室）", "新乡市牧野区人民政府办公室"},
		{"ＸＸ县人民政府", "XX县人民政府"},
	} {
		if got := warehouse.NormalizeAgency(tc.in); got != tc.want {
			t.Errorf("NormalizeAgency(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
