package handlers_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"portal/handlers"
	"portal/payments"
)

// restarted is the same portal (same store, same signing key file) after a
// restart, or another instance given the same key.
func (p *testPortal) restarted(t *testing.T, key ed25519.PrivateKey) *testPortal {
	t.Helper()
	cfg := handlers.Config{Payments: payments.Demo{}, SigningKey: key, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: p.clock.Now}
	return &testPortal{app: handlers.New(cfg, p.store).App(), store: p.store, clock: p.clock, publicKey: p.publicKey}
}

func withSigningKey(key ed25519.PrivateKey) portalOption {
	return func(c *handlers.Config) { c.SigningKey = key }
}

func TestCSRFTokenSurvivesARestartWithTheSameKey(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	p := newTestPortal(t, withSigningKey(key))
	c := p.signedIn(t)
	c.get("/licenses")
	oldKey := p.activationKey(t, "JWT100234")

	// The same key file: the page's token still works, and the form acts.
	c.p = p.restarted(t, key)
	res := c.post("/orders/JWT100234/activation-key/reissue", nil)
	if res.StatusCode != 200 || p.activationKey(t, "JWT100234") == oldKey {
		t.Fatalf("reissue with a token from before the restart: %d, key changed %v", res.StatusCode, p.activationKey(t, "JWT100234") != oldKey)
	}

	// Another key (another portal): the same token is refused and nothing changes.
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	c.p = p.restarted(t, otherKey)
	before := p.activationKey(t, "JWT100234")
	if res := c.do("POST", "/orders/JWT100234/activation-key/reissue", url.Values{"_csrf": {c.csrf}}, nil); res.StatusCode != 403 {
		t.Errorf("a token signed by another key: %d, want 403", res.StatusCode)
	}
	if p.activationKey(t, "JWT100234") != before {
		t.Error("a refused request changed the key")
	}
}

func TestCSRFTokenIsBoundToItsBrowser(t *testing.T) {
	p := newTestPortal(t)
	victim := p.signedIn(t)
	victim.get("/licenses")
	// The attacker has a valid token of their own browser, and forges a request
	// that the victim's browser sends with the victim's cookies.
	attacker := p.client(t)
	attacker.get("/login")
	if attacker.csrf == "" || attacker.csrf == victim.csrf {
		t.Fatalf("tokens: attacker %q, victim %q", attacker.csrf, victim.csrf)
	}
	before := p.activationKey(t, "JWT100234")
	forged := []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"the attacker's own token", url.Values{"_csrf": {attacker.csrf}}, nil},
		{"the attacker's token as the htmx header", url.Values{}, map[string]string{"X-CSRF-Token": attacker.csrf}},
		{"a made-up token", url.Values{"_csrf": {strings.Repeat("A", 43)}}, nil},
		{"no token", url.Values{}, nil},
		{"the right token from another site", url.Values{"_csrf": {victim.csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"the right token from another origin", url.Values{"_csrf": {victim.csrf}}, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, f := range forged {
		res := victim.do("POST", "/orders/JWT100234/activation-key/reissue", f.form, f.header)
		if res.StatusCode != 403 || !strings.Contains(res.body, "reload the page") {
			t.Errorf("%s: %d, want 403 asking to reload", f.name, res.StatusCode)
		}
	}
	if p.activationKey(t, "JWT100234") != before {
		t.Fatal("a forged request reissued the key")
	}
	// The victim's own form, from the portal's own page, works.
	res := victim.do("POST", "/orders/JWT100234/activation-key/reissue", url.Values{"_csrf": {victim.csrf}},
		map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"})
	if res.StatusCode != 200 {
		t.Errorf("the customer's own form: %d", res.StatusCode)
	}
}

func TestReadingPagesSetsNoCookieOnceTheBrowserHasOne(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.get("/licenses")
	token := c.csrf
	for _, path := range []string{"/licenses", "/orders", "/orders/JWT100234", "/licenses/JWT100234-1/upgrade"} {
		res := c.get(path)
		if res.StatusCode != 200 || len(res.Header.Values("Set-Cookie")) != 0 {
			t.Errorf("%s: %d, Set-Cookie %q", path, res.StatusCode, res.Header.Values("Set-Cookie"))
		}
		if c.csrf != token {
			t.Errorf("%s: the token changed between page views", path)
		}
	}
}

func TestHTMXSendsCSRFHeader(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	page := c.get("/licenses")
	if !strings.Contains(page.body, `hx-headers="{&#34;X-CSRF-Token&#34;:&#34;`+c.csrf) {
		t.Fatal("the page does not give htmx the CSRF token")
	}
	res := c.do("POST", "/logout", url.Values{}, map[string]string{"X-CSRF-Token": c.csrf, "HX-Request": "true"})
	if res.StatusCode != 303 {
		t.Errorf("logout with the CSRF header: %d", res.StatusCode)
	}
}

func TestCSRFTokenIsRenewedAtLogin(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	c.get("/login")
	before := c.csrf
	c.post("/login", url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}})
	res := c.do("POST", "/logout", url.Values{"_csrf": {before}}, nil)
	if res.StatusCode != 403 {
		t.Errorf("the token from before login still works: %d", res.StatusCode)
	}
	if page := c.get("/licenses"); page.Header.Get("Cache-Control") != "no-store" || c.csrf == before {
		t.Errorf("signed-in page: Cache-Control %q, new token %v", page.Header.Get("Cache-Control"), c.csrf != before)
	}
	if res := c.post("/logout", nil); res.StatusCode != 303 {
		t.Errorf("logout with the new token: %d", res.StatusCode)
	}
}
