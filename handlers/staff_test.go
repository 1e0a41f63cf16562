package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// TestStaffRoles: every staff and admin route, for every kind of visitor.
func TestStaffRoles(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	visitors := map[string]*client{
		"anonymous": p.client(t),
		"customer":  p.signedIn(t),
		"support":   p.staff(t, "sam@vendor.example"),
		"admin":     p.staff(t, "ada@vendor.example"),
	}
	routes := []struct {
		method, path string
		// status per visitor: anonymous, customer, support, admin
		want [4]int
	}{
		{"GET", "/staff/orders", [4]int{303, 303, 200, 200}},
		{"GET", "/staff/orders?q=marie", [4]int{303, 303, 200, 200}},
		{"GET", "/staff/orders/search?q=JWT", [4]int{303, 303, 200, 200}},
		{"GET", "/staff/orders/JWT100234", [4]int{303, 303, 200, 200}},
		{"GET", "/staff/orders/JWT999999", [4]int{303, 303, 404, 404}},
		{"GET", "/admin", [4]int{303, 303, 403, 303}},
		{"GET", "/admin/products", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/products", [4]int{303, 303, 403, 400}},
		{"GET", "/admin/staff", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/staff", [4]int{303, 303, 403, 400}},
		{"POST", "/admin/staff/disable", [4]int{303, 303, 403, 404}},
		{"GET", "/admin/seller", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/seller", [4]int{303, 303, 403, 422}},
		{"GET", "/admin/data", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/import", [4]int{303, 303, 403, 400}},
		{"POST", "/admin/export", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/backup", [4]int{303, 303, 403, 200}},
		// Staff sessions open no customer page: those are the customer's own.
		{"GET", "/licenses", [4]int{303, 200, 303, 303}},
	}
	for i, who := range []string{"anonymous", "customer", "support", "admin"} {
		c := visitors[who]
		for _, r := range routes {
			var res response
			if r.method == "POST" {
				c.get("/staff/login")
				if who == "customer" {
					c.get("/licenses")
				}
				res = c.post(r.path, url.Values{})
			} else {
				res = c.get(r.path)
			}
			if res.StatusCode != r.want[i] {
				t.Errorf("%s %s %s: %d, want %d", who, r.method, r.path, res.StatusCode, r.want[i])
			}
			if res.StatusCode == 403 && r.method == "GET" && (!strings.Contains(res.body, "Not allowed") || !strings.Contains(res.body, "Only administrators")) {
				t.Errorf("%s %s: the 403 page does not say why", who, r.path)
			}
			if res.StatusCode == 403 && r.method == "GET" && (strings.Contains(res.body, `id="contact"`) || !strings.Contains(res.body, "Find orders")) {
				t.Errorf("%s %s: the 403 page is not a staff page (staff navigation, no customer footer)", who, r.path)
			}
			if res.StatusCode == 303 && r.want[i] == 303 && r.path != "/admin" && r.path != "/licenses" {
				if loc := res.Header.Get("Location"); loc != "/staff/login" {
					t.Errorf("%s %s: redirected to %s", who, r.path, loc)
				}
			}
		}
	}
}

func TestStaffLogin(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	c := p.client(t)
	for _, tc := range []struct{ email, pw string }{
		{"sam@vendor.example", "wrong password!!"},
		{"nobody@vendor.example", staffPassword},
		{"marie@acme.example", "JWT100234"},
	} {
		res := c.staffLogin(tc.email, tc.pw)
		if res.StatusCode != 401 || !strings.Contains(res.body, "Wrong email or password.") {
			t.Errorf("%s: %d", tc.email, res.StatusCode)
		}
	}
	// Wrong passwords are rate limited, with their own buckets.
	for range 4 {
		c.staffLogin("sam@vendor.example", "wrong password!!")
	}
	res := c.staffLogin("sam@vendor.example", staffPassword)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("after 6 wrong passwords: %d", res.StatusCode)
	}
	if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("customers are locked out by staff failures: %d", res.StatusCode)
	}
	p.clock.Advance(time.Minute)
	if res := c.staffLogin("sam@vendor.example", staffPassword); res.StatusCode != 303 {
		t.Errorf("after a minute: %d", res.StatusCode)
	}
	if audit := must(p.store.Audit(context.Background(), 1)); len(audit) != 1 || audit[0].Action != "staff login" || audit[0].Staff != "sam@vendor.example" {
		t.Errorf("the login is not in the audit log: %+v", audit)
	}
	cookie := c.cookies["portal_staff"]
	if cookie == "" || c.cookies["portal_session"] != "" {
		t.Error("staff login did not set its own cookie")
	}
	c.get("/staff/orders")
	if res := c.post("/staff/logout", nil); res.StatusCode != 303 {
		t.Errorf("logout: %d", res.StatusCode)
	}
	other := p.client(t)
	other.cookies["portal_staff"] = cookie
	if res := other.get("/staff/orders"); res.StatusCode != 303 {
		t.Errorf("the staff session survived logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestStaffSearchAndOrder(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	// A flagged payment on Marie's license.
	pur := p.lockUpgrade(t)
	p.store.FulfilPurchase(context.Background(), domain.Payment{EventID: "evt_x", PurchaseID: pur.ID, SessionID: pur.CheckoutID, Amount: 1, Currency: "EUR", At: fixedNow}, domain.Numbering{OrderPrefix: "JWT"})
	p.api(t, "POST", "/api/v1/activate", keyBody(p.activationKey(t, "JWT100234"), "PC-42"))
	c := p.staff(t, "sam@vendor.example")

	key := p.activationKey(t, "JWT100412")
	for q, want := range map[string]string{
		"john@north":    "JWT100412",
		"jwt 100412":    "JWT100412",
		"NW-TS":         "JWT100412",
		key[:9]:         "JWT100412",
		"marie@acme.ex": "JWT100234",
	} {
		res := c.do("GET", "/staff/orders/search?q="+url.QueryEscape(q), nil, map[string]string{"HX-Request": "true"})
		if !strings.Contains(res.body, `href="/staff/orders/`+want+`"`) || strings.Contains(res.body, "<html") {
			t.Errorf("search %q: %.300s", q, res.body)
		}
	}
	res := c.get("/staff/orders/JWT100234")
	for _, want := range []string{
		`data-testid="order-details"`, "Remote Work Standard, 5 workstations", // the customer's order partial
		`data-testid="license-details"`, ">Activation<", "serial (none) → PC-42", // each license's history
		`data-testid="flagged"`, "paid EUR 0.01", // the flagged payment
		p.activationKey(t, "JWT100234"),
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("staff order page lacks %q", want)
		}
	}
	// Read-only: none of the customer's forms.
	for _, form := range []string{"/rehost", "/refresh", "/reissue"} {
		if strings.Contains(res.body, form) {
			t.Errorf("staff order page has a %s form", form)
		}
	}
}
