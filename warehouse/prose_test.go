package warehouse_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/extract"
	"github.com/nianbao/nianbao/warehouse"
)

// proseFlags loads one page (its bytes as given) into a new database and
// returns prose_vs_table's details for it.
func proseFlags(t *testing.T, name string, body []byte) []string {
	t.Helper()
	ctx := context.Background()
	ct := map[string]string{".html": "text/html", ".txt": "text/plain"}[filepath.Ext(name)]
	rep, err := extract.Parse(extract.Input{Source: name, Body: body, ContentType: ct})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	db := newCheckDB(t)
	if _, err := db.LoadReports(ctx, []warehouse.Load{{Report: rep}}); err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	res, err := db.Check(ctx, warehouse.CheckOptions{Rules: []string{"prose_vs_table"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range res.Rows {
		got = append(got, row[11].(string))
	}
	slices.Sort(got)
	return got
}

// TestProseCorpus: real pages whose prose restates their tables raise no
// prose flag; each page with one figure of its prose changed raises
// exactly that claim, whichever it is among the paragraph's figures.
func TestProseCorpus(t *testing.T) {
	shared := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
		t.Skipf("../shared/corpus not present: %v", err)
	}
	for _, tc := range []struct {
		page     string
		from, to string // the one figure changed
		want     string // the flag it raises
	}{
		// "本年度全区共收到70件申请,及时依法依规办结69件,1件结转下年度继续办理"
		{"corpus/pingtan-2021.html", "办结69件", "办结68件", "办结 (section 一, figure 1): prose says 68件, table says 69"},
		{"corpus/pingtan-2021.html", "收到70件申请", "收到71件申请", "收到申请 (section 一, figure 1): prose says 71件, table says 70"},
		{"corpus/pingtan-2021.html", "，1件结转下年度", "，2件结转下年度", "结转下年度 (section 一, figure 1): prose says 2件, table says 1"},
		// "收到政府信息公开申请75件,涉及自然人72件、商业企业3件" (一 + 二);
		// "行政诉讼案件1件、行政复议案件2件"
		{"corpus/pingtan-2022.html", "商业企业3件", "商业企业4件", "商业企业 (section 一, figure 1): prose says 4件, table says 3"},
		{"corpus/pingtan-2022.html", "行政复议案件2件", "行政复议案件3件", "行政复议 (section 一, figure 1): prose says 3件, table says 2"},
		{"corpus/pingtan-2022.html", "自然人72件", "自然人70件", "自然人 (section 一, figure 1): prose says 70件, table says 71"},
		{"corpus/pingtan-2020.html", "受理政府信息公开申请21件", "受理政府信息公开申请12件", "收到申请 (section 一, figure 1): prose says 12件, table says 21"},
		{"seed/muye-2021-annual-report.txt", "收到政府信息公开申请3件", "收到政府信息公开申请5件", "收到申请 (section 一, figure 1): prose says 5件, table says 3"},
	} {
		t.Run(tc.page+" "+tc.to, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(shared, tc.page))
			if err != nil {
				t.Fatal(err)
			}
			if got := proseFlags(t, tc.page, body); len(got) != 0 {
				t.Errorf("%s as published: prose flags %q; want none", tc.page, got)
			}
			if !strings.Contains(string(body), tc.from) {
				t.Fatalf("%s does not print %q", tc.page, tc.from)
			}
			changed := strings.Replace(string(body), tc.from, tc.to, 1)
			if got := proseFlags(t, tc.page, []byte(changed)); len(got) != 1 || got[0] != tc.want {
				t.Errorf("%s with %q for %q: prose flags %q; want exactly %q", tc.page, tc.to, tc.from, got, tc.want)
			}
		})
	}
}
