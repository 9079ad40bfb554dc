package crawler

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// publicAddr reports whether ip is a public address: not loopback, private
// (RFC 1918, fc00::/7), link-local, multicast or unspecified.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast())
}

// privateOK is the context key under which [captureTransport.RoundTrip]
// tells the dialer whether this hop may reach a non-public address.
type privateOK struct{}

// netConn is a dialed connection and whether it reached a public address
// (or a name Options.Resolve stands in for, which counts as public).
type netConn struct {
	net.Conn
	public bool
}

// connPublic reports whether a connection the transport handed out reached
// a public address.
func connPublic(c net.Conn) bool {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if nc, ok := c.(*netConn); ok {
		return nc.public
	}
	return false
}

// dial connects for the transport. A non-public address is refused unless
// the request's context allows it (a portal with AllowPrivateNetwork, on a
// hop that no public host redirected to): a portal name must not lead the
// crawler inside the network it runs in. The check runs on the address
// actually dialed, after DNS, so a public name resolving to a private
// address is refused too.
//
// With Options.Resolve set (tests), names it maps are dialed at their
// loopback stand-ins and count as public; an IP-literal host it does not
// map is dialed as itself and checked; any other name is refused.
func (r *runner) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	allowPrivate, _ := ctx.Value(privateOK{}).(bool)
	d := &net.Dialer{Timeout: r.opts.Timeout, KeepAlive: 30 * time.Second}
	if resolve := r.opts.Resolve; resolve != nil {
		h, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", addr, err)
		}
		to, ok := resolve[h]
		if !ok {
			to, ok = resolve[net.JoinHostPort(h, port)]
		}
		if ok {
			c, err := d.DialContext(ctx, network, to)
			if err != nil {
				return nil, err
			}
			return &netConn{Conn: c, public: true}, nil
		}
		if _, err := netip.ParseAddr(h); err != nil {
			return nil, fmt.Errorf("dial %s: %w (not in Resolve)", addr, ErrForbiddenHost)
		}
	}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("dial %s: %w", address, err)
		}
		if !allowPrivate && !publicAddr(ap.Addr()) {
			return fmt.Errorf("dial %s: %w", address, ErrNonPublic)
		}
		return nil
	}
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	public := false
	if ap, err := netip.ParseAddrPort(c.RemoteAddr().String()); err == nil {
		public = publicAddr(ap.Addr())
	}
	return &netConn{Conn: c, public: public}, nil
}
