package sampleportal

// addOffDomain serves the page that sitesources lists link to on
// www.gov.cn: a real-looking target, so a crawler that wrongly follows it
// gets an answer and the request is counted.
func (p *Portal) addOffDomain() {
	s := &site{host: HostOffDomain, pages: map[string]*page{}}
	s.pages["/zhengce/zhengceku/2021-09/29/content_5640000.htm"] = utf8Page(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知_国务院部门文件_中国政府网</title></head><body><div class="pages_content"><p>各省、自治区、直辖市人民政府办公厅（室），国务院各部委、各直属机构办公厅（室）：</p><p>现将修订后的《中华人民共和国政府信息公开工作年度报告格式》印发给你们，请认真贯彻执行。</p></div></body></html>`, day(2021, 9, 29))
	p.addSite(s)
}
