// Package soffice converts legacy binary Office files (.doc, .wps, .xls) to
// DOCX and XLSX with LibreOffice running headless, for extract: it is the
// extract.Converter that cmd wires in. extract itself runs no programs.
package soffice

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/extract"
)

// DefaultTimeout bounds one conversion: LibreOffice's first start on a
// machine takes a few seconds, a report converts in one or two.
const DefaultTimeout = 90 * time.Second

// Converter runs soffice. The zero value finds soffice (or libreoffice)
// on PATH at the first conversion. Conversions run one at a time: each
// LibreOffice start takes a few hundred MB.
type Converter struct {
	Bin     string        // program; "" looks up soffice, then libreoffice
	Timeout time.Duration // per conversion; 0 means DefaultTimeout

	mu sync.Mutex
}

var _ extract.Converter = (*Converter)(nil)

// targets maps a legacy kind to LibreOffice's output filter.
var targets = map[string]struct{ ext, filter string }{
	extract.KindDOC: {"docx", "docx:MS Word 2007 XML"},
	extract.KindWPS: {"docx", "docx:MS Word 2007 XML"},
	extract.KindXLS: {"xlsx", "xlsx:Calc MS Excel 2007 XML"},
}

// Available reports whether a LibreOffice program is installed.
func (c *Converter) Available() bool {
	_, err := c.bin()
	return err == nil
}

func (c *Converter) bin() (string, error) {
	if c.Bin != "" {
		return exec.LookPath(c.Bin)
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", extract.ErrNoConverter
}

// Convert turns body, a file of the given kind, into DOCX or XLSX.
func (c *Converter) Convert(ctx context.Context, kind string, body []byte) ([]byte, error) {
	t, ok := targets[kind]
	if !ok {
		return nil, fmt.Errorf("convert %s: not a legacy office kind", kind)
	}
	bin, err := c.bin()
	if err != nil {
		return nil, extract.ErrNoConverter
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir, err := os.MkdirTemp("", "nianbao-soffice-")
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w", kind, err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in."+kind)
	if err := os.WriteFile(in, body, 0o600); err != nil {
		return nil, fmt.Errorf("convert %s: %w", kind, err)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "--nologo",
		"-env:UserInstallation=file://"+c.profile(dir),
		"--convert-to", t.filter, "--outdir", dir, in)
	cmd.Dir = dir
	detach(cmd)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("convert %s: soffice did not finish in %v", kind, timeout)
	}
	res, rerr := os.ReadFile(filepath.Join(dir, "in."+t.ext))
	if rerr != nil {
		msg := strings.TrimSpace(lastLine(string(out)))
		if err != nil {
			msg = err.Error() + ": " + msg
		}
		if msg == "" {
			msg = "no output (not a " + kind + " file?)"
		}
		return nil, fmt.Errorf("convert %s: %s", kind, msg)
	}
	if len(res) == 0 {
		return nil, errors.New("convert " + kind + ": empty output")
	}
	return res, nil
}

// profile is LibreOffice's user installation: made once under the user
// cache directory and reused (a fresh one costs seconds per file), or in
// the conversion's temporary directory when there is no cache directory.
func (c *Converter) profile(tmp string) string {
	if d, err := os.UserCacheDir(); err == nil {
		p := filepath.Join(d, "nianbao", "soffice-profile")
		if os.MkdirAll(p, 0o700) == nil {
			return p
		}
	}
	return filepath.Join(tmp, "profile")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
