package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestAdminCatalog(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	c := p.staff(t, "ada@vendor.example")
	c.get("/admin/products")
	bad := []url.Values{
		{"software": {""}, "edition": {"X"}, "currency": {"EUR"}, "seat_price": {"0"}, "support_price_per_seat_year": {"0"}},
		{"software": {"A"}, "edition": {"X"}, "currency": {"EURO"}, "seat_price": {"0"}, "support_price_per_seat_year": {"0"}},
		{"software": {"A"}, "edition": {"X"}, "currency": {"EUR"}, "seat_price": {"-1"}, "support_price_per_seat_year": {"0"}},
		{"software": {"A"}, "edition": {"X"}, "currency": {"EUR"}, "seat_price": {"1.234"}, "support_price_per_seat_year": {"0"}},
	}
	for _, form := range bad {
		if res := c.post("/admin/products", form); res.StatusCode != 400 {
			t.Errorf("bad product %v: %d", form, res.StatusCode)
		}
	}
	if n := len(must(p.store.Products(context.Background()))); n != 2 {
		t.Errorf("bad forms changed the catalog: %d products", n)
	}
	// A French admin types amounts with a decimal comma; one that could be
	// read two ways is refused in French, never guessed.
	c.cookies["lang"] = "fr"
	c.get("/admin/products")
	if res := c.post("/admin/products", url.Values{"software": {"Remote Work"}, "edition": {"Standard"}, "currency": {"EUR"},
		"seat_price": {"12,345"}, "support_price_per_seat_year": {"0"}}); res.StatusCode != 400 ||
		!strings.Contains(visibleText(res.body), "« 12,345 » n'est pas un montant tel que 90,00.") {
		t.Errorf("12,345 euros: %d %s", res.StatusCode, visibleText(res.body))
	}
	// Change the support price of Remote Work: the quote follows.
	res := c.post("/admin/products", url.Values{"software": {"Remote Work"}, "edition": {"Standard"}, "currency": {"EUR"},
		"seat_price": {"10,00"}, "support_price_per_seat_year": {"120,00"}, "upgradable": {"1"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "120,00\u00a0€") {
		t.Fatalf("save: %d %s", res.StatusCode, visibleText(res.body))
	}
	delete(c.cookies, "lang")
	customer := p.signedIn(t)
	q := customer.do("GET", "/licenses/JWT100234-1/upgrade/quote?add=1", nil, map[string]string{"HX-Request": "true"})
	if !strings.Contains(q.body, "EUR 45.18") { // 10.00 + 120 × 107 / 365 = 35.18
		t.Errorf("quote after the price change: %s", q.body)
	}
	// The Change link fills the form with the product as it stands.
	edit := c.get("/admin/products?software=Remote+Work&edition=Standard")
	if !strings.Contains(edit.body, `name="support_price_per_seat_year" value="120.00"`) || !strings.Contains(edit.body, `href="/admin/products?edition=Standard&amp;software=Remote+Work"`) {
		t.Errorf("edit form: %.200s", edit.body)
	}
	// Retire it: no more upgrades.
	c.get("/admin/products")
	c.post("/admin/products", url.Values{"software": {"Remote Work"}, "edition": {"Standard"}, "currency": {"EUR"},
		"seat_price": {"10"}, "support_price_per_seat_year": {"120"}, "upgradable": {"1"}, "retired": {"1"}})
	q = customer.do("GET", "/licenses/JWT100234-1/upgrade/quote?add=1", nil, map[string]string{"HX-Request": "true"})
	if q.StatusCode != 409 || !strings.Contains(q.body, "no longer sold") {
		t.Errorf("quote of a retired product: %d %s", q.StatusCode, q.body)
	}
	audit := must(p.store.Audit(context.Background(), 10))
	if len(audit) < 2 || audit[0].Staff != "ada@vendor.example" || !strings.Contains(audit[0].Detail, "retired=true") {
		t.Errorf("audit: %+v", audit)
	}
}

func TestAdminStaffAccounts(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	admin := p.staff(t, "ada@vendor.example")
	sam := p.staff(t, "sam@vendor.example")

	admin.get("/admin/staff")
	if res := admin.post("/admin/staff", url.Values{"email": {"new@vendor.example"}, "role": {"support"}, "password": {"short"}}); res.StatusCode != 400 {
		t.Errorf("short password: %d", res.StatusCode)
	}
	if res := admin.post("/admin/staff", url.Values{"email": {"new@vendor.example"}, "role": {"root"}, "password": {staffPassword}}); res.StatusCode != 400 {
		t.Errorf("unknown role: %d", res.StatusCode)
	}
	// Disable Sam: his session stops at once.
	if res := admin.post("/admin/staff/disable", url.Values{"email": {"sam@vendor.example"}, "disabled": {"1"}}); res.StatusCode != 200 {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := sam.get("/staff/orders"); res.StatusCode != 303 {
		t.Errorf("a disabled account still reads orders: %d", res.StatusCode)
	}
	if res := p.client(t).staffLogin("sam@vendor.example", staffPassword); res.StatusCode != 401 {
		t.Errorf("a disabled account logs in: %d", res.StatusCode)
	}
	// Reset his password and enable him again.
	admin.post("/admin/staff/disable", url.Values{"email": {"sam@vendor.example"}, "disabled": {"0"}})
	if res := admin.post("/admin/staff", url.Values{"email": {"sam@vendor.example"}, "role": {"support"}, "password": {"a brand new passphrase"}}); res.StatusCode != 200 {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if res := p.client(t).staffLogin("sam@vendor.example", "a brand new passphrase"); res.StatusCode != 303 {
		t.Errorf("login with the new password: %d", res.StatusCode)
	}
	if res := admin.post("/admin/staff/disable", url.Values{"email": {"ada@vendor.example"}, "disabled": {"1"}}); res.StatusCode != 409 {
		t.Errorf("an admin disabled herself: %d", res.StatusCode)
	}
	// The last admin cannot be demoted either.
	if res := admin.post("/admin/staff", url.Values{"email": {"ada@vendor.example"}, "role": {"support"}, "password": {staffPassword}}); res.StatusCode != 409 {
		t.Errorf("the last admin was demoted: %d", res.StatusCode)
	}
	// A password reset ends the sessions made with the old password.
	samOld := p.client(t)
	if res := samOld.staffLogin("sam@vendor.example", "a brand new passphrase"); res.StatusCode != 303 {
		t.Fatalf("sam's login: %d", res.StatusCode)
	}
	p.clock.Advance(time.Second)
	admin.get("/admin/staff")
	admin.post("/admin/staff", url.Values{"email": {"sam@vendor.example"}, "role": {"support"}, "password": {"yet another passphrase"}})
	if res := samOld.get("/staff/orders"); res.StatusCode != 303 {
		t.Errorf("a session from before the password reset still works: %d", res.StatusCode)
	}
	var actions []string
	for _, e := range must(p.store.Audit(context.Background(), 20)) {
		actions = append(actions, e.Staff+" "+e.Action)
	}
	joined := strings.Join(actions, "; ")
	for _, want := range []string{"ada@vendor.example staff account disabled", "ada@vendor.example staff account enabled", "ada@vendor.example staff password reset"} {
		if !strings.Contains(joined, want) {
			t.Errorf("audit lacks %q: %s", want, joined)
		}
	}
}
