package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/config"
	"github.com/nianbao/nianbao/crawler"
)

const good = `database: out/n.duckdb
archive: out/archive
schedule: "30 3 * * *"
crawl: {delay: 2s, timeout: 45s, user_agent: "nianbao/0.1 (+mailto:lab@example.org)"}
portals:
  - name: 新乡市牧野区人民政府
    region_code: "410702"
    start_urls: ["https://www.xxmyq.gov.cn/sitesources/myqzf/page_pc/zfxxgk/zfxxgknb/list1.html"]
  - name: 北京市密云区人民政府
    region_code: "110118"
    start_urls: ["https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/"]
    allowed_domains: [www.bjmy.gov.cn, zyk.bjmy.gov.cn]
    family: trs
`

func TestParse(t *testing.T) {
	cfg, err := config.Parse("nianbao.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Database, "out/n.duckdb"; got != want {
		t.Errorf("Database = %q; want %q", got, want)
	}
	if got, want := cfg.Crawl.Delay.Duration, 2*time.Second; got != want {
		t.Errorf("Crawl.Delay = %v; want %v", got, want)
	}
	if got, want := cfg.Crawl.Jitter.Duration, time.Second; got != want {
		t.Errorf("Crawl.Jitter = %v; want half the delay, %v", got, want)
	}
	if got, want := cfg.Crawl.ParallelHosts, crawler.DefaultParallelHosts; got != want {
		t.Errorf("Crawl.ParallelHosts = %d; want default %d", got, want)
	}
	if got := cfg.Portals[0].AllowedDomains; len(got) != 1 || got[0] != "www.xxmyq.gov.cn" {
		t.Errorf("Portals[0].AllowedDomains = %v; want the start URL's host", got)
	}
	if got := cfg.Portals[1].AllowedDomains; len(got) != 2 {
		t.Errorf("Portals[1].AllowedDomains = %v; want the two configured hosts", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		line       int
		key, msg   string
	}{
		{"unknown top key", "database: a.duckdb\ndatabse: b\n", 2, "databse", "unknown key"},
		{"unknown nested key", "crawl:\n  delay: 1s\n  dealy: 2s\n", 3, "crawl.dealy", "unknown key"},
		{"unknown portal key", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    regoin_code: \"1\"\n", 4, "portals[0].regoin_code", "unknown key"},
		{"bad duration", "crawl:\n  delay: soon\n", 2, "crawl.delay", "not a duration"},
		{"bad int", "crawl:\n  parallel_hosts: many\n", 2, "crawl.parallel_hosts", "cannot unmarshal"},
		{"bad schedule", "schedule: every night\n", 1, "schedule", "not a cron schedule"},
		{"bad region", "portals:\n  - name: x\n    region_code: \"4107\"\n    start_urls: [http://a.gov.cn/]\n", 3, "portals[0].region_code", "six-digit"},
		{"bad url", "portals:\n  - name: x\n    start_urls: [\"ftp://a.gov.cn/\"]\n", 3, "portals[0].start_urls", "not an http(s) URL"},
		{"missing urls", "portals:\n  - name: x\n", 2, "portals[0].start_urls", "required"},
		{"start host not allowed", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    allowed_domains: [b.gov.cn]\n", 4, "portals[0].allowed_domains", "does not include a.gov.cn"},
		{"duplicate portal", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n  - name: x\n    start_urls: [http://b.gov.cn/]\n", 4, "portals[1].name", "appears twice"},
		{"port not allowed", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn:8080/]\n    allowed_domains: [a.gov.cn]\n", 4, "portals[0].allowed_domains", "does not include a.gov.cn:8080"},
		{"bad allowed port", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    allowed_domains: [\"a.gov.cn:web\"]\n", 4, "portals[0].allowed_domains", "port"},
		{"allowed URL not host", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    allowed_domains: [\"http://a.gov.cn/\"]\n", 4, "portals[0].allowed_domains", "want a host name"},
		{"anonymous UA", "crawl:\n  user_agent: Mozilla/5.0\n", 2, "crawl.user_agent", "must name nianbao"},
		{"UA without contact", "crawl:\n  user_agent: nianbao/0.1\n", 2, "crawl.user_agent", "contact"},
		{"portal UA skips no rule", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    user_agent: Mozilla/5.0\n", 4, "portals[0].user_agent", "must name nianbao"},
		{"unknown family", "portals:\n  - name: x\n    start_urls: [http://a.gov.cn/]\n    family: wordpress\n", 4, "portals[0].family", "want one of sitesources, trs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse("lab.yaml", []byte(tc.yaml))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse error = %v; want a *config.Error", err)
			}
			if ce.Line != tc.line || ce.Key != tc.key || ce.File != "lab.yaml" {
				t.Errorf("Parse error at %s:%d key %q; want lab.yaml:%d key %q (%v)", ce.File, ce.Line, ce.Key, tc.line, tc.key, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Parse error = %q; want it to contain %q", err, tc.msg)
			}
		})
	}
}

func TestSampleConfig(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "nianbao.sample.yaml")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Portals) < 10 {
		t.Errorf("sample config names %d portals; want at least 10 real ones", len(cfg.Portals))
	}
	for _, p := range cfg.Portals {
		if p.RegionCode == "" {
			t.Errorf("portal %s has no region_code", p.Name)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("Load(missing) = %v; want a not-exist error naming the file", err)
	}
}

// TestParsePorts: a start URL with an explicit port is allowed as
// host:port, by default and when listed; the default port is no port.
func TestParsePorts(t *testing.T) {
	cases := []struct {
		name, portal string
		want         []string
	}{
		{"explicit port, default allowed", "start_urls: [\"http://127.0.0.1:38211/col/\"]", []string{"127.0.0.1:38211"}},
		{"default port written out", "start_urls: [\"http://WWW.A.gov.cn:80/col/\", \"https://www.a.gov.cn/b/\"]", []string{"www.a.gov.cn"}},
		{"host:port listed", "start_urls: [\"http://mirror.test:8080/col/\"]\n    allowed_domains: [\"Mirror.Test:8080\", FILES.test]", []string{"mirror.test:8080", "files.test"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Parse("n.yaml", []byte("portals:\n  - name: x\n    "+tc.portal+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Portals[0].AllowedDomains; strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("AllowedDomains = %v; want %v", got, tc.want)
			}
		})
	}
}
