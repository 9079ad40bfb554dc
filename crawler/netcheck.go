package crawler

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

type syscallRawConn = syscall.RawConn

// checkPublic refuses to connect to loopback, private, link-local and other
// non-public addresses: a portal name must not lead the crawler inside the
// network it runs in. Tests use Options.Resolve instead, which bypasses this.
func checkPublic(address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() {
		return fmt.Errorf("dial %s: %w", address, ErrNonPublic)
	}
	return nil
}
