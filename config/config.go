package config

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/hostid"
)

// Defaults used when a key is absent from the file. The crawl settings'
// defaults are the crawler's own (crawler.DefaultDelay and the others): one
// definition, which [Default] maps onto.
const (
	DefaultPath     = "nianbao.yaml"
	DefaultDatabase = "data/nianbao.duckdb"
	// DefaultArchive is ArchiveFor(DefaultDatabase).
	DefaultArchive  = "data/nianbao-archive"
	DefaultSchedule = "0 2 * * *"
)

// Config is the whole nianbao.yaml file.
type Config struct {
	Database string   `yaml:"database"` // DuckDB file; default data/nianbao.duckdb
	Archive  string   `yaml:"archive"`  // directory for fetched pages and imported files; default [ArchiveFor] the database
	Schedule string   `yaml:"schedule"` // cron spec (5 fields) for `nianbao schedule`
	Site     string   `yaml:"site"`     // directory `nianbao schedule` rebuilds the static site in after each run; "" = none
	Log      Log      `yaml:"log"`
	Crawl    Crawl    `yaml:"crawl"`
	Portals  []Portal `yaml:"portals"`
	// Rules overrides checks' severities and thresholds (dbt-style), by
	// check name; a check not named keeps its own severities.
	Rules map[string]Rule `yaml:"rules"`

	// File is the path the config was read from ("" for built-in defaults).
	File string `yaml:"-"`
	// lines maps a key path ("portals[2].start_urls") to its line in File.
	lines map[string]int
}

// Log configures structured logging on stderr.
type Log struct {
	Format string `yaml:"format"` // text | json; default text
	Level  string `yaml:"level"`  // debug | info | warn | error; default info
}

// Crawl holds the politeness and safety settings shared by every portal.
type Crawl struct {
	Delay         Duration `yaml:"delay"`          // pause between requests to one host; default crawler.DefaultDelay; 0 = none
	Jitter        Duration `yaml:"jitter"`         // random extra pause up to this; default crawler.DefaultJitter(delay)
	Timeout       Duration `yaml:"timeout"`        // per request; default crawler.DefaultTimeout
	UserAgent     string   `yaml:"user_agent"`     // crawler.CheckUserAgent: names nianbao and a contact
	ParallelHosts int      `yaml:"parallel_hosts"` // hosts crawled at once; default crawler.DefaultParallelHosts
	Retries       int      `yaml:"retries"`        // per request on timeouts, resets, 429, 5xx; default crawler.DefaultRetries; 0 = none
	MaxBodySize   int64    `yaml:"max_body_size"`  // bytes; default crawler.DefaultMaxBodySize
	DailyBudget   int      `yaml:"daily_budget"`   // requests per host per day; default crawler.DefaultDailyBudget
}

// Rule is one check's severity and thresholds, dbt-style: error_if and
// warn_if are conditions such as "!= 0" or "> 5" on each failure's
// |difference| (on: difference, the default) or on the number of the
// rule's failures in a run (on: count). A failure meeting error_if is an
// error, else one meeting warn_if a warning, else it passes. severity:
// warn makes the rule's errors warnings. The defaults are today's rules:
// error_if "!= 0" on the difference for the arithmetic checks, each
// check's own severities otherwise. Failures of severity uncertain and
// not_assessable are never changed.
type Rule struct {
	Severity string `yaml:"severity"` // error | warn; default: the check's own
	On       string `yaml:"on"`       // difference (default) | count
	WarnIf   string `yaml:"warn_if"`
	ErrorIf  string `yaml:"error_if"`
}

// Rule severities and what thresholds apply to.
const (
	SeverityError = "error"
	SeverityWarn  = "warn"
	OnDifference  = "difference"
	OnCount       = "count"
)

var conditionRe = regexp.MustCompile(`^\s*(>=|<=|!=|<>|==|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$`)

