// Command crawlbench serves the sample portal and crawls it with nianbao's
// crawler, for bench/crawl-vs-scrapy.sh.
//
//	crawlbench serve INFO.json          # start the portal, write its address and portals, run until killed
//	crawlbench crawl INFO.json [-runs N]   # crawl it with delays off, print one JSON line of measurements
//	crawlbench polite [-delay D]           # own portal, crawl with delays on, compare with the politeness bound
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/internal/sampleportal"
)

// info is what serve writes and crawl (and the Scrapy spider) read.
type info struct {
	Addr    string                      `json:"addr"`
	Resolve map[string]string           `json:"resolve"`
	Portals []sampleportal.PortalConfig `json:"portals"`
	Reports []string                    `json:"reports"`
}

func main() {
	if len(os.Args) < 2 || os.Args[1] != "polite" && len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: crawlbench serve|crawl INFO.json [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2])
	case "crawl":
		err = crawl(os.Args[2], os.Args[3:])
	case "polite":
		err = polite(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func serve(path string) error {
	sp, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		return err
	}
	defer sp.Close()
	in := info{Addr: sp.Addr(), Resolve: sp.Resolve(), Portals: sp.Portals()}
	for _, r := range sp.Reports() {
		in.Reports = append(in.Reports, r.URL)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path+".tmp", b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

func crawl(path string, args []string) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	runs := fs.Int("runs", 1, "crawl this many times, each into a fresh archive")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the crawls to `FILE` (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var in info
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	ps := toPortals(in.Portals)
	tmp, err := os.MkdirTemp("", "crawlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pages, requests, reports := 0, 0, map[string]bool{}
	cpu0 := cpuSeconds()
	start := time.Now()
	for i := range *runs {
		opts := crawler.Options{ArchiveDir: filepath.Join(tmp, fmt.Sprint(i)), Delay: -1, Jitter: -1,
			Resolve: in.Resolve, Timeout: 30 * time.Second, ParallelHosts: 8, DailyBudget: -1}
		res, err := crawler.Run(context.Background(), opts, ps)
		if err != nil {
			return err
		}
		pages += len(res.Pages)
		requests += res.Requests
		for _, p := range res.Pages {
			if p.Kind == crawler.KindReport && p.Status == 200 {
				reports[p.URL] = true
			}
		}
	}
	took := time.Since(start)
	cpu := cpuSeconds() - cpu0
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	missing := 0
	for _, u := range in.Reports {
		if !reports[u] {
			missing++
		}
	}
	out := map[string]any{"tool": "nianbao", "pages": pages, "seconds": took.Seconds(),
		"pages_per_s": float64(pages) / took.Seconds(), "peak_rss_kb": ru.Maxrss, "reports": len(reports),
		"reports_missing": missing, "runs": *runs, "requests": requests, "cpu_s": cpu,
		"cpu_ms_per_request": 1000 * cpu / float64(max(requests, 1))}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// polite crawls a private sample portal with a delay and compares the time
// with the bound the delay sets: requests on the busiest host × delay.
func polite(args []string) error {
	fs := flag.NewFlagSet("polite", flag.ContinueOnError)
	delay := fs.Duration("delay", 200*time.Millisecond, "politeness delay per host")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sp, err := sampleportal.Start(sampleportal.Options{})
	if err != nil {
		return err
	}
	defer sp.Close()
	ps := toPortals(sp.Portals())
	tmp, err := os.MkdirTemp("", "crawlbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	opts := crawler.Options{ArchiveDir: tmp, Delay: *delay, Jitter: -1, Resolve: sp.Resolve(),
		Timeout: 30 * time.Second, ParallelHosts: 8, DailyBudget: -1}
	start := time.Now()
	res, err := crawler.Run(context.Background(), opts, ps)
	if err != nil {
		return err
	}
	took := time.Since(start)
	busiest, most := "", 0
	for _, h := range sp.Hosts() {
		if n := sp.Requests(h); n > most {
			busiest, most = h, n
		}
	}
	bound := time.Duration(most-1) * *delay // the first request to a host does not wait
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"tool": "nianbao", "delay_s": delay.Seconds(),
		"pages": len(res.Pages), "busiest_host": busiest, "busiest_requests": most, "bound_s": bound.Seconds(),
		"seconds": took.Seconds(), "ratio": took.Seconds() / bound.Seconds()})
}

// cpuSeconds is the user plus system CPU time of this process so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func toPortals(cs []sampleportal.PortalConfig) []crawler.Portal {
	var ps []crawler.Portal
	for _, c := range cs {
		ps = append(ps, crawler.Portal{Name: c.Name, Family: c.Family, StartURLs: c.StartURLs,
			AllowedDomains: c.AllowedDomains, DepartmentCatalogue: c.DepartmentCatalogue})
	}
	return ps
}
