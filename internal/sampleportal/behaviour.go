package sampleportal

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Behaviour is a server misbehaviour switched on per host with [Portal.Set]
// (portals.md §4 and §6). The zero value is a well-behaved host. Counters
// such as Fail502First count requests to the host since Set.
type Behaviour struct {
	// Latency delays every response; Jitter adds a random extra up to Jitter.
	Latency, Jitter time.Duration

	// Status502Rate answers 502 Bad Gateway with this probability (0..1).
	Status502Rate float64
	// Fail502First answers 502 to the first N requests.
	Fail502First int
	// Fail429First answers 429 with "Retry-After: RetryAfter" (seconds) to
	// the first N requests.
	Fail429First, RetryAfter int
	// ResetFirst and ResetRate cut the connection (TCP RST) halfway through
	// the body of the first N responses, or with this probability.
	ResetFirst int
	ResetRate  float64

	// Robots replaces the host's robots.txt.
	Robots RobotsMode
	// RobotsDisallowPath is the path prefix RobotsDisallowOne disallows.
	RobotsDisallowPath string

	// WAF puts a challenge in front of the host; WAFAfter is the number of
	// requests let through first (WAF412), WAFRate the share of requests
	// challenged (WAFEnableJS; 0 means every request).
	WAF      WAFMode
	WAFAfter int
	WAFRate  float64

	// SoftNotFound changes how missing paths are answered.
	SoftNotFound SoftMode

	// MoveTo makes the host move: after MoveAfter requests every request is
	// answered "301 Moved Permanently" to the same path on MoveTo, which
	// serves the same site (and is added to [Portal.Resolve]).
	MoveTo    string
	MoveAfter int

	// TLS breaks HTTPS for the host.
	TLS TLSMode

	// Charset sets a charset trap on the host's pages.
	Charset CharsetTrap

	// NoValidators drops ETag and Last-Modified and ignores conditional GETs.
	NoValidators bool
}

// RobotsMode is a robots.txt variant.
type RobotsMode int

// Robots variants.
const (
	RobotsSite        RobotsMode = iota // the site's own (default)
	RobotsDisallowAll                   // User-agent: * / Disallow: /
	RobotsNotFound                      // 404
	RobotsSoft404                       // 200 text/html "页面不存在"
	RobotsDisallowOne                   // Disallow: Behaviour.RobotsDisallowPath only
	RobotsAllowAll                      // User-agent: * / Disallow:
)

// WAFMode is a web-application-firewall challenge (portals.md §4.3).
type WAFMode int

// WAF modes. None of them can be passed without running JavaScript, except
// WAF521, which lets through requests carrying its clearance cookie.
const (
	WAFNone     WAFMode = iota
	WAF521              // 加速乐/创宇盾: 521 + JS stub that sets __jsl_clearance_s
	WAF412              // 瑞数: 412 + meta refresh after WAFAfter requests
	WAFEnableJS         // 200 "Please enable JavaScript" stub (acw_sc__v2)
	WAFCloud403         // "403 - 云防护" for User-Agents matching colly, Go-http-client or python
	WAFBlockAll         // every path → tiny 403
)

// SoftMode is a soft-404 style for missing paths (portals.md §4.6).
type SoftMode int

// Soft-404 styles.
const (
	SoftNone         SoftMode = iota // a real 404
	SoftPage200                      // 200 "页面不存在"
	SoftRedirectHome                 // 302 to /
	SoftSPAShell                     // the same JS shell, 200, for every path, existing or not
)

// TLSMode is a way HTTPS is broken for a host (portals.md §4.5).
type TLSMode int

// TLS modes. The TLS listener's certificate is always self-signed.
const (
	TLSNone          TLSMode = iota
	TLSUpgrade               // http → 301 https, content served over the self-signed listener
	TLSUpgradeBroken         // http → 301 https, every https path 404s
	TLSHandshakeFail         // the TLS handshake for this host fails
	TLS502                   // https answers 502 while http works
)

// CharsetTrap is an encoding trap (portals.md §3.1).
type CharsetTrap int

// Charset traps. They apply to pages whose bytes are GBK.
const (
	CharsetAsBuilt    CharsetTrap = iota
	CharsetHeaderUTF8             // header "charset=utf-8" over a GBK body
	CharsetMetaLate               // the <meta> charset after 1 KiB of comments; header without charset
	CharsetNoHints                // no charset in header or meta: detection only
)

// hostState is a host's behaviour and its request counter since Set.
type hostState struct {
	b Behaviour
	n int // requests since Set (guarded by Portal.mu)
	p *Portal
}

