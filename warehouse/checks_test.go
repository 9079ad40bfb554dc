package warehouse_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/warehouse"
)

// newCheckDB opens a fresh database file in t.TempDir().
func newCheckDB(tb testing.TB) *warehouse.DB {
	tb.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(tb.TempDir(), "n.duckdb"), warehouse.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// checkReport is a purpose-made report. Cells are keyed "table.row.col" as in
// ../shared/corpus (t4's row is "all"); "" inserts a blank cell (NULL), a
// missing key inserts no cell.
type checkReport struct {
	Agency, Region, Format, Source, PublishedAt string
	Year                                        int
	AgencyID                                    int64 // 0: none (the loader's agencies.id)
	ExtractedAt                                 time.Time
	Cells                                       map[string]string
	Sections                                    map[int]string // number → text
}

var ckT3Cols = []string{"natural", "commercial", "research", "social", "legal", "other", "total"}

var ckT3Rows2021 = []string{
	"new", "carried_in", "granted", "partial",
	"denied.state_secret", "denied.law_prohibited", "denied.three_safety", "denied.third_party",
	"denied.internal", "denied.process", "denied.enforcement", "denied.query",
	"unable.no_info", "unable.need_creation", "unable.unclear",
	"rejected.complaint", "rejected.duplicate", "rejected.publication", "rejected.excessive", "rejected.confirm",
	"other.no_correction", "other.no_fee", "other.other", "result_total", "carried_out",
}

var ckT4Cols = []string{
	"review.upheld", "review.corrected", "review.other", "review.pending", "review.total",
	"suit_direct.upheld", "suit_direct.corrected", "suit_direct.other", "suit_direct.pending", "suit_direct.total",
	"suit_after_review.upheld", "suit_after_review.corrected", "suit_after_review.other", "suit_after_review.pending", "suit_after_review.total",
}

// seedReport2021 is the seed report's tables 三 and 四 (新乡市牧野区人民政府 2021):
// 3 new requests from natural persons, 1 denied as process information,
// 2 unable (no such information); balanced. Table 二 as printed.
func seedReport2021() checkReport {
	c := map[string]string{}
	for _, r := range ckT3Rows2021 {
		for _, col := range ckT3Cols {
			c["t3."+r+"."+col] = "0"
		}
	}
	for _, col := range ckT4Cols {
		c["t4.all."+col] = "0"
	}
	for k, v := range map[string]string{
		"t3.new.natural": "3", "t3.new.total": "3",
		"t3.denied.process.natural": "1", "t3.denied.process.total": "1",
		"t3.unable.no_info.natural": "2", "t3.unable.no_info.total": "2",
		"t3.result_total.natural": "3", "t3.result_total.total": "3",
		"t2.rules.made": "0", "t2.rules.repealed": "0", "t2.rules.in_force": "0",
		"t2.normative.made": "0", "t2.normative.repealed": "0", "t2.normative.in_force": "13",
		"t2.licensing.decisions": "15498", "t2.penalty.decisions": "466",
		"t2.coercion.decisions": "0", "t2.fees.amount_wan_yuan": "94.0121",
	} {
		c[k] = v
	}
	return checkReport{
		Agency: "新乡市牧野区人民政府", Region: "410711", Format: "2021", Year: 2021,
		Source: "https://www.xxmyq.gov.cn/2021.html", PublishedAt: "2022-01-20",
		Cells: c,
		Sections: map[int]string{
			1: "2021年，全区共收到政府信息公开申请3件，均已按照规定时限向申请人进行了书面答复。",
			2: "主动公开。", 3: "该部分以表格形式报告。", 4: "本年度无行政复议和行政诉讼。",
			5: "存在的问题。", 6: "无其他需要报告的事项。",
		},
	}
}

// seedReport2019 is the same numbers in the 2019 format: table 三's single
// （六）其他处理 row holds 1 of the 2 unable requests.
func seedReport2019() checkReport {
	r := seedReport2021()
	r.Format, r.Year = "2019", 2020
	r.Source = "https://www.xxmyq.gov.cn/2020.html"
	r.PublishedAt = "2021-01-25"
	c := map[string]string{}
	for k, v := range r.Cells {
		if strings.HasPrefix(k, "t3.other.") || strings.HasPrefix(k, "t2.") {
			continue
		}
		c[k] = v
	}
	for _, col := range ckT3Cols {
		c["t3.other."+col] = "0"
	}
	c["t3.unable.no_info.natural"], c["t3.unable.no_info.total"] = "1", "1"
	c["t3.other.natural"], c["t3.other.total"] = "1", "1"
	for k, v := range map[string]string{
		"t2.rules.new_made": "0", "t2.rules.new_published": "0", "t2.rules.total_published": "0",
		"t2.normative.new_made": "2", "t2.normative.new_published": "2", "t2.normative.total_published": "11",
		"t2.licensing.prev_items": "120", "t2.licensing.change": "-3", "t2.licensing.decisions": "14000",
	} {
		c[k] = v
	}
	r.Cells = c
	return r
}

// with returns a copy of r with the given cells replaced ("-" deletes).
func (r checkReport) with(kv ...string) checkReport {
	c := make(map[string]string, len(r.Cells))
	for k, v := range r.Cells {
		c[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "-" {
			delete(c, kv[i])
		} else {
			c[kv[i]] = kv[i+1]
		}
	}
	r.Cells = c
	return r
}

// without returns a copy of r with every cell of table dropped.
func (r checkReport) without(table string) checkReport {
	c := map[string]string{}
	for k, v := range r.Cells {
		if !strings.HasPrefix(k, table+".") {
			c[k] = v
		}
	}
	r.Cells = c
	return r
}

func splitCellKey(k string) (table, row, col string) {
	table, rest, _ := strings.Cut(k, ".")
	if table == "t4" {
		row, col, _ = strings.Cut(rest, ".")
		return table, row, col
	}
	i := strings.LastIndex(rest, ".")
	return table, rest[:i], rest[i+1:]
}

// addCheckReport inserts r with plain SQL, as a loader would, and returns its id.
func addCheckReport(tb testing.TB, db *warehouse.DB, r checkReport) int64 {
	tb.Helper()
	ctx := context.Background()
	if r.ExtractedAt.IsZero() {
		r.ExtractedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var pub any
	if r.PublishedAt != "" {
		pub = r.PublishedAt
	}
	var id int64
	var agencyID any
	if r.AgencyID != 0 {
		agencyID = r.AgencyID
	}
	err := db.SQL.QueryRowContext(ctx, `insert into reports
		(agency_id, agency, region_code, year, format, source, page_sha256, published_at, extracted_at, table_formats)
		values (?, ?, ?, ?, ?, ?, ?, cast(? as date), ?, ?) returning id`,
		agencyID, r.Agency, r.Region, r.Year, r.Format, r.Source, fmt.Sprintf("sha-%s-%d-%d", r.Agency, r.Year, r.ExtractedAt.Unix()),
		pub, r.ExtractedAt, fmt.Sprintf(`{"t2":%q,"t3":%q,"t4":%q}`, r.Format, r.Format, r.Format)).Scan(&id)
	if err != nil {
		tb.Fatalf("insert report %s %d: %v", r.Agency, r.Year, err)
	}
	keys := make([]string, 0, len(r.Cells))
	for k := range r.Cells {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// One multi-row INSERT: a row per cell, values bound.
	if len(keys) > 0 {
		var q strings.Builder
		q.WriteString(`insert into cells (report_id, table_code, row_code, col_code, value, raw) values `)
		args := make([]any, 0, 6*len(keys))
		for i, k := range keys {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, cast(? as decimal(18,4)), ?)")
			table, row, col := splitCellKey(k)
			var v any
			if s := r.Cells[k]; s != "" {
				v = s
			}
			args = append(args, id, table, row, col, v, r.Cells[k])
		}
		if _, err := db.SQL.ExecContext(ctx, q.String(), args...); err != nil {
			tb.Fatalf("insert cells of %s %d: %v", r.Agency, r.Year, err)
		}
	}
	for n, text := range r.Sections {
		if _, err := db.SQL.ExecContext(ctx, `insert into sections (report_id, number, heading, text, position) values (?, ?, ?, ?, ?)`,
			id, n, nationalHeadings[n-1], text, n); err != nil {
			tb.Fatalf("insert section %d: %v", n, err)
		}
	}
	return id
}

// prose120 is the seed with 120 new requests (自然人 100, 商业企业 10,
// 其他 10), 115 processed (60 granted, 20 partial, 10 denied, 15 unable,
// 10 rejected), 5 carried over, and section 一 stating each of those
// figures; changes are applied to its cells.
func prose120(changes map[string]string) checkReport {
	r := seedReport2021().with(
		"t3.new.total", "120", "t3.new.natural", "100", "t3.new.commercial", "10", "t3.new.other", "10",
		"t3.result_total.total", "115", "t3.carried_out.total", "5",
		"t3.granted.total", "60", "t3.partial.total", "20", "t3.denied.process.total", "10",
		"t3.unable.no_info.total", "15", "t3.rejected.duplicate.total", "10")
	for k, v := range changes {
		r = r.with(k, v)
	}
	r.Sections = map[int]string{1: "本年度新收政府信息公开申请120件，其中当面申请10件、网上申请100件、信函申请10件；" +
		"办结115件，结转下年度5件。申请人中自然人100件、法人或其他组织20件。" +
		"办理结果：予以公开60件、部分公开20件、不予公开10件、无法提供15件、不予处理10件。"}
	return r
}

// nationalHeadings are the six headings as the national format prints
// them (format.md §1).
var nationalHeadings = []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}

// checkFailure is one check row reduced to what a test asserts.
type checkFailure struct {
	Report                     int64
	Rule, Table, Row, Col, Sev string
	Expected, Actual           string
}

func (f checkFailure) String() string {
	return fmt.Sprintf("{r%d %s %s/%s/%s %s exp=%s act=%s}", f.Report, f.Rule, f.Table, f.Row, f.Col, f.Sev, f.Expected, f.Actual)
}

// failures reads a check Result into sorted failures, checking its shape.
func checkFailures(tb testing.TB, res *warehouse.Result) []checkFailure {
	tb.Helper()
	if got, want := strings.Join(res.Columns, ","), strings.Join(warehouse.FlagColumns, ","); got != want {
		tb.Fatalf("check columns = %s; want %s", got, want)
	}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	var fs []checkFailure
	for _, row := range res.Rows {
		fs = append(fs, checkFailure{
			Report: row[0].(int64), Rule: str(row[3]), Table: str(row[4]), Row: str(row[5]), Col: str(row[6]),
			Expected: str(row[7]), Actual: str(row[8]), Sev: str(row[10]),
		})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].String() < fs[j].String() })
	return fs
}