// ParseCondition reads a threshold such as "!= 0" or ">= 2.5" into its
// operator (one of > >= < <= = !=) and its decimal operand.
func ParseCondition(s string) (op, value string, err error) {
	m := conditionRe.FindStringSubmatch(s)
	if m == nil {
		return "", "", fmt.Errorf("%q: want an operator (>, >=, <, <=, =, !=) and a number, e.g. \"!= 0\"", s)
	}
	op = m[1]
	switch op {
	case "==":
		op = "="
	case "<>":
		op = "!="
	}
	return op, m[2], nil
}

// Portal is one government site whose annual-report column is crawled.
type Portal struct {
	Name                string   `yaml:"name"`
	RegionCode          string   `yaml:"region_code"` // GB/T 2260 six digits
	StartURLs           []string `yaml:"start_urls"`
	AllowedDomains      []string `yaml:"allowed_domains"` // "host" or "host:port"; default: hosts of StartURLs
	Family              string   `yaml:"family"`          // CMS family hint: one of crawler.Families(), or ""
	ReportTitle         string   `yaml:"report_title"`    // regexp overriding the report-title filter
	MaxPages            int      `yaml:"max_pages"`       // list pages per portal per run; default crawler.DefaultMaxPages
	DepartmentCatalogue string   `yaml:"department_catalogue"`
	IgnoreRobots        bool     `yaml:"ignore_robots"` // off by default; logged loudly when on
	UserAgent           string   `yaml:"user_agent"`    // overrides crawl.user_agent for this portal; same contact rule
	// AllowPrivateNetwork lets this portal reach loopback and private
	// addresses (a local mirror, an intranet portal); off by default.
	AllowPrivateNetwork bool `yaml:"allow_private_network"`
}

// Duration is a time.Duration written as "1s", "500ms", "2m".
type Duration struct{ time.Duration }

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return &Error{Line: n.Line, Err: fmt.Errorf("%q is not a duration (use e.g. 1s, 500ms, 2m)", n.Value)}
	}
	d.Duration = v
	return nil
}

// Error is a problem in the config file, naming the file, line and key.
type Error struct {
	File string
	Line int
	Key  string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": %s", e.Key)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Default returns the configuration used when no file exists.
func Default() *Config {
	return &Config{
		Database: DefaultDatabase,
		Archive:  DefaultArchive,
		Schedule: DefaultSchedule,
		Log:      Log{Format: "text", Level: "info"},
		Crawl: Crawl{
			Delay:         Duration{crawler.DefaultDelay},
			Jitter:        Duration{crawler.DefaultJitter(crawler.DefaultDelay)},
			Timeout:       Duration{crawler.DefaultTimeout},
			UserAgent:     crawler.DefaultUserAgent,
			ParallelHosts: crawler.DefaultParallelHosts,
			Retries:       crawler.DefaultRetries,
			MaxBodySize:   crawler.DefaultMaxBodySize,
			DailyBudget:   crawler.DefaultDailyBudget,
		},
		lines: map[string]int{},
	}
}

// Load reads path: defaults, then a strict decode (unknown keys are errors),
// then Validate.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, b)
}

// ArchiveFor is the archive directory of a database that has no archive
// configured: beside it, named after it (data/nianbao.duckdb →
// data/nianbao-archive), so that two databases never share one archive's
// crawl state, and `--db X` keeps X's pages next to X whatever the working
// directory.
func ArchiveFor(database string) string {
	return strings.TrimSuffix(database, filepath.Ext(database)) + "-archive"
}

// SetDatabase points the config at another database file (`--db`); unless
// the config file names its archive, the archive follows ([ArchiveFor]).
func (c *Config) SetDatabase(path string) {
	c.Database = path
	if c.lines["archive"] == 0 {
		c.Archive = ArchiveFor(path)
	}
}

