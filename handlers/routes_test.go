package handlers_test

import (
	"strings"
	"testing"
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
		{name: "health", method: "GET", path: "/healthz", wantStatus: 200, want: []string{`"status":"ok"`, `"version":"`, `"commit":"`, `"go":"go1.`}},
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
				`id="order-JWT100234"`, `id="order-JWT100391"`, "Acme SARL", ">France<", "Lyon", "Marie Dupont",
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
