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

// clientIP is the address that rate limits and logs count. Behind trusted
// proxies it is the last address in X-Forwarded-For that is not one of them:
// proxies append to the header, so anything to the left of that was written by
// the client and proves nothing.
func (h *Handler) clientIP(c *fiber.Ctx) string {
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	remote = remote.Unmap()
	if len(h.proxies) == 0 || !h.proxies.contains(remote) {
		return remote.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A hop we cannot read: stop at the last address we could trust.
			break
		}
		if !h.proxies.contains(a) {
			return a.Unmap().String()
		}
		remote = a
	}
	return remote.String()
}
