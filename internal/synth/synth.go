package synth

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/nianbao/nianbao/extract"
)

// Options configure [Reports]. The zero value generates nothing; zero
// fields other than Agencies take the defaults below.
type Options struct {
	Agencies  int    // number of agencies
	FirstYear int    // first statistical year; 0 means DefaultFirstYear
	Years     int    // years per agency; 0 means DefaultYears
	Seed      uint64 // 0 means DefaultSeed
	// ImbalanceShare is the share of reports with one deliberately wrong
	// cell; 0 means DefaultImbalanceShare, negative means none.
	ImbalanceShare float64
	// BlankShare is the share of reports printing blanks for zeros; 0 means
	// DefaultBlankShare, negative means none.
	BlankShare float64
}

// Defaults for [Options].
const (
	DefaultFirstYear      = 2014
	DefaultYears          = 10
	DefaultSeed           = 20240101
	DefaultImbalanceShare = 0.05
	DefaultBlankShare     = 0.15
)

// Generated is one synthetic report with what a loader needs and the truth
// about it.
type Generated struct {
	Report     *extract.Report
	RegionCode string
	Portal     string
	SHA256     string // stands for the page bytes: a hash of agency, year and seed
	Agency     int    // agency index, 0..Agencies-1
	// Flaw is the deliberately wrong cell, nil for a balanced report.
	Flaw *Flaw
}

// Flaw is a cell whose printed value is off by Delta from the value that
// balances, and the check rule expected to catch it.
type Flaw struct {
	Table, Row, Col string
	Delta           int
	Rule            string // i1_balance, i2_results, i3_total_column, i4_review_suit
}

func (o *Options) defaults() {
	if o.FirstYear == 0 {
		o.FirstYear = DefaultFirstYear
	}
	if o.Years == 0 {
		o.Years = DefaultYears
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.ImbalanceShare == 0 {
		o.ImbalanceShare = DefaultImbalanceShare
	}
	if o.BlankShare == 0 {
		o.BlankShare = DefaultBlankShare
	}
}

// Reports yields every agency's reports, agency by agency, year by year.
// Reports are produced one at a time, so N = 30,000 agencies (300,000
// reports) never sit in memory together.
func Reports(opts Options) iter.Seq[Generated] {
	opts.defaults()
	return func(yield func(Generated) bool) {
		for i := range opts.Agencies {
			a := newAgency(opts, i)
			for y := range opts.Years {
				if !yield(a.report(opts.FirstYear + y)) {
					return
				}
			}
		}
	}
}

// FormatFor is the national format a report of year uses.
func FormatFor(year int) string {
	if year <= 2020 {
		return "2019"
	}
	return "2021"
}

// agency carries one agency's state from year to year.
type agency struct {
	opts       Options
	idx        int
	name       string
	region     string
	government bool
	rng        *rand.Rand
	scale      float64  // mean yearly requests
	carried    [6]int64 // last year's 四、结转下年度 per applicant column
	inForce    [2]int64 // rules, normative: 现行有效件数
}

var (
	places   = []string{"东", "西", "南", "北", "中", "安", "平", "宁", "和", "兴", "昌", "永", "长", "新", "清", "泰", "华", "阳", "山", "河"}
	depts    = []string{"财政局", "教育局", "公安局", "民政局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局"}
	t3Cols   = []string{"natural", "commercial", "research", "social", "legal", "other"}
	colShare = []float64{0.86, 0.08, 0.005, 0.01, 0.02, 0.025}
)

func placeName(n int, suffix string) string {
	return places[n%len(places)] + places[(n/len(places))%len(places)] + suffix
}

func newAgency(opts Options, i int) *agency {
	rng := rand.New(rand.NewPCG(opts.Seed, uint64(i)+1))
	a := &agency{opts: opts, idx: i, rng: rng}
	prov, city, county := i%31, (i/31)%15, (i/465)%20
	provName := placeName(prov, "省")
	cityName := placeName(city+7, "市")
	countyName := placeName(county+3, "县")
	base := fmt.Sprintf("%02d%02d%02d", 11+prov, 1+city, 1+county)
	switch r := rng.Float64(); {
	case r < 0.01:
		a.name, a.region, a.government = provName+"人民政府", base[:2]+"0000", true
	case r < 0.05:
		a.name, a.region, a.government = provName+cityName+"人民政府", base[:4]+"00", true
	case r < 0.20:
		a.name, a.region, a.government = provName+cityName+countyName+"人民政府", base, true
	case r < 0.45:
		a.name, a.region, a.government = countyName+placeName(i/9300, "镇")+"人民政府", base, true
	case r < 0.60:
		a.name, a.region = provName+cityName+depts[rng.IntN(len(depts))], base[:4]+"00"
	default:
		a.name, a.region = provName+cityName+countyName+depts[rng.IntN(len(depts))], base
	}
	// Names must be unique per region: the index makes them so.
	a.name = strconv.Itoa(i) + "号" + a.name
	// Heavy tail: most bodies get a handful of requests, a few thousands.
	a.scale = math.Exp(rng.NormFloat64()*1.3 + 1.5)
	a.inForce = [2]int64{int64(rng.IntN(5)), int64(rng.IntN(40))}
	return a
}

// poisson draws a count with the given mean (normal approximation when large).
func (a *agency) poisson(mean float64) int64 {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		v := math.Round(mean + a.rng.NormFloat64()*math.Sqrt(mean))
		return max(0, int64(v))
	}
	l, k, p := math.Exp(-mean), int64(0), 1.0
	for {
		p *= a.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
