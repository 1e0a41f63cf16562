package handlers

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies holds the reverse proxies whose X-Forwarded-For is believed.
type trustedProxies []netip.Prefix

// parseTrustedProxies reads addresses and CIDR ranges; bad entries are skipped
// (main checks them first).
func parseTrustedProxies(list []string) trustedProxies {
	var out trustedProxies
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func (t trustedProxies) contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the address that logs name. Behind trusted proxies it is the
// last address in X-Forwarded-For that is not one of them: proxies append to the
// header, so anything to the left of that was written by the client and proves
// nothing. Every line of the header counts, in order: a proxy may append a line
// of its own rather than extend the client's.
func (h *Handler) clientIP(c *fiber.Ctx) string {
	return h.clientAddr(c).String()
}

// clientAddr is clientIP as an address.
func (h *Handler) clientAddr(c *fiber.Ctx) netip.Addr {
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return netip.IPv4Unspecified()
	}
	remote = remote.Unmap()
	if len(h.proxies) == 0 || !h.proxies.contains(remote) {
		return remote
	}
	var hops []string
	for _, line := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(line), ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A hop we cannot read: stop at the last address we could trust.
			break
		}
		if !h.proxies.contains(a) {
			return a.Unmap()
		}
		remote = a
	}
	return remote
}

// limitKey is who a per-address limit counts: the address, or for IPv6 its /64,
// which one client (one home, one server) usually holds whole.
func (h *Handler) limitKey(c *fiber.Ctx) string {
	a := h.clientAddr(c)
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
