package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// point is one year of a series: the exact value as the database printed
// it (shown and put in data-value) and its float only for placing the dot.
type point struct {
	Year  int64
	Value string // "" when the report did not print the figure
	// Reports is how many agencies' reports a region's sum is over
	// (trend's reports: one latest report per agency and year).
	Reports string
}

// series is one figure of a trend chart.
type series struct {
	Code   string // the trend column, shown on hover
	Label  string // Chinese name of the figure
	Unit   string
	Points []point
	// Counted: each point is a sum over Reports agencies (region pages).
	Counted bool
}

// Chart geometry, in SVG user units; the SVG scales to its container.
const (
	chartW, chartH         = 560, 180
	padL, padR, padT, padB = 48, 12, 14, 26
)

// chartSVG draws s as a line chart: one dot per year that printed the
// figure, with data-year and data-value attributes (the exact decimal)
// and a <title> on each dot. A table beside it carries the same numbers
// for readers who cannot see it.
func chartSVG(s series) template.HTML {
	var b strings.Builder
	max := 0.0
	for _, p := range s.Points {
		if v, err := strconv.ParseFloat(p.Value, 64); err == nil && v > max {
			max = v
		}
	}
	if max == 0 {
		max = 1
	}
	n := len(s.Points)
	x := func(i int) float64 {
		if n == 1 {
			return float64(padL+chartW-padR) / 2
		}
		return padL + float64(i)*float64(chartW-padL-padR)/float64(n-1)
	}
	y := func(v float64) float64 { return padT + (1-v/max)*float64(chartH-padT-padB) }
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="c-%s" data-series="%s">`,
		chartW, chartH, s.Code, s.Code)
	fmt.Fprintf(&b, `<title id="c-%s">%s：%s</title>`, s.Code, template.HTMLEscapeString(s.Label), template.HTMLEscapeString(altText(s)))
	// axes and the 0 / max gridlines
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padL, chartH-padB, chartW-padR, chartH-padB)
	fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padL, padT, chartW-padR, padT)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">0</text>`, padL-4, chartH-padB+4)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">%s</text>`, padL-4, padT+4, strconv.FormatFloat(max, 'f', -1, 64))
	var path []string
	for i, p := range s.Points {
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%d</text>`, x(i), chartH-6, p.Year)
		v, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			continue
		}
		path = append(path, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
	}
	if len(path) > 1 {
		fmt.Fprintf(&b, `<polyline class="line" points="%s"/>`, strings.Join(path, " "))
	}
	for i, p := range s.Points {
		v, err := strconv.ParseFloat(p.Value, 64)
		if err != nil {
			continue
		}
		over := ""
		if s.Counted {
			over = "（" + template.HTMLEscapeString(p.Reports) + " 个机关发布）"
		}
		fmt.Fprintf(&b, `<circle class="pt" cx="%.1f" cy="%.1f" r="4" data-year="%d" data-value="%s"><title>%d年 %s%s%s</title></circle>`,
			x(i), y(v), p.Year, template.HTMLEscapeString(p.Value), p.Year, template.HTMLEscapeString(p.Value), template.HTMLEscapeString(s.Unit), over)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// altText is the chart's numbers as one line: "2019年 3，2020年 5".
func altText(s series) string {
	parts := make([]string, 0, len(s.Points))
	for _, p := range s.Points {
		v := p.Value
		if v == "" {
			v = "未填报"
		}
		parts = append(parts, fmt.Sprintf("%d年 %s", p.Year, v))
	}
	return strings.Join(parts, "，")
}
