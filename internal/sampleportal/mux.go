package sampleportal

import (
	"bufio"
	"net"
	"sync"
	"time"
)

// The portal listens on one loopback port and serves both schemes on it: a
// connection whose first byte starts a TLS handshake (0x16) goes to the TLS
// server, any other to the plain one. So one address per hostname in
// Resolve serves http:// and https:// URLs alike, whatever port the client
// meant.

// chanListener hands out connections pushed by the demultiplexer.
type chanListener struct {
	addr  net.Addr
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }

func (l *chanListener) push(c net.Conn) {
	select {
	case l.conns <- c:
	case <-l.done:
		c.Close()
	}
}

// peekedConn replays the byte read to choose the scheme.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// demux accepts from ln until it is closed and routes each connection.
func demux(ln net.Listener, plain, tlsL *chanListener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			plain.Close()
			tlsL.Close()
			return
		}
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			r := bufio.NewReader(c)
			first, err := r.Peek(1)
			_ = c.SetReadDeadline(time.Time{})
			if err != nil {
				c.Close()
				return
			}
			pc := &peekedConn{Conn: c, r: r}
			if first[0] == 0x16 {
				tlsL.push(pc)
				return
			}
			plain.push(pc)
		}()
	}
}
