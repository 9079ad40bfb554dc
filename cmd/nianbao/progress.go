package main

import (
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

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

// counter shows the progress of long local work (import, extract) the way
// progress does a crawl's: a redrawn line on a terminal, and otherwise a
// log line every counterEvery, so short work prints nothing.
type counter struct {
	w           io.Writer
	log         *slog.Logger
	tty         bool
	what, unit  string
	total, done int
	start, last time.Time
	drawn       bool
}

// counterEvery is how often a counter logs when stderr is not a terminal.
const counterEvery = 5 * time.Second

func newCounter(w io.Writer, log *slog.Logger, what, unit string, total int) *counter {
	now := time.Now()
	return &counter{w: w, log: log, tty: isTerminal(w), what: what, unit: unit, total: total, start: now, last: now}
}

// set records that done of total are finished.
func (c *counter) set(done int) {
	c.done = done
	now := time.Now()
	switch {
	case c.tty && now.Sub(c.last) >= 200*time.Millisecond:
		fmt.Fprintf(c.w, "\r\033[K%s: %d/%d %s (%s)", c.what, done, c.total, c.unit, now.Sub(c.start).Round(time.Second))
		c.drawn, c.last = true, now
	case !c.tty && now.Sub(c.last) >= counterEvery:
		c.log.Info(c.what, "done", done, "of", c.total, "unit", c.unit, "elapsed", now.Sub(c.start).Round(time.Second))
		c.last = now
	}
}

// end finishes the status line.
func (c *counter) end() {
	if c.drawn {
		fmt.Fprintf(c.w, "\r\033[K%s: %d/%d %s (%s)\n", c.what, c.done, c.total, c.unit, time.Since(c.start).Round(time.Second))
		c.drawn = false
	}
}
