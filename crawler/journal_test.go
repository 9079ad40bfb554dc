package crawler_test

import (
	"strings"
	"testing"

	"github.com/nianbao/nianbao/crawler"
)

// TestJournal: every page of every run, acked or not, in the order fetched
// — enough to rebuild a lost database from the archive alone.
func TestJournal(t *testing.T) {
	s := newSite(t)
	s.html("/list/index.html", "<ul>"+reportLink("./r1.html", "甲局2022年政府信息公开工作年度报告")+"</ul>")
	s.html("/list/r1.html", reportBody)
	dir := t.TempDir()
	portals := []crawler.Portal{{Name: "甲", StartURLs: []string{"http://a.test/list/index.html"}}}
	first := mustRun(t, siteOptions(s, dir, "a.test"), portals)
	if err := crawler.Ack(dir, first.RunID); err != nil {
		t.Fatal(err)
	}
	s.html("/list/index.html", "<ul>"+reportLink("./r1.html", "甲局2022年政府信息公开工作年度报告")+
		reportLink("./r2.html", "甲局2023年政府信息公开工作年度报告")+"</ul>")
	s.html("/list/r2.html", reportBody)
	second := mustRun(t, siteOptions(s, dir, "a.test"), portals) // not acked

	got, err := crawler.Journal(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // WARC record → URL
	for _, p := range append(append([]crawler.Page{}, first.Pages...), second.Pages...) {
		want[p.WARCRecordID+" "+p.URL] = p.SHA256
	}
	if len(got) != len(first.Pages)+len(second.Pages) || len(second.Pages) == 0 {
		t.Fatalf("Journal has %d pages; want %d + %d", len(got), len(first.Pages), len(second.Pages))
	}
	for i, p := range got {
		if sha, ok := want[p.WARCRecordID+" "+p.URL]; !ok || sha != p.SHA256 {
			t.Errorf("page %d %s %s is not one the runs returned", i, p.URL, p.WARCRecordID)
		}
		if i > 0 && p.FetchedAt.Before(got[i-1].FetchedAt) {
			t.Errorf("page %d fetched at %s, before page %d", i, p.FetchedAt, i-1)
		}
	}

	if _, err := crawler.Journal(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a nianbao archive") {
		t.Errorf("Journal(empty dir) = %v; want an error saying it is not an archive", err)
	}
}
