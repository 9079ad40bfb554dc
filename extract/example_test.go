package extract_test

import (
	"fmt"

	"github.com/nianbao/nianbao/extract"
)

func ExampleParse() {
	page := `<html><head><title>青山区人民政府2021年政府信息公开工作年度报告</title></head><body>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table>
<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
    <td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>
<tr><td>3</td><td>1</td><td>0</td><td>1</td><td>5</td><td>2</td><td>0</td><td>1</td><td>0</td><td>3</td>
    <td>1</td><td>0</td><td>0</td><td>0</td><td>—</td></tr>
</table></body></html>`
	rep, err := extract.Parse(extract.Input{Source: "example.html", Body: []byte(page)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Agency, rep.Year)
	for _, c := range rep.Cells[:5] {
		fmt.Println(c.Table, c.Row, c.Col, *c.Value)
	}
	last := rep.Cells[len(rep.Cells)-1]
	fmt.Printf("%s %s %s %v %q\n", last.Table, last.Row, last.Col, last.Value, last.Raw)
	// Output:
	// 青山区人民政府 2021
	// t4 all review.upheld 3
	// t4 all review.corrected 1
	// t4 all review.other 0
	// t4 all review.pending 1
	// t4 all review.total 5
	// t4 all suit_after_review.total <nil> "—"
}

func ExampleCodebook() {
	n := 0
	for _, e := range extract.Codebook() {
		if e.Table == "t3" && e.Kind == "row" {
			n++
		}
	}
	fmt.Println(n, "table 三 rows")
	// Output:
	// 26 table 三 rows
}