func sameCheckFailures(got, want []checkFailure) bool {
	if len(got) != len(want) {
		return false
	}
	sort.Slice(want, func(i, j int) bool { return want[i].String() < want[j].String() })
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// TestCheckI1toI4 is dbt's given/expect shape: a purpose-made report goes
// in, exactly the failing rule/cell rows come out.
func TestCheckI1toI4(t *testing.T) {
	rules := []string{"i1_balance", "i2_results", "i3_total_column", "i4_review_suit"}
	f := func(rule, table, row, col, sev, exp, act string) checkFailure {
		return checkFailure{Rule: rule, Table: table, Row: row, Col: col, Sev: sev, Expected: exp, Actual: act}
	}
	tests := []struct {
		name  string
		given checkReport
		want  []checkFailure
	}{
		{"balanced 2021 (the seed) passes", seedReport2021(), nil},
		{"balanced 2019 passes, its single 其他处理 row counted", seedReport2019(), nil},
		{"blank cells read as 0 still balance", seedReport2021().with("t3.carried_in.natural", "", "t3.granted.total", "", "t4.all.review.upheld", ""), nil},
		{"I1+I2+I3 fail on a broken （七）总计 cell", seedReport2021().with("t3.result_total.natural", "2"), []checkFailure{
			f("i1_balance", "t3", "", "natural", "error", "3", "2"),
			f("i2_results", "t3", "result_total", "natural", "error", "3", "2"),
			f("i3_total_column", "t3", "result_total", "total", "error", "2", "3"),
		}},
		{"I1 only: 一 and its total both raised", seedReport2021().with("t3.new.natural", "4", "t3.new.total", "4"), []checkFailure{
			f("i1_balance", "t3", "", "natural", "error", "4", "3"),
			f("i1_balance", "t3", "", "total", "error", "4", "3"),
		}},
		{"I2 only, 2019: 其他处理 row raised with its 总计 cell", seedReport2019().with("t3.other.natural", "2", "t3.other.total", "2"), []checkFailure{
			f("i2_results", "t3", "result_total", "natural", "error", "4", "3"),
			f("i2_results", "t3", "result_total", "total", "error", "4", "3"),
		}},
		{"I3 (and I2 in the 总计 column): a broken 总计 cell", seedReport2021().with("t3.granted.total", "5"), []checkFailure{
			f("i2_results", "t3", "result_total", "total", "error", "8", "3"),
			f("i3_total_column", "t3", "granted", "total", "error", "0", "5"),
		}},
		{"I4: 行政复议 总计 1 with no parts", seedReport2021().with("t4.all.review.total", "1"), []checkFailure{
			f("i4_review_suit", "t4", "all", "review.total", "error", "0", "1"),
		}},
		{"I4 uncertain: a blank part could hold the missing one", seedReport2021().with("t4.all.suit_direct.total", "1", "t4.all.suit_direct.upheld", ""), []checkFailure{
			f("i4_review_suit", "t4", "all", "suit_direct.total", "uncertain", "0", "1"),
		}},
		{"uncertain: a blank （七）总计 on the smaller side", seedReport2021().with("t3.result_total.natural", ""), []checkFailure{
			f("i1_balance", "t3", "", "natural", "uncertain", "3", "0"),
			f("i2_results", "t3", "result_total", "natural", "uncertain", "3", "0"),
			f("i3_total_column", "t3", "result_total", "total", "uncertain", "0", "3"),
		}},
		{"error: a blank on the larger side cannot help", seedReport2021().with("t3.carried_in.natural", "", "t3.new.natural", "4", "t3.new.total", "4"), []checkFailure{
			f("i1_balance", "t3", "", "natural", "error", "4", "3"),
			f("i1_balance", "t3", "", "total", "error", "4", "3"),
		}},
		{"not_assessable: no table 三", seedReport2021().without("t3"), []checkFailure{
			f("i1_balance", "t3", "", "", "not_assessable", "", ""),
			f("i2_results", "t3", "", "", "not_assessable", "", ""),
			f("i3_total_column", "t3", "", "", "not_assessable", "", ""),
		}},
		{"not_assessable: no table 四", seedReport2021().without("t4"), []checkFailure{
			f("i4_review_suit", "t4", "", "", "not_assessable", "", ""),
		}},
		{"a pre-2019 report without tables is not judged", func() checkReport {
			r := seedReport2021().without("t3").without("t4")
			r.Year, r.Format = 2017, "pre2019"
			return r
		}(), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := newCheckDB(t)
			id := addCheckReport(t, db, tc.given)
			res, err := db.Check(context.Background(), warehouse.CheckOptions{Rules: rules})
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				tc.want[i].Report = id
			}
			if got := checkFailures(t, res); !sameCheckFailures(got, tc.want) {
				t.Errorf("Check = %v;\nwant %v", got, tc.want)
			}
		})
	}
}

