package mail

import (
	"context"
	"net"
	"sync"
	"time"
)

// boundedConn is a connection that keeps to a Send's context: once the
// context is done (its deadline passed, or the caller gave up) every read and
// write fails at once, whatever deadline the SMTP client sets afterwards.
type boundedConn struct {
	net.Conn
	ctx context.Context
	// mu orders the client's deadline changes with the context's end, so that
	// a deadline set just as the context ends cannot undo it.
	mu   sync.Mutex
	stop func() bool
}

// expired is a deadline in the past: blocked reads and writes return.
var expired = time.Unix(1, 0)

func newBoundedConn(ctx context.Context, conn net.Conn) *boundedConn {
	c := &boundedConn{Conn: conn, ctx: ctx}
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.Conn.SetDeadline(expired)
	})
	return c
}

func (c *boundedConn) bound(t time.Time) time.Time {
	if c.ctx.Err() != nil {
		return expired
	}
	return t
}

func (c *boundedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetDeadline(c.bound(t))
}

func (c *boundedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetReadDeadline(c.bound(t))
}

func (c *boundedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.SetWriteDeadline(c.bound(t))
}

func (c *boundedConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
