package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// corpusFile returns a page of ../shared/corpus, skipping the test when the
// shared directory is absent.
func corpusFile(t *testing.T, name string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("../shared/corpus/%s not present", name)
	}
	return path
}

// importConfig writes a config with a database and an archive in a temp dir.
func importConfig(t *testing.T) (db, cfgFile string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "n.duckdb")
	cfgFile = filepath.Join(dir, "n.yaml")
	if err := os.WriteFile(cfgFile, []byte("database: "+db+"\narchive: "+filepath.Join(dir, "archive")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return db, cfgFile
}

func csvLines(t *testing.T, args ...string) []string {
	t.Helper()
	out, stderr, code := nianbao(t, "", args...)
	if code != 0 {
		t.Fatalf("nianbao %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[1:] // without the header
}

// TestRegionsByName: real pages imported without --region get their region
// from the agency's name; --region takes names as well as codes in import,
// report and check; trend by city rolls counties up into their city.
func TestRegionsByName(t *testing.T) {
	muye := corpusFile(t, "muye-2021.txt")
	sanming := corpusFile(t, "sanming-2021.txt")
	db, cfg := importConfig(t)
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, muye); code != 0 {
		t.Fatalf("import muye: %s", stderr)
	}
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, "--agency", "三明市人民政府", "--region", "三明市", sanming); code != 0 {
		t.Fatalf("import sanming: %s", stderr)
	}
	got := csvLines(t, "sql", "--db", db, "--format", "csv", "select agency, region_code from reports order by region_code")
	want := []string{"三明市人民政府,350400", "新乡市牧野区人民政府,410711"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports' regions = %q; want %q (牧野区 from the agency's name, 三明 from --region 三明市)", got, want)
	}
	for _, region := range []string{"新乡市", "新乡", "4107", "410700", "河南省牧野区", "新乡市牧野区"} {
		got := csvLines(t, "report", "trend", "--db", db, "--format", "csv", "--region", region, "--param", "by=city")
		if len(got) != 1 || !strings.HasPrefix(got[0], "新乡市,,410700,2021,1,") {
			t.Errorf("trend --region %s by=city = %q; want one row 新乡市 2021 with 牧野区's report", region, got)
		}
	}
	got = csvLines(t, "report", "trend", "--db", db, "--format", "csv", "--param", "by=province")
	if len(got) != 2 || !strings.HasPrefix(got[0], "河南省,,410000,2021,1,") || !strings.HasPrefix(got[1], "福建省,,350000,2021,1,") {
		t.Errorf("trend by=province = %q; want 河南省 and 福建省", got)
	}
	out, stderr, code := nianbao(t, "", "check", "--db", db, "--format", "csv", "--region", "福建")
	if code != 0 || strings.Contains(out, "牧野") || !strings.Contains(out, "三明") {
		t.Errorf("check --region 福建: exit %d, %q %s; want 三明's failures only", code, out, stderr)
	}
	_, stderr, code = nianbao(t, "", "report", "trend", "--db", db, "--region", "鼓楼区")
	if code != 2 || !strings.Contains(stderr, "ambiguous") || !strings.Contains(stderr, "350102") {
		t.Errorf("--region 鼓楼区: exit %d, %q; want a usage error listing the 鼓楼区s", code, stderr)
	}
	_, stderr, code = nianbao(t, "", "import", "--config", cfg, "--region", "火星市", muye)
	if code != 2 || !strings.Contains(stderr, "火星市") {
		t.Errorf("import --region 火星市: exit %d, %q; want a usage error naming it", code, stderr)
	}
}

// TestImportWarnsWithoutAgency: a real page whose agency the extractor
// cannot read (here: its title and body name removed) is loaded with a
// warning naming the file and counted in the summary; --published sets the
// publication date, and the deadline check is silent about dates then.
func TestImportWarnsWithoutAgency(t *testing.T) {
	muye := corpusFile(t, "muye-2021.txt")
	body, err := os.ReadFile(muye)
	if err != nil {
		t.Fatal(err)
	}
	// Every mention of the body and the region gone: nothing names it.
	anon := strings.NewReplacer("新乡市牧野区人民政府", "本机关", "牧野区人民政府", "本机关", "新乡市", "", "牧野区", "本区").Replace(string(body))
	db, cfg := importConfig(t)
	file := filepath.Join(t.TempDir(), "anon-2021.txt")
	if err := os.WriteFile(file, []byte(anon), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := nianbao(t, "", "import", "--config", cfg, "--published", "2022-01-20", file, muye)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "anon-2021.txt: no agency found") || strings.Contains(stderr, "muye-2021.txt:") {
		t.Errorf("import stderr = %q; want one warning naming anon-2021.txt, none for muye-2021.txt", stderr)
	}
	if !strings.Contains(out, "2 reports added") || !strings.Contains(out, "1 without agency") {
		t.Errorf("import said %q; want 2 reports added, 1 without agency", out)
	}
	got := csvLines(t, "sql", "--db", db, "--format", "csv", "select count(*) from reports where published_at = date '2022-01-20'")
	if got[0] != "2" {
		t.Errorf("reports published 2022-01-20 = %s; want 2 (--published)", got[0])
	}
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, "--published", "20.1.2022", muye); code != 2 || !strings.Contains(stderr, "20.1.2022") {
		t.Errorf("import --published 20.1.2022: exit %d %q; want a usage error naming it", code, stderr)
	}
}
