package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// resultRows are table 三's result rows with the share of requests each
// gets on average; "other" is one row in 2019 and three in 2021.
var resultRows = []struct {
	code   string
	weight float64
}{
	{"granted", 0.45}, {"partial", 0.10},
	{"denied.state_secret", 0.002}, {"denied.law_prohibited", 0.005}, {"denied.three_safety", 0.003},
	{"denied.third_party", 0.01}, {"denied.internal", 0.01}, {"denied.process", 0.02},
	{"denied.enforcement", 0.005}, {"denied.query", 0.005},
	{"unable.no_info", 0.20}, {"unable.need_creation", 0.03}, {"unable.unclear", 0.03},
	{"rejected.complaint", 0.04}, {"rejected.duplicate", 0.02}, {"rejected.publication", 0.005},
	{"rejected.excessive", 0.01}, {"rejected.confirm", 0.005},
	{"other", 0.05},
}

var otherRows2021 = []string{"other.no_correction", "other.no_fee", "other.other"}

var t4Groups = []string{"review", "suit_direct", "suit_after_review"}

// table is a report being built: cell values by table, row and column, in
// print order.
type table struct {
	cells  []extract.Cell
	blanks bool
}

func (t *table) add(tbl, row, col string, v int64, srcTable, srcRow, srcCol int) {
	t.addText(tbl, row, col, strconv.FormatInt(v, 10), srcTable, srcRow, srcCol)
}

func (t *table) addText(tbl, row, col, v string, srcTable, srcRow, srcCol int) {
	c := extract.Cell{Table: tbl, Row: row, Col: col, Raw: v, SrcTable: srcTable, SrcRow: srcRow, SrcCol: srcCol}
	if t.blanks && v == "0" {
		c.Raw = ""
	} else {
		c.Value = &v
	}
	t.cells = append(t.cells, c)
}

// split divides n among weights, with noise, so the parts sum to n.
func (a *agency) split(n int64, weights []float64) []int64 {
	parts := make([]int64, len(weights))
	if n == 0 {
		return parts
	}
	noisy := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		noisy[i] = w * a.rng.ExpFloat64()
		sum += noisy[i]
	}
	var used int64
	for i := range weights {
		parts[i] = int64(float64(n) * noisy[i] / sum)
		used += parts[i]
	}
	parts[0] += n - used
	return parts
}