// TestCheckOtherRules covers every check beyond I1–I4: given reports
// (Report in want is the index into given), expect exactly these rows.
func TestCheckOtherRules(t *testing.T) {
	seed := seedReport2021()
	prev := seedReport2021().with("t3.new.natural", "4", "t3.new.total", "4",
		"t3.carried_out.natural", "1", "t3.carried_out.total", "1")
	next := seedReport2021()
	next.Year, next.Source, next.PublishedAt = 2022, "https://www.xxmyq.gov.cn/2022.html", "2023-01-10"
	dept := seedReport2021()
	dept.Agency = "新乡市牧野区财政局"
	w := func(report int64, rule, table, row, col, sev, exp, act string) checkFailure {
		return checkFailure{Report: report, Rule: rule, Table: table, Row: row, Col: col, Sev: sev, Expected: exp, Actual: act}
	}
	tests := []struct {
		name  string
		rule  string
		given []checkReport
		want  []checkFailure
	}{
		{"legal_subtotal: absent column passes", "legal_subtotal", []checkReport{seed}, nil},
		{"legal_subtotal: printed and right", "legal_subtotal", []checkReport{seed.with("t3.new.legal_subtotal", "0", "t3.new.commercial", "0")}, nil},
		{"legal_subtotal: printed and wrong", "legal_subtotal", []checkReport{seed.with("t3.new.legal_subtotal", "2")}, []checkFailure{
			w(0, "legal_subtotal", "t3", "new", "legal_subtotal", "error", "0", "2")}},
		{"legal_subtotal: a blank part could hold it", "legal_subtotal", []checkReport{seed.with("t3.new.legal_subtotal", "2", "t3.new.research", "")}, []checkFailure{
			w(0, "legal_subtotal", "t3", "new", "legal_subtotal", "uncertain", "0", "2")}},

		{"carry_over: carried in as carried out", "carry_over", []checkReport{prev, next.with("t3.carried_in.natural", "1", "t3.carried_in.total", "1")}, nil},
		{"carry_over: carried out 1, carried in 0", "carry_over", []checkReport{prev, next}, []checkFailure{
			w(1, "carry_over", "t3", "carried_in", "natural", "warn", "1", "0"),
			w(1, "carry_over", "t3", "carried_in", "total", "warn", "1", "0")}},
		{"carry_over: a blank carried_in reads as 0", "carry_over", []checkReport{prev, next.with("t3.carried_in.total", "")}, []checkFailure{
			w(1, "carry_over", "t3", "carried_in", "natural", "warn", "1", "0"),
			w(1, "carry_over", "t3", "carried_in", "total", "warn", "1", "0")}},
		{"carry_over: another agency is not last year", "carry_over", []checkReport{dept.with("t3.carried_out.total", "5"), next}, nil},
		{"carry_over: same agency_id under a new name is last year", "carry_over", []checkReport{
			func() checkReport { r := prev; r.AgencyID, r.Agency = 7, "牧野区人民政府"; return r }(),
			func() checkReport { r := next; r.AgencyID = 7; return r }()}, []checkFailure{
			w(1, "carry_over", "t3", "carried_in", "natural", "warn", "1", "0"),
			w(1, "carry_over", "t3", "carried_in", "total", "warn", "1", "0")}},

		{"stock_roll_forward: 13 + 2 − 1 = 14", "stock_roll_forward", []checkReport{seed, next.with(
			"t2.normative.made", "2", "t2.normative.repealed", "1", "t2.normative.in_force", "14")}, nil},
		{"stock_roll_forward: 13 + 2 − 1 ≠ 15", "stock_roll_forward", []checkReport{seed, next.with(
			"t2.normative.made", "2", "t2.normative.repealed", "1", "t2.normative.in_force", "15")}, []checkFailure{
			w(1, "stock_roll_forward", "t2", "normative", "in_force", "warn", "14", "15")}},
		{"stock_roll_forward: last year in the 2019 format is skipped", "stock_roll_forward", []checkReport{
			seedReport2019(), seedReport2021().with("t2.normative.in_force", "99")}, nil},

		{"prose_vs_table: 收到申请3件 = 一 3", "prose_vs_table", []checkReport{seed}, nil},
		{"prose_vs_table: 收到 counts 一 + 二", "prose_vs_table", []checkReport{seed.with(
			"t3.new.total", "2", "t3.carried_in.total", "1")}, nil},
		{"prose_vs_table: 收到申请3件 ≠ 一 4", "prose_vs_table", []checkReport{seed.with("t3.new.total", "4")}, []checkFailure{
			w(0, "prose_vs_table", "t3", "new", "total", "warn", "3", "4")}},
		{"prose_vs_table: 行政复议2件, 行政诉讼1件 against table 四", "prose_vs_table", []checkReport{func() checkReport {
			r := seed.with("t4.all.suit_after_review.total", "1")
			r.Sections = map[int]string{4: "本年度本机关被申请行政复议2件，行政诉讼1件。"}
			return r
		}()}, []checkFailure{w(0, "prose_vs_table", "t4", "all", "review.total", "warn", "2", "0")}},

		// Every figure of a paragraph is a claim of its own (channels, not
		// in the tables, are read past).
		{"prose_vs_table: 新收120件 (当面10、网上100、信函10), 办结115件, 结转下年度5件 agree", "prose_vs_table", []checkReport{prose120(nil)}, nil},
		{"prose_vs_table: 办结115件 against （七）总计 116: that claim alone", "prose_vs_table", []checkReport{prose120(map[string]string{"t3.result_total.total": "116"})}, []checkFailure{
			w(0, "prose_vs_table", "t3", "result_total", "total", "warn", "115", "116")}},
		{"prose_vs_table: 结转下年度5件 against 四 4: that claim alone", "prose_vs_table", []checkReport{prose120(map[string]string{"t3.carried_out.total": "4"})}, []checkFailure{
			w(0, "prose_vs_table", "t3", "carried_out", "total", "warn", "5", "4")}},
		{"prose_vs_table: 部分公开20件 against 21, the other results agree", "prose_vs_table", []checkReport{prose120(map[string]string{"t3.partial.total": "21"})}, []checkFailure{
			w(0, "prose_vs_table", "t3", "partial", "total", "warn", "20", "21")}},
		{"prose_vs_table: 法人或其他组织20件 against its five columns 19", "prose_vs_table", []checkReport{prose120(map[string]string{"t3.new.other": "9"})}, []checkFailure{
			w(0, "prose_vs_table", "t3", "new", "commercial+research+social+legal+other", "warn", "20", "19")}},
		{"prose_vs_table: the second statement of 收到 differs, the first agrees", "prose_vs_table", []checkReport{func() checkReport {
			r := prose120(nil)
			r.Sections = map[int]string{1: r.Sections[1], 3: "本年度收到政府信息公开申请121件。"}
			return r
		}()}, []checkFailure{w(0, "prose_vs_table", "t3", "new", "total", "warn", "121", "120")}},

		{"deadline: government on 3月31日", "deadline", []checkReport{func() checkReport { r := seed; r.PublishedAt = "2022-03-31"; return r }()}, nil},
		{"deadline: government 2 days late", "deadline", []checkReport{func() checkReport { r := seed; r.PublishedAt = "2022-04-02"; return r }()}, []checkFailure{
			w(0, "deadline", "", "", "", "warn", "0", "2")}},
		{"deadline: department 1 day late", "deadline", []checkReport{func() checkReport { r := dept; r.PublishedAt = "2022-02-01"; return r }()}, []checkFailure{
			w(0, "deadline", "", "", "", "warn", "0", "1")}},
		{"deadline: 城乡建设局 is a department, not a 乡", "deadline", []checkReport{func() checkReport {
			r := dept
			r.Agency, r.PublishedAt = "新乡市住房和城乡建设局", "2022-03-01"
			return r
		}()}, []checkFailure{w(0, "deadline", "", "", "", "warn", "0", "29")}},
		// An unknown date is no failure of the deadline (it said so on every
		// run): completeness names it once.
		{"deadline: unknown date", "deadline", []checkReport{func() checkReport { r := seed; r.PublishedAt = ""; return r }()}, nil},
		{"completeness: unknown publication date", "completeness", []checkReport{func() checkReport { r := seed; r.PublishedAt = ""; return r }()}, []checkFailure{
			w(0, "completeness", "", "", "", "warn", "", "")}},
		{"deadline: a government's 办公厅 is a department", "deadline", []checkReport{func() checkReport {
			r := seed
			r.Agency, r.PublishedAt = "上海市人民政府办公厅", "2022-02-01"
			return r
		}()}, []checkFailure{w(0, "deadline", "", "", "", "warn", "0", "1")}},

		{"completeness: the seed is complete", "completeness", []checkReport{seed}, nil},
		{"completeness: missing table 二", "completeness", []checkReport{seed.without("t2")}, []checkFailure{
			w(0, "completeness", "t2", "", "", "warn", "", "")}},
		{"completeness: two blank cells", "completeness", []checkReport{seed.with("t3.new.legal", "", "t4.all.review.other", "")}, []checkFailure{
			w(0, "completeness", "t3", "", "", "warn", "", "1"),
			w(0, "completeness", "t4", "", "", "warn", "", "1")}},
		{"completeness: 2019 format in 2022", "completeness", []checkReport{func() checkReport { r := seedReport2019(); r.Year = 2022; return r }()}, []checkFailure{
			w(0, "completeness", "", "", "", "warn", "", "")}},
		{"report_structure: the seed's six sections", "report_structure", []checkReport{seed}, nil},
		{"report_structure: section 五 missing", "report_structure", []checkReport{func() checkReport {
			r := seed
			r.Sections = map[int]string{1: "a", 2: "b", 3: "c", 4: "d", 6: "f"}
			return r
		}()}, []checkFailure{w(0, "report_structure", "", "", "", "warn", "5", "")}},
		{"report_structure: no heading at all", "report_structure", []checkReport{func() checkReport {
			r := seed
			r.Sections = nil
			return r
		}()}, []checkFailure{w(0, "report_structure", "", "", "", "not_assessable", "", "")}},
		{"report_structure: before 2019 no six sections were due", "report_structure", []checkReport{func() checkReport {
			r := seed
			r.Year, r.Format, r.Sections = 2017, "pre2019", nil
			return r
		}()}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := newCheckDB(t)
			var ids []int64
			for _, r := range tc.given {
				ids = append(ids, addCheckReport(t, db, r))
			}
			res, err := db.Check(context.Background(), warehouse.CheckOptions{Rules: []string{tc.rule}})
			if err != nil {
				t.Fatal(err)
			}
			for i := range tc.want {
				tc.want[i].Report = ids[tc.want[i].Report]
			}
			if got := checkFailures(t, res); !sameCheckFailures(got, tc.want) {
				t.Errorf("Check(%s) = %v;\nwant %v\ndetails: %v", tc.rule, got, tc.want, details(res))
			}
		})
	}
}

