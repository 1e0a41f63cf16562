package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/handlers"
)

func TestLoginRateLimitPerAddress(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	// Different emails and order numbers, one address: the address bucket (10)
	// runs out first.
	for i := range 10 {
		if res := c.login("guess"+string(rune('a'+i))+"@acme.example", fmt.Sprintf("JWT20000%d", i)); res.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	res := c.login("marie@acme.example", "JWT100234")
	if res.StatusCode != 429 {
		t.Fatalf("11th attempt: %d, want 429", res.StatusCode)
	}
	if res.Header.Get("Retry-After") == "" || !strings.Contains(res.body, "Too many login attempts") {
		t.Errorf("429 without Retry-After or a friendly page")
	}
	// The bucket refills steadily: a short wait gives one more try.
	p.clock.Advance(7 * time.Second)
	if res := c.login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("after waiting, the right pair answers %d", res.StatusCode)
	}
}

func TestLoginRateLimitPerEmail(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	for i := range 5 {
		if res := c.login("marie@acme.example", "JWT10000"+string(rune('0'+i))); res.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i+1, res.StatusCode)
		}
	}
	if res := c.login("marie@acme.example", "JWT100234"); res.StatusCode != 429 {
		t.Fatalf("6th attempt for the same email: %d, want 429", res.StatusCode)
	}
	if res := p.client(t).login("john@northwind.example", "JWT100412"); res.StatusCode != 303 {
		t.Errorf("another email is locked out too: %d", res.StatusCode)
	}
	p.clock.Advance(time.Minute)
	if res := c.login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("after a minute the right pair answers %d", res.StatusCode)
	}
}

func TestSuccessfulLoginsDoNotUseUpTheLimit(t *testing.T) {
	p := newTestPortal(t)
	// More right logins than the email's and the order number's buckets hold
	// (5), from one address: none is refused by those limits.
	for i := range 10 {
		if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
			t.Fatalf("login %d: %d", i+1, res.StatusCode)
		}
	}
	// But each makes a session: a customer's sign-ins are bounded per hour.
	res := p.client(t).login("marie@acme.example", "JWT100234")
	if res.StatusCode != 429 || !strings.Contains(res.body, "Too many sign-ins to this account") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("11th sign-in within minutes: %d", res.StatusCode)
	}
	p.clock.Advance(6 * time.Minute)
	if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("a sign-in after 6 minutes: %d", res.StatusCode)
	}
}

func TestLoginRateLimitBehindTrustedProxy(t *testing.T) {
	failFrom := func(c *client, ip string, n int) int {
		status := 0
		for i := range n {
			c.get("/login")
			form := url.Values{"email": {fmt.Sprintf("guess%d@%s.example", i, ip)}, "order": {fmt.Sprintf("JWT3%s%d", strings.ReplaceAll(ip, ".", ""), i)}, "_csrf": {c.csrf}}
			status = c.do("POST", "/login", form, map[string]string{"X-Forwarded-For": ip}).StatusCode
		}
		return status
	}
	t.Run("trusted proxy: one bucket per client", func(t *testing.T) {
		p := newTestPortal(t, func(c *handlers.Config) { c.TrustedProxies = []string{"0.0.0.0"} })
		c := p.client(t)
		if got := failFrom(c, "198.51.100.7", 11); got != 429 {
			t.Fatalf("11th failure from one client: %d, want 429", got)
		}
		if got := failFrom(c, "203.0.113.9", 1); got != 401 {
			t.Errorf("another client behind the same proxy: %d, want 401", got)
		}
	})
	t.Run("trusted proxy: addresses the client wrote before the proxy's do not count", func(t *testing.T) {
		p := newTestPortal(t, func(c *handlers.Config) { c.TrustedProxies = []string{"0.0.0.0/32"} })
		status := 0
		for i := range 11 {
			// The proxy appended the real address; the client forged one before it.
			forged := fmt.Sprintf("10.9.0.%d, 198.51.100.7", i)
			status, _, _ = p.api(t, "POST", "/api/v1/activate", keyBody("WRNG-KEYS-0000-0000-0000-0000", "PC"), map[string]string{"X-Forwarded-For": forged})
		}
		if status != 429 {
			t.Errorf("11th wrong key with forged addresses: %d, want 429", status)
		}
	})
	t.Run("no trusted proxy: a forged header does not escape the limit", func(t *testing.T) {
		p := newTestPortal(t)
		c := p.client(t)
		failFrom(c, "198.51.100.7", 10)
		if got := failFrom(c, "203.0.113.9", 1); got != 429 {
			t.Errorf("a forged X-Forwarded-For got a fresh bucket: %d", got)
		}
	})
}
