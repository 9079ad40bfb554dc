package sampleportal_test

import (
	"fmt"

	"github.com/nianbao/nianbao/internal/sampleportal"
)

func ExampleStart() {
	p, err := sampleportal.Start(sampleportal.Options{Families: []string{"sitesources", "trs"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	for _, pc := range p.Portals() {
		fmt.Println(pc.Family, pc.Name, pc.RegionCode, pc.StartURLs[0])
	}
	unbalanced := 0
	for _, r := range p.Reports() {
		if len(r.Unbalanced) > 0 {
			unbalanced++
		}
	}
	fmt.Println(len(p.Reports()), "reports,", unbalanced, "unbalanced")
	// Output:
	// sitesources 新乡市牧野区人民政府 410711 http://www.xxmyq.mock.gov.test/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/list1.html
	// trs 信阳市浉河区人民政府 411502 http://trs.mock.gov.test/zwgk/zfxxgk/zfxxgknb/index.html
	// 57 reports, 4 unbalanced
}