func details(res *warehouse.Result) []string {
	var ds []string
	for _, row := range res.Rows {
		ds = append(ds, fmt.Sprint(row[11]))
	}
	return ds
}

// TestCheckStoresAndReplaces: failures land in check_results; a re-run of
// the same scope replaces them instead of adding; a narrower run (one year)
// leaves other years' rows alone.
func TestCheckKeepsRuns(t *testing.T) {
	ctx := context.Background()
	db := newCheckDB(t)
	addCheckReport(t, db, seedReport2021().with("t3.result_total.natural", "2"))
	r2019 := seedReport2019().with("t4.all.review.total", "1")
	addCheckReport(t, db, r2019)
	count := func(from string) map[string]int {
		t.Helper()
		res, err := db.Query(ctx, `select rule || ' ' || year as k, count(*) as n from `+from+` group by all`)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, row := range res.Rows {
			m[row[0].(string)] = int(row[1].(int64))
		}
		return m
	}
	opts := warehouse.CheckOptions{Rules: []string{"i1_balance", "i2_results", "i3_total_column", "i4_review_suit"}}
	first, err := db.Check(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"i1_balance 2021": 1, "i2_results 2021": 1, "i3_total_column 2021": 1, "i4_review_suit 2020": 1}
	if got := count("check_failures"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("check_failures after one run = %v; want %v", got, want)
	}
	if len(first.Rows) != 4 {
		t.Errorf("Check returned %d rows; want the 4 stored", len(first.Rows))
	}
	if _, err := db.Check(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := count("check_failures"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("check_failures after a re-run = %v; want %v (the latest run's)", got, want)
	}
	twice := map[string]int{"i1_balance 2021": 2, "i2_results 2021": 2, "i3_total_column 2021": 2, "i4_review_suit 2020": 2}
	if got := count("check_results"); fmt.Sprint(got) != fmt.Sprint(twice) {
		t.Errorf("check_results after a re-run = %v; want %v (each run kept)", got, twice)
	}
	// Fix the 2020 report in a new version; a 2020-only run clears its
	// flag from check_failures and keeps 2021's.
	r2019.ExtractedAt = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	addCheckReport(t, db, r2019.with("t4.all.review.total", "0"))
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: opts.Rules, Year: 2020})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 0 {
		t.Errorf("Check(year 2020) = %v; want no failures in the fixed version", checkFailures(t, res))
	}
	delete(want, "i4_review_suit 2020")
	if got := count("check_failures"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("check_failures after the 2020 run = %v; want %v", got, want)
	}
	if got := queryInt(t, db, `select count(*) from check_runs`); got != 3 {
		t.Errorf("check_runs has %d rows; want 3", got)
	}
	if got := queryString(t, db, `select string_agg(failures, ',' order by id) from check_runs`); got != "4,4,0" {
		t.Errorf("check_runs.failures = %s; want 4,4,0", got)
	}
}