// Parse is Load on bytes already read; file names the source in errors.
func Parse(file string, b []byte) (*Config, error) {
	cfg := Default()
	cfg.File = file
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &Error{File: file, Line: yamlLine(err), Err: errors.New(stripYAMLPrefix(err.Error()))}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Err: errors.New("empty config file")}
	}
	root := doc.Content[0]
	if err := checkKeys(root, reflect.TypeOf(Config{}), "", cfg.lines); err != nil {
		err.File = file
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = file
			ce.Key = cfg.keyAt(ce.Line)
			return nil, ce
		}
		line := yamlLine(err)
		return nil, &Error{File: file, Line: line, Key: cfg.keyAt(line), Err: errors.New(stripYAMLPrefix(err.Error()))}
	}
	if cfg.lines["archive"] == 0 {
		cfg.Archive = ArchiveFor(cfg.Database)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkKeys walks the YAML tree against the struct's yaml tags so that an
// unknown key is reported with its name and line, and records every key's line.
func checkKeys(n *yaml.Node, t reflect.Type, path string, lines map[string]int) *Error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && t != reflect.TypeOf(Duration{}):
		if n.Kind != yaml.MappingNode {
			return &Error{Line: n.Line, Key: path, Err: fmt.Errorf("want a mapping of keys, got %q", n.Value)}
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if tag != "" && tag != "-" {
				fields[tag] = t.Field(i).Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := join(path, k.Value)
			ft, ok := fields[k.Value]
			if !ok {
				return &Error{Line: k.Line, Key: key, Err: fmt.Errorf("unknown key %q (known: %s)", k.Value, strings.Join(sortedKeys(fields), ", "))}
			}
			lines[key] = k.Line
			if err := checkKeys(v, ft, key, lines); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &Error{Line: n.Line, Key: path, Err: errors.New("want a mapping of names")}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := join(path, k.Value)
			lines[key] = k.Line
			if err := checkKeys(v, t.Elem(), key, lines); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		if n.Kind != yaml.SequenceNode {
			return &Error{Line: n.Line, Key: path, Err: errors.New("want a list")}
		}
		for i, item := range n.Content {
			key := fmt.Sprintf("%s[%d]", path, i)
			lines[key] = item.Line
			if err := checkKeys(item, t.Elem(), key, lines); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]reflect.Type) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// keyAt returns the key whose line is line, for decode errors that only carry a line.
func (c *Config) keyAt(line int) string {
	best := ""
	for k, l := range c.lines {
		if l == line && (best == "" || len(k) > len(best)) {
			best = k
		}
	}
	return best
}

var lineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Line
	}
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func stripYAMLPrefix(s string) string {
	s = strings.TrimPrefix(s, "yaml: unmarshal errors:\n")
	s = strings.TrimPrefix(s, "yaml: ")
	s = lineRE.ReplaceAllString(s, "")
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ":"))
}

// Line returns the line of a key path such as "portals[0].start_urls", or 0.
func (c *Config) Line(key string) int { return c.lines[key] }