// Set switches host's behaviour, replacing the previous one; Set(host,
// Behaviour{}) makes it well-behaved again.
func (p *Portal) Set(host string, b Behaviour) {
	p.mu.Lock()
	defer p.mu.Unlock()
	host = strings.ToLower(host)
	p.behaviours[host] = &hostState{b: b, p: p}
	if b.MoveTo != "" {
		p.aliases[strings.ToLower(b.MoveTo)] = host
	}
}

// draw reports whether a random event of probability rate happens.
func (p *Portal) draw(rate float64) bool {
	if rate <= 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64() < rate
}

var libraryUA = regexp.MustCompile(`(?i)colly|go-http-client|python|scrapy`)

// applyBehaviour answers the request when a behaviour takes it over and
// reports whether it did.
func (p *Portal) applyBehaviour(w *statusWriter, r *http.Request, s *site, st *hostState, _ int, isTLS bool) bool {
	p.mu.Lock()
	st.n++
	n := st.n
	b := st.b
	p.mu.Unlock()

	if d := b.Latency; d > 0 || b.Jitter > 0 {
		if b.Jitter > 0 {
			p.mu.Lock()
			d += time.Duration(p.rng.Int64N(int64(b.Jitter)))
			p.mu.Unlock()
		}
		if sleepCtx(r.Context(), d) != nil {
			return true
		}
	}
	switch b.TLS {
	case TLSUpgrade, TLSUpgradeBroken:
		if !isTLS {
			http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), http.StatusMovedPermanently)
			return true
		}
		if b.TLS == TLSUpgradeBroken {
			writeHTML(w, http.StatusNotFound, "text/html", notFoundPage)
			return true
		}
	case TLS502:
		if isTLS {
			writeHTML(w, http.StatusBadGateway, "text/html", badGatewayPage)
			return true
		}
	}
	if b.MoveTo != "" && n > b.MoveAfter && !strings.EqualFold(hostOnly(r.Host), b.MoveTo) {
		scheme := "http"
		if isTLS {
			scheme = "https"
		}
		http.Redirect(w, r, scheme+"://"+b.MoveTo+r.URL.RequestURI(), http.StatusMovedPermanently)
		return true
	}
	switch b.WAF {
	case WAF521:
		if c, err := r.Cookie("__jsl_clearance_s"); err != nil || c.Value == "" {
			h := w.Header()
			h.Set("Set-Cookie", "__jsluid_s="+hexID(r.URL.Path, strconv.Itoa(n))+"; max-age=31536000; path=/; HttpOnly")
			writeHTML(w, 521, "text/html", waf521Page)
			return true
		}
	case WAF412:
		if n > b.WAFAfter {
			writeHTML(w, http.StatusPreconditionFailed, "text/html", waf412Page)
			return true
		}
	case WAFEnableJS:
		if b.WAFRate <= 0 || p.draw(b.WAFRate) {
			writeHTML(w, http.StatusOK, "text/html", wafEnableJSPage)
			return true
		}
	case WAFCloud403:
		if libraryUA.MatchString(r.UserAgent()) {
			writeHTML(w, http.StatusForbidden, "text/html", waf403Page)
			return true
		}
	case WAFBlockAll:
		writeHTML(w, http.StatusForbidden, "text/html", "<html><body>403 Forbidden</body></html>")
		return true
	}
	if n <= b.Fail502First || p.draw(b.Status502Rate) {
		writeHTML(w, http.StatusBadGateway, "text/html", badGatewayPage)
		return true
	}
	if n <= b.Fail429First {
		w.Header().Set("Retry-After", strconv.Itoa(b.RetryAfter))
		writeHTML(w, http.StatusTooManyRequests, "text/html", "<html><body>429 Too Many Requests</body></html>")
		return true
	}
	if r.URL.Path == "/robots.txt" && b.Robots != RobotsSite {
		switch b.Robots {
		case RobotsDisallowAll:
			writeHTML(w, http.StatusOK, "text/plain", "User-agent: *\nDisallow: /\n")
		case RobotsNotFound:
			writeHTML(w, http.StatusNotFound, "text/html", notFoundPage)
		case RobotsSoft404:
			writeHTML(w, http.StatusOK, "text/html; charset=utf-8", soft404Page)
		case RobotsDisallowOne:
			writeHTML(w, http.StatusOK, "text/plain", "User-agent: *\nDisallow: "+b.RobotsDisallowPath+"\n")
		case RobotsAllowAll:
			writeHTML(w, http.StatusOK, "text/plain", "User-agent: *\nDisallow:\n")
		}
		return true
	}
	if b.SoftNotFound == SoftSPAShell {
		writeHTML(w, http.StatusOK, "text/html; charset=utf-8", spaShellPage)
		return true
	}
	return false
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