func TestCheckRejectsUnknownRule(t *testing.T) {
	db := newCheckDB(t)
	for _, rule := range []string{"i9_nothing", "trend"} {
		_, err := db.Check(context.Background(), warehouse.CheckOptions{Rules: []string{rule}})
		if err == nil || !strings.Contains(err.Error(), "i1_balance") || !strings.Contains(err.Error(), rule) {
			t.Errorf("Check(rule %s) error = %v; want one naming it and listing the valid rules", rule, err)
		}
	}
}

// TestCheckCorpus runs I1–I4 and the cross-year checks on the expected
// values of the real pages in ../shared/corpus: only 平潭 2020, whose result
// rows exceed （七）总计 by 6, fails.
func TestCheckCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	db := newCheckDB(t)
	ids := map[string]int64{}
	for _, name := range []string{"muye-2021", "pingtan-2020", "pingtan-2021", "pingtan-2022"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".expected.json"))
		if err != nil {
			t.Fatal(err)
		}
		var exp struct {
			Year   int                `json:"year"`
			Format string             `json:"format"`
			Cells  map[string]*string `json:"cells"`
		}
		if err := json.Unmarshal(b, &exp); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := checkReport{Agency: "平潭综合实验区管委会", Region: "350128", Year: exp.Year, Format: exp.Format,
			Source: name, PublishedAt: fmt.Sprintf("%d-01-15", exp.Year+1), Cells: map[string]string{}}
		if strings.HasPrefix(name, "muye") {
			r.Agency, r.Region = "新乡市牧野区人民政府", "410702"
		}
		for k, v := range exp.Cells {
			if v == nil {
				r.Cells[k] = ""
			} else {
				r.Cells[k] = *v
			}
		}
		ids[name] = addCheckReport(t, db, r)
	}
	res, err := db.Check(context.Background(), warehouse.CheckOptions{Rules: []string{
		"i1_balance", "i2_results", "i3_total_column", "i4_review_suit", "legal_subtotal", "carry_over", "stock_roll_forward"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []checkFailure{
		{Report: ids["pingtan-2020"], Rule: "i2_results", Table: "t3", Row: "result_total", Col: "natural", Sev: "error", Expected: "26", Actual: "20"},
		{Report: ids["pingtan-2020"], Rule: "i2_results", Table: "t3", Row: "result_total", Col: "total", Sev: "error", Expected: "27", Actual: "21"},
	}
	if got := checkFailures(t, res); !sameCheckFailures(got, want) {
		t.Errorf("Check(corpus) = %v;\nwant %v\ndetails: %v", got, want, details(res))
	}
}

// TestCheckDetails: each failure says which cells, expected vs printed.
func TestCheckDetails(t *testing.T) {
	db := newCheckDB(t)
	addCheckReport(t, db, seedReport2021().with("t3.result_total.natural", "2", "t3.new.total", "",
		"t4.all.review.total", "1"))
	res, err := db.Check(context.Background(), warehouse.CheckOptions{Rules: []string{
		"i1_balance", "i2_results", "i3_total_column", "i4_review_suit"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"一+二 = (七)总计+四, 自然人 [natural]: 3+0 ≠ 2+0",
		"一+二 = (七)总计+四, 总计 [total]: 空+0 ≠ 3+0",
		"(七)总计 = sum of (一)…(六), 自然人 [natural]: printed 2, rows sum to 3 (6.属于四类过程性信息 [denied.process] 1 + 1.本机关不掌握相关政府信息 [unable.no_info] 2)",
		"总计 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他, 一、本年新收政府信息公开申请数量 [new]: 空 ≠ 3+0+0+0+0+0",
		"总计 = 自然人+商业企业+科研机构+社会公益组织+法律服务机构+其他, （七）总计 [result_total]: 3 ≠ 2+0+0+0+0+0",
		"行政复议 [review.total] 总计 = 维持+纠正+其他+尚未审结: 1 ≠ 0+0+0+0",
	}
	got := details(res)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("details =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