func (a *agency) report(year int) Generated {
	o := a.opts
	format := FormatFor(year)
	t := &table{blanks: a.rng.Float64() < o.BlankShare}
	a.table2(t, year, format)
	newTotal, carriedTotal := a.table3(t, format)
	reviews, suits := a.table4(t)
	g := Generated{RegionCode: a.region, Portal: "synth-" + a.region[:2], Agency: a.idx}
	if a.rng.Float64() < o.ImbalanceShare {
		g.Flaw = a.flaw(t)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d/%d", o.Seed, a.idx, year))
	g.SHA256 = hex.EncodeToString(sum[:])
	g.Report = &extract.Report{
		Source:       fmt.Sprintf("https://synth.example/%s/%d/nb%d.html", a.region, a.idx, year),
		Agency:       a.name,
		Year:         year,
		Format:       format,
		Title:        fmt.Sprintf("%s%d年政府信息公开工作年度报告", a.name, year),
		PublishedAt:  a.published(year),
		TableFormats: map[string]string{"t2": format, "t3": format, "t4": format},
		Cells:        t.cells,
		Sections:     sections(year, newTotal, carriedTotal, reviews, suits),
		Warnings:     []extract.Warning{},
	}
	return g
}

// published draws a publication date: most before the statutory deadline
// (departments 1月31日, governments 3月31日 of the next year), 4% late.
func (a *agency) published(year int) string {
	deadline := time.Date(year+1, 1, 31, 0, 0, 0, 0, time.UTC)
	if a.government {
		deadline = time.Date(year+1, 3, 31, 0, 0, 0, 0, time.UTC)
	}
	d := deadline.AddDate(0, 0, -a.rng.IntN(25))
	if a.rng.Float64() < 0.04 {
		d = deadline.AddDate(0, 0, 1+a.rng.IntN(60))
	}
	return d.Format(time.DateOnly)
}

func (a *agency) table2(t *table, year int, format string) {
	rulesMade, normMade := int64(0), a.poisson(1.5)
	if a.government {
		rulesMade = a.poisson(0.3)
	}
	rulesRep := min(a.inForce[0], a.poisson(0.1))
	normRep := min(a.inForce[1], a.poisson(0.8))
	a.inForce[0] += rulesMade - rulesRep
	a.inForce[1] += normMade - normRep
	licensing, penalty, coercion := a.poisson(a.scale*40), a.poisson(a.scale*8), a.poisson(0.5)
	if format == "2021" {
		t.add("t2", "rules", "made", rulesMade, 1, 3, 1)
		t.add("t2", "rules", "repealed", rulesRep, 1, 3, 2)
		t.add("t2", "rules", "in_force", a.inForce[0], 1, 3, 3)
		t.add("t2", "normative", "made", normMade, 1, 4, 1)
		t.add("t2", "normative", "repealed", normRep, 1, 4, 2)
		t.add("t2", "normative", "in_force", a.inForce[1], 1, 4, 3)
		t.add("t2", "licensing", "decisions", licensing, 1, 7, 1)
		t.add("t2", "penalty", "decisions", penalty, 1, 10, 1)
		t.add("t2", "coercion", "decisions", coercion, 1, 11, 1)
		t.addText("t2", "fees", "amount_wan_yuan", wanYuan(a.rng.Int64N(2_000_000)), 1, 14, 1)
		return
	}
	t.add("t2", "rules", "new_made", rulesMade, 1, 3, 1)
	t.add("t2", "rules", "new_published", rulesMade, 1, 3, 2)
	t.add("t2", "rules", "total_published", a.inForce[0], 1, 3, 3)
	t.add("t2", "normative", "new_made", normMade, 1, 4, 1)
	t.add("t2", "normative", "new_published", normMade, 1, 4, 2)
	t.add("t2", "normative", "total_published", a.inForce[1], 1, 4, 3)
	row := 7
	for _, r := range []struct {
		code      string
		decisions int64
	}{{"licensing", licensing}, {"other_services", a.poisson(a.scale * 5)}, {"penalty", penalty}, {"coercion", coercion}} {
		t.add("t2", r.code, "prev_items", a.poisson(20), 1, row, 1)
		t.add("t2", r.code, "change", a.poisson(1)-a.poisson(1), 1, row, 2)
		t.add("t2", r.code, "decisions", r.decisions, 1, row, 3)
		row++
	}
	t.add("t2", "fees", "prev_items", a.poisson(3), 1, row+1, 1)
	t.add("t2", "fees", "change", a.poisson(0.3)-a.poisson(0.3), 1, row+1, 2)
	t.add("t2", "procurement", "items", a.poisson(4), 1, row+3, 1)
	t.addText("t2", "procurement", "amount_yuan", yuan(a.rng.Int64N(500_000_000)), 1, row+3, 2)
}

// wanYuan prints ten-thousandths of 万元 as the decimal reports print.
func wanYuan(v int64) string {
	s := fmt.Sprintf("%d.%04d", v/10000, v%10000)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// yuan prints cents as 元 with up to two decimals.
func yuan(cents int64) string {
	s := fmt.Sprintf("%d.%02d", cents/100, cents%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// table3 fills table 三 so that every rule balances and this year's
// carry-in is last year's carry-out; it returns the totals the prose cites.
func (a *agency) table3(t *table, format string) (newTotal, carriedTotal int64) {
	weights := make([]float64, len(resultRows))
	for i, r := range resultRows {
		weights[i] = r.weight
	}
	// rows[r][c]: per result row and applicant column.
	rows := make([][6]int64, len(resultRows))
	var newc, carriedIn, carriedOut [6]int64
	for c := range t3Cols {
		newc[c] = a.poisson(a.scale * colShare[c])
		carriedIn[c] = a.carried[c]
		avail := newc[c] + carriedIn[c]
		carriedOut[c] = int64(float64(avail) * a.rng.Float64() * 0.12)
		for r, v := range a.split(avail-carriedOut[c], weights) {
			rows[r][c] = v
		}
	}
	a.carried = carriedOut
	srcRow := 4
	put := func(row string, v [6]int64) {
		var total int64
		for c, col := range t3Cols {
			t.add("t3", row, col, v[c], 2, srcRow, 3+c)
			total += v[c]
		}
		t.add("t3", row, "total", total, 2, srcRow, 9)
		srcRow++
	}
	put("new", newc)
	put("carried_in", carriedIn)
	var resultTotal [6]int64
	for r, rr := range resultRows {
		for c := range t3Cols {
			resultTotal[c] += rows[r][c]
		}
		if rr.code == "other" && format == "2021" {
			var sub [3][6]int64
			for c := range t3Cols {
				for k, v := range a.split(rows[r][c], []float64{0.3, 0.05, 0.65}) {
					sub[k][c] = v
				}
			}
			for k, code := range otherRows2021 {
				put(code, sub[k])
			}
			continue
		}
		put(rr.code, rows[r])
	}
	put("result_total", resultTotal)
	put("carried_out", carriedOut)
	for c := range t3Cols {
		newTotal += newc[c]
		carriedTotal += carriedIn[c]
	}
	return newTotal, carriedTotal
}

// table4 fills table 四; each group's total is the sum of its four results.
func (a *agency) table4(t *table) (reviews, suits int64) {
	col := 1
	for g, group := range t4Groups {
		n := a.poisson(a.scale * []float64{0.02, 0.015, 0.005}[g])
		parts := a.split(n, []float64{0.7, 0.1, 0.1, 0.1})
		for k, res := range []string{"upheld", "corrected", "other", "pending"} {
			t.add("t4", "all", group+"."+res, parts[k], 3, 3, col)
			col++
		}
		t.add("t4", "all", group+".total", n, 3, 3, col)
		col++
		if g == 0 {
			reviews = n
		} else {
			suits += n
		}
	}
	return reviews, suits
}

// flaw breaks exactly one rule by changing printed cells; see [Flaw].
func (a *agency) flaw(t *table) *Flaw {
	find := func(tbl, row, col string) *extract.Cell {
		for i := range t.cells {
			c := &t.cells[i]
			if c.Table == tbl && c.Row == row && c.Col == col {
				return c
			}
		}
		return nil
	}
	bump := func(c *extract.Cell, d int64) {
		var v int64
		if c.Value != nil {
			v, _ = strconv.ParseInt(*c.Value, 10, 64)
		}
		s := strconv.FormatInt(v+d, 10)
		c.Value, c.Raw = &s, s
	}
	switch a.rng.IntN(4) {
	case 0: // 四、结转 off in one column and the total column: only I1 breaks.
		col := t3Cols[a.rng.IntN(len(t3Cols))]
		bump(find("t3", "carried_out", col), 1)
		bump(find("t3", "carried_out", "total"), 1)
		return &Flaw{Table: "t3", Row: "carried_out", Col: col, Delta: 1, Rule: "i1_balance"}
	case 1: // a result row off in one column and the total: only I2 breaks.
		col := t3Cols[a.rng.IntN(len(t3Cols))]
		bump(find("t3", "granted", col), 1)
		bump(find("t3", "granted", "total"), 1)
		return &Flaw{Table: "t3", Row: "granted", Col: col, Delta: 1, Rule: "i2_results"}
	case 2: // two rows' totals off in opposite directions: only I3 breaks.
		bump(find("t3", "granted", "total"), 1)
		bump(find("t3", "partial", "total"), -1)
		return &Flaw{Table: "t3", Row: "granted", Col: "total", Delta: 1, Rule: "i3_total_column"}
	default: // 行政复议总计 off: only I4 breaks.
		bump(find("t4", "all", "review.total"), 1)
		return &Flaw{Table: "t4", Row: "all", Col: "review.total", Delta: 1, Rule: "i4_review_suit"}
	}
}

var headings = []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}

func sections(year int, received, carried, reviews, suits int64) []extract.Section {
	texts := []string{
		fmt.Sprintf("%d年，本机关共收到政府信息公开申请%d件，上年结转%d件，均已按规定办理。", year, received, carried),
		"主动公开情况详见下表。",
		"收到和处理政府信息公开申请情况详见下表。",
		fmt.Sprintf("全年因政府信息公开被申请行政复议%d件，被提起行政诉讼%d件。", reviews, suits),
		"存在的主要问题是公开内容不够全面，下一步将加强培训。",
		"本年度未收取信息处理费。",
	}
	out := make([]extract.Section, len(headings))
	for i := range headings {
		out[i] = extract.Section{Number: i + 1, Heading: headings[i], Text: texts[i]}
	}
	return out
}