func writeHTML(w http.ResponseWriter, status int, ctype, body string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// notFound answers a missing path the way the host's soft-404 mode says.
func (p *Portal) notFound(w http.ResponseWriter, r *http.Request, s *site, st *hostState) {
	mode := SoftNone
	if st != nil {
		mode = st.b.SoftNotFound
	}
	switch mode {
	case SoftPage200:
		writeHTML(w, http.StatusOK, "text/html; charset=utf-8", soft404Page)
	case SoftRedirectHome:
		http.Redirect(w, r, "/", http.StatusFound)
	default:
		writeHTML(w, http.StatusNotFound, "text/html", notFoundPage)
	}
}

// shouldReset reports whether this response is to be cut mid-body.
func (st *hostState) shouldReset() bool {
	st.p.mu.Lock()
	n, b := st.n, st.b
	st.p.mu.Unlock()
	return n <= b.ResetFirst || st.p.draw(b.ResetRate)
}

// resetMidBody sends the headers and half the body, then resets the
// connection (ECONNRESET on the client), as overloaded portals do.
func resetMidBody(w http.ResponseWriter, body []byte, ctype string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		if u, ok2 := w.(interface{ Unwrap() http.ResponseWriter }); ok2 {
			hj, ok = u.Unwrap().(http.Hijacker)
		}
	}
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	writeRaw(buf, body, ctype)
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN
	}
}

func writeRaw(buf *bufio.ReadWriter, body []byte, ctype string) {
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", ctype, len(body))
	_, _ = buf.Write(body[:len(body)/2])
	_ = buf.Flush()
}

// charsetTrap rewrites a GBK page's headers or head for the host's trap.
func (st *hostState) charsetTrap(body []byte, ctype string) ([]byte, string) {
	if !bytes.Contains(body, []byte("charset=gb2312")) {
		return body, ctype
	}
	switch st.b.Charset {
	case CharsetHeaderUTF8:
		return body, "text/html; charset=utf-8"
	case CharsetMetaLate:
		var pad bytes.Buffer
		pad.WriteString("<head>\n<!--\n")
		for pad.Len() < 1500 {
			pad.WriteString("  page generated by TRS WCM; template rev 7.0; do not edit by hand  \n")
		}
		pad.WriteString("-->\n")
		return bytes.Replace(body, []byte("<head>"), pad.Bytes(), 1), "text/html"
	case CharsetNoHints:
		return bytes.Replace(body, []byte("; charset=gb2312"), nil, -1), "text/html"
	}
	return body, ctype
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

const notFoundPage = `<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>`

const badGatewayPage = `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`

const soft404Page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在</title></head><body><div class="error"><h2>抱歉，您访问的页面不存在或已删除！</h2><p><a href="/">返回首页</a></p></div></body></html>`

const spaShellPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务服务门户</title><link rel="stylesheet" href="/static/css/app.css"></head><body><noscript>请开启浏览器的JavaScript功能</noscript><div id="app"></div><script src="/static/js/chunk-vendors.js"></script><script src="/static/js/app.js"></script></body></html>`

const waf521Page = `<html><body><script>document.cookie=('_')+('_')+('j')+('sl_clearance_s')+('=')+('1732860000.123|0|')+('eXaMpLe%3D');location.href=location.pathname+location.search</script></body></html>`

const waf412Page = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta http-equiv="refresh" content="0; url=?_ts=1732860000"><script type="text/javascript">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=31337;$_ts.cd="qqzcrrAlEaLcqqqq";</script><script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r='m'></script></head><body></body></html>`

const wafEnableJSPage = `<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head><body><noscript>Please enable JavaScript and refresh the page.</noscript><script>var arg1='3A5C1E';function setCookie(name,value){var expiration=new Date(new Date().getTime()+3600*1000);document.cookie=name+'='+value+';expires='+expiration.toGMTString()+';max-age=3600;path=/';}function reload(x){setCookie('acw_sc__v2',x);document.location.reload();}</script></body></html>`

const waf403Page = `<!DOCTYPE html><html><head><title>403 - 云防护</title></head><body><div class="main"><h1>403</h1><p>您的访问请求可能对网站造成安全威胁，请求已被云防护拦截。</p><p>如果您是网站管理员，请登录云防护控制台查看拦截详情。</p></div></body></html>`
