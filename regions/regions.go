// Package regions holds the GB/T 2260 administrative divisions (county
// level and up) as embedded data, and the lookups nianbao needs: code →
// region, name → code (with the usual suffix-less forms, 福州 / 福州市), the
// parent chain, and the region an agency's name begins with.
//
// The data is gbt2260.tsv (source and version in its header; made by
// gen_gbt2260.py). It is read once, on first use.
package regions

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed gbt2260.tsv
var data string

// Levels of a region. Agencies use the same words (warehouse.Level*).
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
)

// Region is one administrative division.
type Region struct {
	Code   string // six digits: 350000, 350100, 350102
	Name   string // as in GB/T 2260: 福州市
	Short  string // the name without its suffix (福州); "" when none is usable
	Level  string // LevelProvince, LevelCity or LevelCounty
	Parent string // the code of the division above; "" for a province
}

// Prefix is the code without its trailing zero pairs: what every code
// below the region starts with (35, 3501, 350102).
func (r Region) Prefix() string { return Prefix(r.Code) }

// FullName is the names of the chain from the province down: 福建省福州市鼓楼区.
func (r Region) FullName() string {
	var b strings.Builder
	chain := Chain(r.Code)
	for i := len(chain) - 1; i >= 0; i-- {
		b.WriteString(chain[i].Name)
	}
	return b.String()
}

type index struct {
	all    []Region
	byCode map[string]int
	byName map[string][]int // full and short names → regions
	maxLen int              // longest name, in runes
}

var (
	once sync.Once
	idx  index
)

func load() *index {
	once.Do(func() {
		idx.byCode = map[string]int{}
		idx.byName = map[string][]int{}
		for n, line := range strings.Split(data, "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 4 || len(f[0]) != 6 {
				panic(fmt.Sprintf("regions: gbt2260.tsv line %d: %q", n+1, line))
			}
			r := Region{Code: f[0], Name: f[1], Level: f[2], Parent: f[3]}
			r.Short = shortName(r.Name, r.Level)
			idx.byCode[r.Code] = len(idx.all)
			idx.all = append(idx.all, r)
		}
		for i, r := range idx.all {
			idx.byName[r.Name] = append(idx.byName[r.Name], i)
			if r.Short != "" && r.Short != r.Name {
				idx.byName[r.Short] = append(idx.byName[r.Short], i)
			}
			idx.maxLen = max(idx.maxLen, utf8.RuneCountInString(r.Name))
		}
	})
	return &idx
}

// autonomousShort are the short names of the five autonomous regions.
var autonomousShort = map[string]string{
	"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
	"宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
}

// suffixes end a region's name; the longest that leaves at least two
// characters is dropped to make the short form. 自治州/自治县/自治旗 also
// drop the peoples named before them (延边朝鲜族自治州 → 延边).
var suffixes = []string{"特别行政区", "自治州", "自治县", "自治旗", "林区", "地区", "新区", "省", "市", "盟", "县", "区", "旗"}

