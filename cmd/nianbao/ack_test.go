package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAckAndFailOnFlag: a real page that does not balance (平潭 2020:
// result rows exceed （七）总计 by 6) fails check --fail-on-flag until a
// person acknowledges both of its errors; status counts the new flags.
func TestAckAndFailOnFlag(t *testing.T) {
	page := corpusFile(t, "pingtan-2020.html")
	db, cfg := importConfig(t)
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, page); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	out, _, code := nianbao(t, "", "check", "--config", cfg, "--severity", "error", "--format", "csv", "--fail-on-flag")
	if code != 3 {
		t.Fatalf("check --fail-on-flag exit %d; want 3", code)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fpCol, attrCol := slices.Index(recs[0], "fingerprint"), slices.Index(recs[0], "attribution")
	if fpCol < 0 || attrCol < 0 || len(recs) != 3 {
		t.Fatalf("check output =\n%s\nwant two errors with fingerprint and attribution", out)
	}
	var fps []string
	for _, r := range recs[1:] {
		fps = append(fps, r[fpCol])
		if r[attrCol] != "source" {
			t.Errorf("attribution = %s; want source (the cells were read plainly)", r[attrCol])
		}
	}
	stdout, _, _ := nianbao(t, "", "status", "--config", cfg)
	if !strings.Contains(stdout, "3 new flags tonight (check run 1, the first)") {
		t.Errorf("status after the first check:\n%s\nwant 3 new flags tonight", stdout)
	}

	if _, stderr, code := nianbao(t, "", "ack", "--config", cfg, fps[0], "--status", "maybe"); code == 0 || !strings.Contains(stderr, "confirmed or false_alarm") {
		t.Errorf("ack --status maybe: exit %d, %s", code, stderr)
	}
	args := append([]string{"ack", "--config", cfg, "--status", "confirmed", "--note", "rows sum to 27, 总计 prints 21"}, fps...)
	if _, stderr, code := nianbao(t, "", args...); code != 0 {
		t.Fatalf("ack: %s", stderr)
	}
	// The gate fails on what is listed and nobody acknowledged: the
	// uncertain failure still fails an unfiltered gate.
	if _, stderr, code := nianbao(t, "", "check", "--config", cfg, "--fail-on-flag"); code != 3 {
		t.Errorf("check --fail-on-flag with an unacknowledged uncertain failure: exit %d; want 3\n%s", code, stderr)
	}
	out, stderr, code := nianbao(t, "", "check", "--config", cfg, "--severity", "error", "--fail-on-flag")
	if code != 0 {
		t.Errorf("check --severity error --fail-on-flag after acknowledging every error: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "2 acknowledged") {
		t.Errorf("check summary = %s; want 2 acknowledged", stderr)
	}
	if got := strings.Count(out, "confirmed"); got != 2 {
		t.Errorf("check shows %d confirmed flags; want 2:\n%s", got, out)
	}
	stdout, _, _ = nianbao(t, "", "status", "--config", cfg)
	if !strings.Contains(stdout, "0 new flags tonight (check run 3 against run 2") {
		t.Errorf("status after a second check:\n%s\nwant 0 new flags tonight", stdout)
	}
	got := csvLines(t, "sql", "--db", db, "--format", "csv", "select status, note from flag_acks order by all")
	if want := "confirmed,\"rows sum to 27, 总计 prints 21\""; len(got) != 2 || got[0] != want {
		t.Errorf("flag_acks = %v; want two rows %s", got, want)
	}
}

func TestImportCovariates(t *testing.T) {
	db, cfg := importConfig(t)
	file := filepath.Join(t.TempDir(), "pop.csv")
	if err := os.WriteFile(file, []byte("region_code,year,name,value\n410711,2021,population,\"265,000\"\n4107,2021,population,1\n410711,2021,gdp_yi_yuan,123.45\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := nianbao(t, "", "import-covariates", "--config", cfg, file)
	if code != 0 {
		t.Fatalf("import-covariates: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2 covariate values imported") || !strings.Contains(stderr, file+" line 3: region_code \"4107\" is not six digits") {
		t.Errorf("import-covariates said:\n%s%s", stdout, stderr)
	}
	got := csvLines(t, "sql", "--db", db, "--format", "csv", "select region_code, year, name, value from covariates order by name")
	if want := []string{"410711,2021,gdp_yi_yuan,123.45", "410711,2021,population,265000"}; !slices.Equal(got, want) {
		t.Errorf("covariates = %v; want %v", got, want)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("code,year,value\n"), 0o644)
	if _, stderr, code := nianbao(t, "", "import-covariates", "--config", cfg, bad); code == 0 || !strings.Contains(stderr, "want region_code,year,name,value") {
		t.Errorf("a bad header: exit %d, %s", code, stderr)
	}
}

// TestRuleThresholds: the config's rules section decides what fails.
func TestRuleThresholds(t *testing.T) {
	page := corpusFile(t, "pingtan-2020.html")
	_, cfg := importConfig(t)
	if _, stderr, code := nianbao(t, "", "import", "--config", cfg, page); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	base, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	write := func(rules string) {
		t.Helper()
		if err := os.WriteFile(cfg, append(append([]byte{}, base...), rules...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The page's result rows exceed （七）总计 by 6: an error by default,
	// a pass when only differences above 10 count.
	write("rules:\n  i2_results:\n    error_if: \"> 10\"\n")
	out, stderr, code := nianbao(t, "", "check", "--config", cfg, "--rule", "i2_results", "--severity", "error", "--format", "csv", "--fail-on-flag")
	if code != 0 || strings.Contains(out, "i2_results") {
		t.Errorf("error_if > 10: exit %d\n%s%s", code, out, stderr)
	}
	write("rules:\n  i2_results:\n    error_if: \"> 10\"\n    warn_if: \">= 5\"\n")
	out, _, _ = nianbao(t, "", "check", "--config", cfg, "--rule", "i2_results", "--severity", "warn", "--format", "csv")
	if strings.Count(out, "i2_results") != 2 {
		t.Errorf("warn_if >= 5: want the two failures as warn:\n%s", out)
	}
	write("rules:\n  i9_nothing:\n    error_if: \"> 1\"\n")
	if _, stderr, code := nianbao(t, "", "check", "--config", cfg); code == 0 || !strings.Contains(stderr, "rules.i9_nothing") || !strings.Contains(stderr, "no check named") {
		t.Errorf("an unknown rule: exit %d, %s", code, stderr)
	}
	write("rules:\n  i2_results:\n    error_if: \"more than 1\"\n")
	if _, stderr, code := nianbao(t, "", "check", "--config", cfg); code == 0 || !strings.Contains(stderr, "rules.i2_results.error_if") {
		t.Errorf("a bad condition: exit %d, %s", code, stderr)
	}
}
