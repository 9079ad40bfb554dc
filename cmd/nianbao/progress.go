package main

import (
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/nianbao/nianbao/crawler"
)

// progress shows crawl progress: a redrawn status line per portal on a
// terminal, structured log lines otherwise.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	log   *slog.Logger
	tty   bool
	state map[string]crawler.Event
	drawn bool
}

func newProgress(w io.Writer, log *slog.Logger) *progress {
	return &progress{w: w, log: log, tty: isTerminal(w), state: map[string]crawler.Event{}}
}

func (p *progress) event(ev crawler.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state[ev.Portal] = ev
	if !p.tty {
		attrs := []any{"portal", ev.Portal, "url", ev.URL, "kind", ev.Kind, "status", ev.Status, "pages", ev.Pages, "reports", ev.Reports, "errors", ev.Errors}
		if ev.Err != "" {
			p.log.Warn("fetch", append(attrs, "err", ev.Err)...)
		} else {
			p.log.Debug("fetch", attrs...)
		}
		return
	}
	var parts []string
	names := make([]string, 0, len(p.state))
	for n := range p.state {
		names = append(names, n)
	}
	sort.Strings(names)
	pages, reports, errs := 0, 0, 0
	for _, n := range names {
		s := p.state[n]
		pages += s.Pages
		reports += s.Reports
		errs += s.Errors
	}
	parts = append(parts, fmt.Sprintf("%d portals  %d pages  %d reports  %d errors", len(names), pages, reports, errs))
	parts = append(parts, fmt.Sprintf("[%s %d/%d/%d]", ev.Portal, ev.Pages, ev.Reports, ev.Errors))
	line := strings.Join(parts, "  ")
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.drawn = true
}

// done ends the status line and logs a per-portal summary.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
	}
	names := make([]string, 0, len(p.state))
	for n := range p.state {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := p.state[n]
		p.log.Info("portal crawled", "portal", n, "pages", s.Pages, "reports", s.Reports, "errors", s.Errors)
	}
}