// peoples named in the names of autonomous prefectures and counties, longest first.
var peoples = []string{"维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "蒙古族", "蒙古", "各族"}

func shortName(name, level string) string {
	if s, ok := autonomousShort[name]; ok {
		return s
	}
	for _, suf := range suffixes {
		if !strings.HasSuffix(name, suf) {
			continue
		}
		s := strings.TrimSuffix(name, suf)
		if strings.HasPrefix(suf, "自治") {
			s = trimPeoples(s)
		}
		if utf8.RuneCountInString(s) < 2 {
			return ""
		}
		// Development zones and the like (新乡高新技术产业开发区) have no
		// short form anyone prints.
		if strings.HasSuffix(s, "开发") || strings.HasSuffix(s, "园") || strings.HasSuffix(s, "示范") {
			return ""
		}
		return s
	}
	return ""
}

// trimPeoples drops the peoples an autonomous area's name ends with:
// 延边朝鲜族 → 延边, 黔东南苗族侗族 → 黔东南.
func trimPeoples(s string) string {
	for {
		trimmed := false
		for _, p := range peoples {
			if strings.HasSuffix(s, p) && utf8.RuneCountInString(s) > utf8.RuneCountInString(p)+1 {
				s, trimmed = strings.TrimSuffix(s, p), true
				break
			}
		}
		if !trimmed && strings.HasSuffix(s, "族") {
			// 朝鲜族, 苗族, 土家族: the people's name is one or two characters
			// before 族; keep at least two characters of place.
			rs := []rune(s)
			for n := 3; n >= 2; n-- {
				if len(rs) >= n+2 && knownPeople(string(rs[len(rs)-n:])) {
					s, trimmed = string(rs[:len(rs)-n]), true
					break
				}
			}
		}
		if !trimmed {
			return s
		}
	}
}

// knownPeople reports whether s (ending in 族) is a people's name of two or
// three characters, as they appear in autonomous area names.
func knownPeople(s string) bool {
	switch s {
	case "朝鲜族", "土家族", "布依族", "哈尼族", "傈僳族", "拉祜族", "东乡族", "纳西族", "景颇族", "仫佬族",
		"毛南族", "仡佬族", "撒拉族", "达斡尔族", "锡伯族", "鄂温克族", "鄂伦春族", "裕固族", "保安族",
		"苗族", "侗族", "瑶族", "彝族", "壮族", "回族", "藏族", "白族", "傣族", "黎族", "佤族", "畲族", "水族",
		"土族", "羌族", "满族", "怒族", "独龙族", "普米族", "蒙古族":
		return true
	}
	return false
}

// All returns every region in file order (provinces, cities, counties).
func All() []Region {
	return append([]Region(nil), load().all...)
}

// Prefix is a code without its trailing zero pairs (350000 → 35,
// 350100 → 3501, 350102 → 350102); other strings are returned as they are.
func Prefix(code string) string {
	if len(code) != 6 {
		return code
	}
	switch {
	case strings.HasSuffix(code, "0000"):
		return code[:2]
	case strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}

// ByCode finds a region by its six-digit code, or by a two- or four-digit
// prefix (35 → 福建省, 3501 → 福州市).
func ByCode(code string) (Region, bool) {
	switch len(code) {
	case 2:
		code += "0000"
	case 4:
		code += "00"
	}
	x := load()
	i, ok := x.byCode[code]
	if !ok {
		return Region{}, false
	}
	return x.all[i], true
}

// Chain returns the region and the regions above it, nearest first
// (鼓楼区, 福州市, 福建省); nil for an unknown code.
func Chain(code string) []Region {
	var out []Region
	for code != "" {
		r, ok := ByCode(code)
		if !ok {
			break
		}
		out = append(out, r)
		code = r.Parent
	}
	return out
}

// Level is the level of a code: from the data when it is listed, else from
// its shape (XX0000 province, XXXX00 city, other county); "" when code is
// not six digits.
func Level(code string) string {
	if r, ok := ByCode(code); ok && len(code) == 6 {
		return r.Level
	}
	return ShapeLevel(code)
}

// ShapeLevel is the level a code's shape gives, listed or not: XX0000
// province, XXXX00 city, other county; "" when code is not six digits.
func ShapeLevel(code string) string {
	if len(code) != 6 {
		return ""
	}
	switch {
	case strings.HasSuffix(code, "0000"):
		return LevelProvince
	case strings.HasSuffix(code, "00"):
		return LevelCity
	}
	return LevelCounty
}

// Within reports whether code is region or lies below it.
func Within(code, region string) bool {
	return code != "" && region != "" && strings.HasPrefix(code, Prefix(region))
}

// ByName returns the regions printed as name, full (福州市) or short (福州);
// several when the name is ambiguous (鼓楼区).
func ByName(name string) []Region {
	x := load()
	var out []Region
	for _, i := range x.byName[strings.TrimSpace(name)] {
		out = append(out, x.all[i])
	}
	return out
}

// Lookup resolves what a user typed for a region: a code or code prefix
// (digits, returned as they are when no region has them), a name, or a
// chain of names (福建省福州市鼓楼区, 福州市鼓楼区). An ambiguous name is an
// error naming the candidates.
func Lookup(s string) (Region, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Region{}, fmt.Errorf("empty region")
	}
	if isDigits(s) {
		if r, ok := ByCode(s); ok {
			return r, nil
		}
		if len(s) == 6 || len(s) == 4 || len(s) == 2 {
			return Region{}, fmt.Errorf("region %s: no such GB/T 2260 code", s)
		}
		return Region{}, fmt.Errorf("region %s: want a GB/T 2260 code (2, 4 or 6 digits) or a name", s)
	}
	if rs := ByName(s); len(rs) == 1 {
		return rs[0], nil
	} else if r, ok := outermost(rs); ok {
		return r, nil
	} else if len(rs) > 1 {
		return Region{}, ambiguous(s, rs)
	}
	m := match(s, "")
	if m.region.Code != "" && m.end == len(s) {
		return m.region, nil
	}
	if len(m.ambiguous) > 0 && m.end == len(s) {
		return Region{}, ambiguous(s, m.ambiguous)
	}
	return Region{}, fmt.Errorf("region %q: no such region", s)
}

// outermost returns the one region that contains all the others: 新乡 is
// 新乡市 before 新乡县, which lies in it.
func outermost(rs []Region) (Region, bool) {
	for _, r := range rs {
		all := true
		for _, o := range rs {
			all = all && Within(o.Code, r.Code)
		}
		if all {
			return r, len(rs) > 0
		}
	}
	return Region{}, false
}

func ambiguous(s string, rs []Region) error {
	var names []string
	for _, r := range rs {
		names = append(names, r.Code+" "+r.FullName())
	}
	sort.Strings(names)
	return fmt.Errorf("region %q is ambiguous: %s (give the code or the name with its city)", s, strings.Join(names, ", "))
}

// townPart reports whether a short region name is followed by what makes
// it part of a smaller place's name (城关镇, 长安街道).
func townPart(next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	return strings.ContainsRune("镇乡村街路社里", r)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// FromAgency derives an agency's region from the region names its name
// begins with, longest first and chained (福建省福州市鼓楼区教育局 → 350102).
// hint is the region the page came from (its portal's), "" when unknown:
// it decides between regions of one name (鼓楼区 under a 福州 portal is
// 350102), and it wins when the name says nothing more precise — a
// derived region is returned only when it is the hint or lies below it.
// ok is false when the name begins with no region (or an ambiguous one)
// and there is no hint.
func FromAgency(name, hint string) (Region, bool) {
	name = strings.TrimSpace(name)
	var hinted Region
	if hint != "" {
		if r, ok := ByCode(hint); ok {
			hinted = r
		}
	}
	m := match(name, hint)
	if m.region.Code != "" && (hint == "" || Within(m.region.Code, hint)) {
		return m.region, true
	}
	if hinted.Code != "" {
		return hinted, true
	}
	return Region{}, false
}

type matched struct {
	region    Region
	end       int      // bytes of the name consumed
	ambiguous []Region // candidates when the first name was ambiguous
}

// match reads the chain of region names at the start of s: each next name
// must be a child (or grandchild) of the one before; a name several
// regions share is settled by the hint, else the match stops there.
func match(s, hint string) matched {
	x := load()
	var m matched
	pos := 0
	for pos < len(s) {
		rest := s[pos:]
		var best []int
		bestLen := 0
		// Longest name first: 新乡县 before 新乡.
		for n, end := 0, 0; end < len(rest) && n < x.maxLen; n++ {
			_, size := utf8.DecodeRuneInString(rest[end:])
			end += size
			cands := x.byName[rest[:end]]
			var keep []int
			for _, i := range cands {
				r := x.all[i]
				if r.Name != rest[:end] && townPart(rest[end:]) {
					continue // 城关镇 is not 城关区
				}
				if m.region.Code != "" && !(r.Parent == m.region.Code || (r.Parent != "" && x.all[x.byCode[r.Parent]].Parent == m.region.Code)) {
					continue
				}
				if m.region.Code != "" || utf8.RuneCountInString(rest[:end]) >= 2 {
					keep = append(keep, i)
				}
			}
			if len(keep) > 0 {
				best, bestLen = keep, end
			}
		}
		if len(best) == 0 {
			break
		}
		if len(best) > 1 && hint != "" {
			var near []int
			for _, i := range best {
				if Within(x.all[i].Code, hint) || Within(hint, x.all[i].Code) {
					near = append(near, i)
				}
			}
			best = near
		}
		if len(best) != 1 {
			if m.region.Code == "" {
				for _, i := range best {
					m.ambiguous = append(m.ambiguous, x.all[i])
				}
				m.end = pos + bestLen
			}
			break
		}
		m.region, m.ambiguous = x.all[best[0]], nil
		pos += bestLen
		m.end = pos
	}
	return m
}
