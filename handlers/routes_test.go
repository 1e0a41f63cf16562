package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/handlers"
)

// scenario is one request and what must (and must not) come back.
type scenario struct {
	name       string
	signedIn   bool
	method     string
	path       string
	header     map[string]string
	wantStatus int
	wantHeader map[string]string
	want       []string
	notWant    []string
}

func TestRoutes(t *testing.T) {
	p := newTestPortal(t)
	notFound := "There is nothing here, or it belongs to another account."
	scenarios := []scenario{
		{name: "health", method: "GET", path: "/healthz", wantStatus: 200, want: []string{`"status":"ok"`}},
		{name: "home anonymous goes to login", method: "GET", path: "/", wantStatus: 303, wantHeader: map[string]string{"Location": "/login"}},
		{name: "home signed in goes to licenses", signedIn: true, method: "GET", path: "/", wantStatus: 303, wantHeader: map[string]string{"Location": "/licenses"}},
		{name: "login page", method: "GET", path: "/login", wantStatus: 200,
			want: []string{`name="email"`, `name="order"`, `name="_csrf"`, "help@vendor.example", "purchase email address or order number"}},
		{name: "licenses anonymous", method: "GET", path: "/licenses", wantStatus: 303, wantHeader: map[string]string{"Location": "/login"}},
		{name: "licenses anonymous htmx", method: "GET", path: "/licenses", header: map[string]string{"HX-Request": "true"},
			wantStatus: 401, wantHeader: map[string]string{"HX-Redirect": "/login"}},
		{name: "orders anonymous", method: "GET", path: "/orders", wantStatus: 303, wantHeader: map[string]string{"Location": "/login"}},
		{name: "order anonymous", method: "GET", path: "/orders/JWT100234", wantStatus: 303, wantHeader: map[string]string{"Location": "/login"}},
		{name: "licenses", signedIn: true, method: "GET", path: "/licenses", wantStatus: 200,
			want: []string{
				`id="license-JWT100234-1"`, `id="license-JWT100234-2"`, `id="license-JWT100391-1"`,
				"Remote Work", "Standard", "ACME-SRV-01", "Not activated yet", "workstations",
				`datetime="2026-03-14"`, "1 year, until", `datetime="2027-03-14"`,
				`data-state="active"`, `data-state="expired"`, `data-state="expiring"`, "Expires in 13 days",
				"help@vendor.example",
			},
			notWant: []string{"JWT100412", "NW-TS-2019"}},
		{name: "orders", signedIn: true, method: "GET", path: "/orders", wantStatus: 200,
			want: []string{
				`id="order-JWT100234"`, `id="order-JWT100391"`, "Acme SARL", "FR", "Lyon", "Marie Dupont",
				"marie@acme.example", "EUR 601.00", "EUR 320.00", `hx-get="/orders/JWT100234"`, `href="/orders/JWT100234"`,
			},
			notWant: []string{"JWT100412", "Northwind"}},
		{name: "order details as htmx partial", signedIn: true, method: "GET", path: "/orders/JWT100234",
			header: map[string]string{"HX-Request": "true"}, wantStatus: 200,
			wantHeader: map[string]string{"Vary": "HX-Request"},
			want:       []string{`data-testid="order-details"`, "Remote Work Standard, 5 workstations", "Setup assistance", "EUR 75.50", "EUR 151.00", "EUR 601.00"},
			notWant:    []string{"<html", "<footer"}},
		{name: "order details as a page", signedIn: true, method: "GET", path: "/orders/JWT100234", wantStatus: 200,
			want: []string{"<html", "Order JWT100234", "Remote Work Standard, 5 workstations", "Marie Dupont", "help@vendor.example"}},
		{name: "order reference in any case", signedIn: true, method: "GET", path: "/orders/jwt100391", wantStatus: 200,
			want: []string{"Advanced Security Ultimate, 10 users"}},
		{name: "another email's order is not found", signedIn: true, method: "GET", path: "/orders/JWT100412", wantStatus: 404,
			want: []string{notFound}, notWant: []string{"Northwind", "24900", "249.00"}},
		{name: "another email's order is not found by htmx either", signedIn: true, method: "GET", path: "/orders/JWT100412",
			header: map[string]string{"HX-Request": "true"}, wantStatus: 404, notWant: []string{"Northwind", "<html"},
			wantHeader: map[string]string{"HX-Retarget": "#flash"}},
		{name: "missing order", signedIn: true, method: "GET", path: "/orders/JWT999999", wantStatus: 404, want: []string{notFound}},
		{name: "malformed order reference", signedIn: true, method: "GET", path: "/orders/%3Cscript%3E", wantStatus: 404},
		{name: "unknown page", method: "GET", path: "/nope", wantStatus: 404},
		{name: "login without CSRF token", method: "POST", path: "/login", wantStatus: 403, want: []string{"reload the page"}},
		{name: "logout without CSRF token", signedIn: true, method: "POST", path: "/logout", wantStatus: 403},
		{name: "static script", method: "GET", path: "/static/app.js?v=1", wantStatus: 200,
			wantHeader: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{name: "static htmx", method: "GET", path: "/static/vendor/htmx.min.js", wantStatus: 200, want: []string{"htmx"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			c := p.client(t)
			if sc.signedIn {
				c = p.signedIn(t)
			}
			res := c.do(sc.method, sc.path, nil, sc.header)
			if res.StatusCode != sc.wantStatus {
				t.Fatalf("status %d, want %d; body: %.300s", res.StatusCode, sc.wantStatus, res.body)
			}
			for k, v := range sc.wantHeader {
				if got := res.Header.Get(k); !strings.Contains(got, v) {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			for _, w := range sc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
			for _, nw := range sc.notWant {
				if strings.Contains(res.body, nw) {
					t.Errorf("body has %q", nw)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	p := newTestPortal(t)
	res := p.client(t).get("/login")
	for name, want := range map[string]string{
		"Content-Security-Policy": "script-src 'self'; style-src 'self'",
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if got := res.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to hold %q", name, got, want)
		}
	}
	if strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if strings.Contains(res.body, "<script>") || strings.Contains(res.body, " style=") {
		t.Error("page has inline script or style, which the CSP blocks")
	}
}

func TestLogin(t *testing.T) {
	generic := "We could not find an order with this email address and order number"
	cases := []struct {
		name, email, order string
		wantStatus         int
		wantBody           string
	}{
		{"exact", "marie@acme.example", "JWT100234", 303, ""},
		{"order with space, lower case", "marie@acme.example", "jwt 100234", 303, ""},
		{"email in capitals with spaces", "  Marie@ACME.example ", "JWT100391", 303, ""},
		{"wrong order of an existing email", "marie@acme.example", "JWT100999", 401, generic},
		{"order of another email", "marie@acme.example", "JWT100412", 401, generic},
		{"unknown email", "nobody@acme.example", "JWT100234", 401, generic},
		{"not an order number at all", "marie@acme.example", "hello", 401, generic},
		{"missing order", "marie@acme.example", "", 400, "Please enter both"},
		{"missing email", "", "JWT100234", 400, "Please enter both"},
		{"oversized input", strings.Repeat("a", 300) + "@x.example", "JWT100234", 400, generic},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPortal(t)
			c := p.client(t)
			res := c.login(tc.email, tc.order)
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %.300s", res.StatusCode, tc.wantStatus, res.body)
			}
			if tc.wantBody != "" && !strings.Contains(res.body, tc.wantBody) {
				t.Errorf("body lacks %q", tc.wantBody)
			}
			if tc.wantStatus != 303 {
				if _, ok := c.cookies["portal_session"]; ok {
					t.Error("a failed login set a session cookie")
				}
				return
			}
			if loc := res.Header.Get("Location"); loc != "/licenses" {
				t.Errorf("Location %q, want /licenses", loc)
			}
			if res := c.get("/licenses"); res.StatusCode != 200 || !strings.Contains(res.body, "license-JWT100234-1") {
				t.Errorf("after login, licenses page: %d", res.StatusCode)
			}
		})
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	p := newTestPortal(t)
	bodies := map[string]string{}
	for name, pair := range map[string][2]string{
		"wrong order":   {"marie@acme.example", "JWT100999"},
		"unknown email": {"nobody@acme.example", "JWT100234"},
		"foreign order": {"marie@acme.example", "JWT100412"},
	} {
		c := p.client(t)
		res := c.login(pair[0], pair[1])
		// Everything but the echoed email and the per-visitor CSRF token must match.
		body := strings.ReplaceAll(res.body, c.csrf, "")
		body = echoedField.ReplaceAllString(body, "$1")
		bodies[name] = body
	}
	if bodies["wrong order"] != bodies["unknown email"] || bodies["unknown email"] != bodies["foreign order"] {
		t.Error("failed logins answer differently depending on which field was wrong")
	}
}

var echoedField = regexp.MustCompile(`(name="(email|order)" value=")[^"]*`)

func TestSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		var opts []portalOption
		if secure {
			opts = append(opts, withSecureCookies)
		}
		p := newTestPortal(t, opts...)
		res := p.client(t).login("marie@acme.example", "JWT100234")
		var cookie *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "portal_session" {
				cookie = ck
			}
		}
		if cookie == nil {
			t.Fatal("no session cookie")
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure != secure {
			t.Errorf("secure=%v: cookie HttpOnly=%v SameSite=%v Secure=%v", secure, cookie.HttpOnly, cookie.SameSite, cookie.Secure)
		}
		if len(cookie.Value) < 40 {
			t.Errorf("session token %q is too short", cookie.Value)
		}
	}
}

func TestSessionIsServerSide(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	c.cookies["portal_session"] = "made-up-token"
	if res := c.get("/licenses"); res.StatusCode != 303 {
		t.Fatalf("a made-up session cookie opened the licenses page: %d", res.StatusCode)
	}
}

func TestLogout(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	stolen := c.cookies["portal_session"]
	c.get("/licenses")
	res := c.post("/logout", nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/licenses"); res.StatusCode != 303 {
		t.Errorf("after logout the licenses page answers %d", res.StatusCode)
	}
	// The old token must be dead on the server, not only forgotten by the browser.
	other := p.client(t)
	other.cookies["portal_session"] = stolen
	if res := other.get("/licenses"); res.StatusCode != 303 {
		t.Errorf("the session token still works after logout: %d", res.StatusCode)
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

func TestUnknownPathsMakeNoToken(t *testing.T) {
	p := newTestPortal(t)
	res := p.client(t).get("/wp-login.php")
	if res.StatusCode != 404 || strings.Contains(res.Header.Get("Set-Cookie"), "portal_csrf") {
		t.Errorf("unknown path: %d, Set-Cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	if res := p.client(t).do("POST", "/API/v1/activate", nil, nil); res.StatusCode != 404 {
		t.Errorf("upper-case API path: %d", res.StatusCode)
	}
}
