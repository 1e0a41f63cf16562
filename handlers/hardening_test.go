package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// behindProxy is a portal that believes X-Forwarded-For from the test client's
// address, as behind a reverse proxy on loopback.
func behindProxy(t *testing.T) *testPortal {
	return newTestPortal(t, func(c *handlers.Config) { c.TrustedProxies = []string{"0.0.0.0"} })
}

// loginVia posts a login through the trusted proxy, with each X-Forwarded-For
// line as a header line of its own, as a proxy that appends its own line sends.
func loginVia(t *testing.T, c *client, email, order string, forwardedFor ...string) response {
	t.Helper()
	c.get("/login")
	form := url.Values{"email": {email}, "order": {order}, "_csrf": {c.csrf}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, line := range forwardedFor {
		req.Header.Add("X-Forwarded-For", line)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		c.cookies[ck.Name] = ck.Value
	}
	return response{Response: res}
}

func TestEveryForwardedForLineCounts(t *testing.T) {
	p := behindProxy(t)
	c := p.client(t)
	// The client writes a new address on the first line each time; the proxy
	// appends the real one on a line of its own.
	status := 0
	for i := range 11 {
		status = loginVia(t, c, fmt.Sprintf("guess%d@x.example", i), fmt.Sprintf("JWT40000%d", i),
			fmt.Sprintf("10.0.0.%d", i), "198.51.100.7").StatusCode
	}
	if status != 429 {
		t.Fatalf("11th wrong login from one client hiding behind a forged first line: %d, want 429", status)
	}
}

func TestIPv6ClientsAreCountedByTheirSlash64(t *testing.T) {
	p := behindProxy(t)
	c := p.client(t)
	status := 0
	for i := range 11 {
		status = loginVia(t, c, fmt.Sprintf("guess%d@x.example", i), fmt.Sprintf("JWT40000%d", i),
			fmt.Sprintf("2001:db8:1:2::%x", i+1)).StatusCode
	}
	if status != 429 {
		t.Fatalf("11th wrong login from one /64: %d, want 429", status)
	}
	if got := loginVia(t, p.client(t), "other@x.example", "JWT499999", "2001:db8:1:3::1").StatusCode; got != 401 {
		t.Errorf("a client in another /64: %d, want 401", got)
	}
}

func TestOneOrderNumberGuessedFromManyAddresses(t *testing.T) {
	p := behindProxy(t)
	status := 0
	for i := range 6 {
		status = loginVia(t, p.client(t), fmt.Sprintf("guess%d@x.example", i), "JWT100234", fmt.Sprintf("203.0.113.%d", i+1)).StatusCode
	}
	if status != 429 {
		t.Fatalf("6th wrong email for one order number from 6 addresses: %d, want 429", status)
	}
}

// TestStrangersDoNotLockTheOwnerOut: guesses against Marie's email from many
// addresses lock her email out for strangers, but not her own browser, which
// signed in before and carries a device cookie; and that cookie's own bucket
// still limits guesses made with it.
func TestStrangersDoNotLockTheOwnerOut(t *testing.T) {
	p := behindProxy(t)
	marie := p.client(t)
	if res := loginVia(t, marie, "marie@acme.example", "JWT100234", "192.0.2.10"); res.StatusCode != 303 {
		t.Fatalf("Marie's first login: %d", res.StatusCode)
	}
	if marie.cookies["portal_device"] == "" {
		t.Fatal("no device cookie after a right login")
	}
	marie.get("/licenses")
	if res := marie.post("/logout", nil); res.StatusCode != 303 || marie.cookies["portal_device"] == "" {
		t.Fatalf("logout: %d, device cookie kept: %v", res.StatusCode, marie.cookies["portal_device"] != "")
	}
	for i := range 6 {
		loginVia(t, p.client(t), "marie@acme.example", fmt.Sprintf("JWT40000%d", i), fmt.Sprintf("203.0.113.%d", i+1))
	}
	if got := loginVia(t, p.client(t), "marie@acme.example", "JWT100234", "203.0.113.99").StatusCode; got != 429 {
		t.Fatalf("a stranger's browser after the guesses: %d, want 429", got)
	}
	if got := loginVia(t, marie, "marie@acme.example", "JWT100234", "192.0.2.10").StatusCode; got != 303 {
		t.Fatalf("Marie's own browser after strangers' guesses: %d, want 303", got)
	}
	marie.get("/licenses")
	marie.post("/logout", nil)
	// A forged or another email's device cookie proves nothing.
	forged := p.client(t)
	forged.cookies["portal_device"] = marie.cookies["portal_device"] + "x"
	if got := loginVia(t, forged, "marie@acme.example", "JWT100234", "192.0.2.11").StatusCode; got != 429 {
		t.Errorf("a forged device cookie: %d, want 429", got)
	}
	// The device's own bucket: wrong guesses with Marie's cookie run out too.
	status := 0
	for i := range 11 {
		status = loginVia(t, marie, "marie@acme.example", fmt.Sprintf("JWT41000%d", i), fmt.Sprintf("192.0.2.%d", 20+i)).StatusCode
	}
	if status != 429 {
		t.Errorf("11 wrong guesses with the device cookie: %d, want 429", status)
	}
}

func TestNothingIsSoldWithoutPaymentsSetUp(t *testing.T) {
	p := newTestPortal(t, func(c *handlers.Config) { c.Payments = payments.Off{} })
	c := p.signedIn(t)
	for _, path := range []string{"/licenses/JWT100234-1/upgrade", "/licenses/JWT100234-2/renew"} {
		page := c.get(path)
		if page.StatusCode != 200 || strings.Contains(page.body, `data-testid="buy"`) || !strings.Contains(page.body, "Payments are not set up") {
			t.Errorf("%s: %d, offers Buy or does not say payments are not set up", path, page.StatusCode)
		}
	}
	for _, buy := range []struct{ path, add string }{{"/licenses/JWT100234-1/upgrade", "1000"}, {"/licenses/JWT100234-2/renew", ""}} {
		if res := c.post(buy.path, url.Values{"add": {buy.add}}); res.StatusCode != 409 || !strings.Contains(res.body, "Payments are not set up") {
			t.Errorf("POST %s: %d", buy.path, res.StatusCode)
		}
	}
	if n := len(purchasesOf(t, p, "marie@acme.example")); n != 0 {
		t.Errorf("%d purchases recorded", n)
	}
	if res := c.get("/demo-pay/pur_x"); res.StatusCode != 404 {
		t.Errorf("the demo payment page answers %d without --demo", res.StatusCode)
	}
	if l, _, _ := p.store.License(context.Background(), "JWT100234-1"); l.Users != 5 {
		t.Errorf("users %d", l.Users)
	}
}

func purchasesOf(t *testing.T, p *testPortal, email string) []domain.Purchase {
	t.Helper()
	ps, err := p.store.PurchasesByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestLicenseFileOnlyForALicenseOnAComputer(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	// JWT100234-1 is on no computer: no license file, but Activate offline.
	if res := c.get("/licenses/JWT100234-1/license.lic"); res.StatusCode != 409 || strings.Contains(res.body, "signature") {
		t.Fatalf("license.lic of an unbound license: %d", res.StatusCode)
	}
	details := c.get("/licenses/JWT100234-1")
	if strings.Contains(details.body, "license.lic") || !strings.Contains(details.body, "activate-offline") {
		t.Error("the details of an unbound license offer a license file, or no Activate offline")
	}
	if row := c.get("/licenses"); !strings.Contains(row.body, `href="/licenses/JWT100234-1/activate-offline"`) {
		t.Error("the row of an unbound license does not offer Activate offline")
	}
	// The support file needs no computer.
	if res := c.get("/licenses/JWT100234-1/support.lic"); res.StatusCode != 200 {
		t.Errorf("support.lic: %d", res.StatusCode)
	}
}

func TestActivateOffline(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.get("/licenses/JWT100234-1/activate-offline")
	for _, bad := range []string{"", "   ", strings.Repeat("S", 129)} {
		res := c.post("/licenses/JWT100234-1/activate-offline", url.Values{"serial": {bad}})
		if res.StatusCode != 400 || !strings.Contains(res.body, "serial number") {
			t.Errorf("serial %q: %d", bad, res.StatusCode)
		}
	}
	res := c.post("/licenses/JWT100234-1/activate-offline", url.Values{"serial": {" PC-OFFLINE-7 "}})
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "JWT100234-1-license.lic") {
		t.Fatalf("activate offline: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	doc := p.verified(t, decodeJSON(t, res.body))
	if doc.Serial != "PC-OFFLINE-7" || len(doc.Licenses) != 1 || doc.Licenses[0].ID != "JWT100234-1" {
		t.Errorf("file for %q with %+v", doc.Serial, doc.Licenses)
	}
	l, _, _ := p.store.License(context.Background(), "JWT100234-1")
	h, _ := p.store.LicenseHistory(context.Background(), "JWT100234-1")
	if l.Serial != "PC-OFFLINE-7" || len(h) != 1 || h[0].Kind != domain.ChangeActivation || h[0].Actor != domain.ActorCustomer {
		t.Errorf("after: serial %q, history %+v", l.Serial, h)
	}
	// Now the license file exists, for that computer; another computer needs a rehost.
	if res := c.get("/licenses/JWT100234-1/license.lic"); res.StatusCode != 200 {
		t.Errorf("license.lic once bound: %d", res.StatusCode)
	}
	if res := c.post("/licenses/JWT100234-1/activate-offline", url.Values{"serial": {"PC-OTHER"}}); res.StatusCode != 409 || !strings.Contains(res.body, "rehost") {
		t.Errorf("another computer: %d", res.StatusCode)
	}
	// Another customer's license: not found.
	if res := c.post("/licenses/JWT100412-1/activate-offline", url.Values{"serial": {"PC-1"}}); res.StatusCode != 404 {
		t.Errorf("another email's license: %d", res.StatusCode)
	}
}

func decodeJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, body)
	}
	return out
}
