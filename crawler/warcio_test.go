package crawler_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// warcioBin finds the warcio command of the npm package warcio (warcio.js):
// on PATH, or where .ci/run installs it.
func warcioBin(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("warcio"); err == nil {
		return p
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the WARC files are not cross-checked with warcio.js")
	}
	dir := os.Getenv("NIANBAO_WARCIO_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("warcio not found: %v", err)
		}
		dir = filepath.Join(cache, "nianbao", "warcio")
	}
	p := filepath.Join(dir, "node_modules", ".bin", "warcio")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("warcio (npm) is not installed in %s: run .ci/run, or npm install --prefix %s warcio", dir, dir)
	}
	return p
}

// warcioEntry is one line of `warcio index`.
type warcioEntry struct {
	Offset int64  `json:"offset"`
	Type   string `json:"warc-type"`
	URI    string `json:"warc-target-uri"`
}

// TestWARCReadByWarcio: an independent reader (warcio.js) reads every
// record of two nights' WARC files (responses, requests, revisits,
// warcinfo), agreeing with our reader on every record and finding each
// page's record where the page says it is.
func TestWARCReadByWarcio(t *testing.T) {
	bin := warcioBin(t)
	sp, ps := startSample(t, sampleportal.Options{})
	dir := t.TempDir()
	opts := fastOptions(sp, dir)
	var pages []crawler.Page
	for night := range 2 {
		res := mustRun(t, opts, ps)
		if err := crawler.Ack(dir, res.RunID); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, res.Pages...)
		if night == 0 {
			sp.NextNight()
		}
	}
	files, err := mustOpen(t, dir).WARCFiles()
	if err != nil || len(files) != 2 {
		t.Fatalf("WARC files %v, %v; want one per night", files, err)
	}
	byFile := map[string]map[int64]warcioEntry{}
	types := map[string]int{}
	total := 0
	for _, f := range files {
		out, err := exec.Command(bin, "index", f).Output()
		if err != nil {
			t.Fatalf("warcio index %s: %v", f, err)
		}
		var got []warcioEntry
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var e warcioEntry
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("warcio index %s: line %q: %v", f, sc.Text(), err)
			}
			got = append(got, e)
		}
		ours, err := archive.Records(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ours) {
			t.Errorf("%s: warcio read %d records, gowarc %d", filepath.Base(f), len(got), len(ours))
		}
		byFile[f] = map[int64]warcioEntry{}
		for i, e := range got {
			byFile[f][e.Offset] = e
			types[e.Type]++
			if i < len(ours) && (ours[i].Offset != e.Offset || ours[i].Type != e.Type || ours[i].TargetURI != e.URI) {
				t.Errorf("%s record %d: warcio %+v, gowarc %s at %d for %s", filepath.Base(f), i, e, ours[i].Type, ours[i].Offset, ours[i].TargetURI)
			}
		}
		total += len(got)
	}
	t.Logf("warcio read %d records in %d files: %v", total, len(files), types)
	if types["warcinfo"] != 2 || types["response"] == 0 || types["request"] == 0 || types["revisit"] == 0 {
		t.Errorf("record types %v; want warcinfo per file, responses, requests and revisits", types)
	}
	checked := 0
	a := mustOpen(t, dir)
	for _, p := range pages {
		if p.WARCRecordID == "" {
			continue
		}
		e, ok := byFile[a.Locate(archive.Ref{Path: p.ArchivePath}).Path][p.WARCOffset]
		if !ok {
			t.Errorf("%s: warcio finds no record at %s:%d", p.URL, filepath.Base(p.ArchivePath), p.WARCOffset)
			continue
		}
		if (e.Type != "response" && e.Type != "revisit") || e.URI != p.URL && e.URI != p.FinalURL {
			t.Errorf("%s: warcio finds %+v at its offset", p.URL, e)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no page with a WARC record")
	}
}