// Validate checks values; each error names the key and its line.
func (c *Config) Validate() error {
	bad := func(key string, format string, args ...any) error {
		return &Error{File: c.File, Line: c.lines[key], Key: key, Err: fmt.Errorf(format, args...)}
	}
	if c.Database == "" {
		return bad("database", "must not be empty")
	}
	if c.Archive == "" {
		return bad("archive", "must not be empty")
	}
	if _, err := cron.ParseStandard(c.Schedule); err != nil {
		return bad("schedule", "%q is not a cron schedule: %v", c.Schedule, err)
	}
	for name, r := range c.Rules {
		key := "rules." + name
		switch r.Severity {
		case "", SeverityError, SeverityWarn:
		default:
			return bad(key+".severity", "%q: want %s or %s", r.Severity, SeverityError, SeverityWarn)
		}
		switch r.On {
		case "", OnDifference, OnCount:
		default:
			return bad(key+".on", "%q: want %s or %s", r.On, OnDifference, OnCount)
		}
		for k, cond := range map[string]string{"warn_if": r.WarnIf, "error_if": r.ErrorIf} {
			if cond == "" {
				continue
			}
			if _, _, err := ParseCondition(cond); err != nil {
				return bad(key+"."+k, "%v", err)
			}
		}
	}
	switch c.Log.Format {
	case "", "text", "json":
	default:
		return bad("log.format", "%q: want text or json", c.Log.Format)
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		return bad("log.level", "%q: want debug, info, warn or error", c.Log.Level)
	}
	if c.lines["crawl.jitter"] == 0 {
		c.Crawl.Jitter = Duration{crawler.DefaultJitter(c.Crawl.Delay.Duration)}
	}
	cr := c.Crawl
	if cr.Delay.Duration < 0 {
		return bad("crawl.delay", "must not be negative")
	}
	if cr.Jitter.Duration < 0 {
		return bad("crawl.jitter", "must not be negative")
	}
	if cr.Timeout.Duration <= 0 {
		return bad("crawl.timeout", "must be positive")
	}
	if err := crawler.CheckUserAgent(cr.UserAgent); err != nil {
		return bad("crawl.user_agent", "%v", err)
	}
	if cr.ParallelHosts < 1 {
		return bad("crawl.parallel_hosts", "must be at least 1")
	}
	if cr.Retries < 0 {
		return bad("crawl.retries", "must not be negative")
	}
	if cr.MaxBodySize < 1<<20 {
		return bad("crawl.max_body_size", "must be at least 1048576 bytes")
	}
	if cr.DailyBudget < 1 {
		return bad("crawl.daily_budget", "must be at least 1")
	}
	seen := map[string]bool{}
	for i := range c.Portals {
		p := &c.Portals[i]
		key := func(k string) string { return fmt.Sprintf("portals[%d].%s", i, k) }
		if p.Name == "" {
			return &Error{File: c.File, Line: c.lines[fmt.Sprintf("portals[%d]", i)], Key: key("name"), Err: errors.New("required")}
		}
		if seen[p.Name] {
			return bad(key("name"), "%q appears twice", p.Name)
		}
		seen[p.Name] = true
		if p.RegionCode != "" && !regexp.MustCompile(`^\d{6}$`).MatchString(p.RegionCode) {
			return bad(key("region_code"), "%q: want a six-digit GB/T 2260 code such as \"410702\"", p.RegionCode)
		}
		if len(p.StartURLs) == 0 {
			return &Error{File: c.File, Line: c.lines[fmt.Sprintf("portals[%d]", i)], Key: key("start_urls"), Err: errors.New("required: at least one URL")}
		}
		explicit := c.lines[key("allowed_domains")] != 0
		allowed, err := hostid.NewSet(p.AllowedDomains)
		if err != nil {
			return bad(key("allowed_domains"), "%v", err)
		}
		for j, d := range p.AllowedDomains {
			p.AllowedDomains[j], _ = hostid.ParseAllowed(d) // as the crawler and status compare them
		}
		for _, s := range p.StartURLs {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return bad(key("start_urls"), "%q is not an http(s) URL", s)
			}
			if !explicit {
				// The start URL's host identity, explicit port included.
				if id := hostid.Of(u); !allowed[id] {
					allowed[id] = true
					p.AllowedDomains = append(p.AllowedDomains, id)
				}
			} else if !allowed.Allows(u) {
				return bad(key("allowed_domains"), "does not include %s, the host of start URL %s", hostid.Of(u), s)
			}
		}
		if err := crawler.CheckFamily(p.Family); err != nil {
			return bad(key("family"), "%v", err)
		}
		if p.UserAgent != "" {
			if err := crawler.CheckUserAgent(p.UserAgent); err != nil {
				return bad(key("user_agent"), "%v", err)
			}
		}
		if p.ReportTitle != "" {
			if _, err := regexp.Compile(p.ReportTitle); err != nil {
				return bad(key("report_title"), "not a regular expression: %v", err)
			}
		}
		if p.MaxPages < 0 {
			return bad(key("max_pages"), "must not be negative")
		}
		if p.MaxPages == 0 {
			p.MaxPages = crawler.DefaultMaxPages
		}
	}
	return nil
}

// Portal returns the portal named name.
func (c *Config) Portal(name string) (Portal, bool) {
	for _, p := range c.Portals {
		if p.Name == name {
			return p, true
		}
	}
	return Portal{}, false
}
