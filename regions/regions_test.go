package regions

import (
	"strings"
	"testing"
)

func TestData(t *testing.T) {
	all := All()
	levels := map[string]int{}
	for _, r := range all {
		levels[r.Level]++
		if r.Level != LevelProvince {
			p, ok := ByCode(r.Parent)
			if !ok {
				t.Errorf("%s %s: parent %s not listed", r.Code, r.Name, r.Parent)
				continue
			}
			if !strings.HasPrefix(r.Code, p.Prefix()) {
				t.Errorf("%s %s: code outside its parent %s", r.Code, r.Name, p.Code)
			}
		}
	}
	// 31 provinces, 333 prefecture-level divisions (2023); over 2,800 counties.
	if levels[LevelProvince] != 31 || levels[LevelCity] != 333 || levels[LevelCounty] < 2800 {
		t.Errorf("levels = %v; want 31 provinces, 333 cities, 2800+ counties", levels)
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct{ in, code, err string }{
		{"3501", "350100", ""},
		{"350100", "350100", ""},
		{"35", "350000", ""},
		{"福州市", "350100", ""},
		{"福州", "350100", ""},
		{"福建", "350000", ""},
		{"福建省", "350000", ""},
		{"新疆", "650000", ""},
		{"延边", "222400", ""},
		{"福州市鼓楼区", "350102", ""},
		{"福建省福州市鼓楼区", "350102", ""},
		{"新乡县", "410721", ""},
		{"新乡", "410700", ""}, // 新乡市, not 新乡县 within it
		{"牧野区", "410711", ""},
		{"北京市朝阳区", "110105", ""},
		{"鼓楼区", "", "ambiguous"},
		{"鼓楼区", "", "350102 福建省福州市鼓楼区"},
		{"火星市", "", "no such region"},
		{"999999", "", "no such GB/T 2260 code"},
		{"12345", "", "want a GB/T 2260 code"},
	} {
		r, err := Lookup(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Lookup(%q) = %v, %v; want error with %q", tc.in, r, err, tc.err)
			}
			continue
		}
		if err != nil || r.Code != tc.code {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.in, r.Code, err, tc.code)
		}
	}
}

func TestChainAndLevel(t *testing.T) {
	var names []string
	for _, r := range Chain("350102") {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "鼓楼区,福州市,福建省" {
		t.Errorf("Chain(350102) = %s", got)
	}
	// A municipality's district hangs under the municipality itself.
	if c := Chain("110105"); len(c) != 2 || c[1].Code != "110000" {
		t.Errorf("Chain(110105) = %v", c)
	}
	for code, want := range map[string]string{"350000": LevelProvince, "350100": LevelCity, "350102": LevelCounty, "441900": LevelCity, "419001": LevelCounty, "12": ""} {
		if got := Level(code); got != want {
			t.Errorf("Level(%s) = %q; want %q", code, got, want)
		}
	}
	if r, _ := ByCode("350102"); r.FullName() != "福建省福州市鼓楼区" || r.Prefix() != "350102" {
		t.Errorf("350102: %s %s", r.FullName(), r.Prefix())
	}
}

func TestFromAgency(t *testing.T) {
	for _, tc := range []struct{ name, hint, code string }{
		{"福州市鼓楼区人民政府", "", "350102"},
		{"福建省福州市鼓楼区教育局", "", "350102"},
		{"福州市生态环境局", "", "350100"},
		{"福建省教育厅", "", "350000"},
		{"上海市人民政府办公厅", "", "310000"},
		{"新乡市牧野区人民政府", "", "410711"},
		{"新乡县人民政府", "", "410721"},
		{"沭阳县发展和改革局", "", "321322"},
		// 鼓楼区 is in four cities: the portal's region decides.
		{"鼓楼区人民政府", "350100", "350102"},
		{"鼓楼区人民政府", "320100", "320106"},
		{"鼓楼区人民政府", "", ""},
		// A city's portal publishes its counties' reports.
		{"闽侯县人民政府", "350100", "350121"},
		// Nothing more precise in the name: the portal's region stands.
		{"教育局", "410711", "410711"},
		{"平潭综合实验区管委会", "350128", "350128"},
		{"福州市人民政府", "350102", "350102"},
		// 城关镇 is a town, not 兰州市城关区.
		{"城关镇人民政府", "", ""},
		{"国家税务总局福州市税务局", "", ""},
	} {
		r, ok := FromAgency(tc.name, tc.hint)
		if r.Code != tc.code || ok != (tc.code != "") {
			t.Errorf("FromAgency(%q, %q) = %s %v; want %q", tc.name, tc.hint, r.Code, ok, tc.code)
		}
	}
}
