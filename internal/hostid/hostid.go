// Package hostid is the one rule for "which host is this": the identity
// under which config lists allowed domains, the crawler queues, paces and
// backs off a host, and status looks up a portal's state.
//
//	u, _ := url.Parse("http://WWW.Example.gov.cn:80/col/")
//	hostid.Of(u) // "www.example.gov.cn"
//
// An identity is the host name in lower case (without a trailing dot), with
// the port kept only when it is not the scheme's default: http://h/ and
// http://h:80/ are one host, http://h:8080/ another. It lives in its own
// package because both config and crawler need it, and neither may import
// the other.
package hostid

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultPort returns the port a scheme uses when a URL names none:
// "80" for http, "443" for https, "" otherwise.
func DefaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// Of returns u's host identity: lower case, default port dropped, explicit
// port kept ("h", "h:8080", "[::1]:8080"). It is "" when u has no host.
func Of(u *url.URL) string {
	if u == nil {
		return ""
	}
	name := normName(u.Hostname())
	if name == "" {
		return ""
	}
	port := u.Port()
	if port == "" || port == DefaultPort(u.Scheme) {
		if strings.Contains(name, ":") {
			return "[" + name + "]"
		}
		return name
	}
	return net.JoinHostPort(name, port)
}

// OfURL is [Of] on a raw URL; it is "" when raw does not parse.
func OfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return Of(u)
}

func normName(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }

// ParseAllowed reads one allowed_domains entry: "host" (the scheme's
// default port, http or https) or "host:port" (that port only). It returns
// the entry in the form [Set.Allows] matches.
func ParseAllowed(entry string) (string, error) {
	e := strings.TrimSpace(entry)
	if e == "" {
		return "", errors.New("empty host")
	}
	if strings.ContainsAny(e, "/*@ \t") {
		return "", fmt.Errorf("%q: want a host name such as www.xxmyq.gov.cn or a host:port such as 127.0.0.1:8080", entry)
	}
	name, port := e, ""
	if h, p, err := net.SplitHostPort(e); err == nil {
		if p == "" {
			return "", fmt.Errorf("%q: empty port", entry)
		}
		name, port = h, p
	} else if strings.Count(e, ":") == 1 || strings.HasPrefix(e, "[") && !strings.HasSuffix(e, "]") {
		return "", fmt.Errorf("%q: want host or host:port", entry)
	}
	name = normName(strings.Trim(name, "[]"))
	if name == "" {
		return "", fmt.Errorf("%q: no host name", entry)
	}
	if port == "" {
		if strings.Contains(name, ":") {
			return "[" + name + "]", nil
		}
		return name, nil
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", entry, port)
	}
	return net.JoinHostPort(name, port), nil
}

// Set is a list of allowed hosts, as returned by [ParseAllowed].
type Set map[string]bool

// NewSet parses allowed_domains entries.
func NewSet(entries []string) (Set, error) {
	s := Set{}
	for _, e := range entries {
		k, err := ParseAllowed(e)
		if err != nil {
			return nil, err
		}
		s[k] = true
	}
	return s, nil
}

// Allows reports whether u's host is in the set: an http(s) URL without
// user info whose identity is listed, or whose host:port is (an entry
// "h:80" allows http://h/ but not https://h/; an entry "h" allows both on
// their default ports, and no other port).
func (s Set) Allows(u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return false
	}
	id := Of(u)
	if id == "" {
		return false
	}
	if s[id] {
		return true
	}
	port := u.Port()
	if port == "" {
		port = DefaultPort(u.Scheme)
	}
	return s[net.JoinHostPort(normName(u.Hostname()), port)]
}
