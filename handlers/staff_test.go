package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"portal/domain"
	"portal/storage"
)

const staffPassword = "correct horse battery"

// addStaff stores an account; the hash is made at bcrypt's lowest cost so that
// tests stay fast (a check costs what its hash says).
func (p *testPortal) addStaff(t testing.TB, email string, role domain.Role) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(staffPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	err = p.store.SaveStaffUser(context.Background(), domain.StaffUser{Email: email, Role: role, PasswordHash: hash, CreatedAt: fixedNow},
		domain.AuditEntry{At: fixedNow, Staff: "test", Action: "staff account added", Detail: email})
	if err != nil {
		t.Fatal(err)
	}
}

func (c *client) staffLogin(email, password string) response {
	c.t.Helper()
	c.get("/staff/login")
	return c.post("/staff/login", url.Values{"email": {email}, "password": {password}})
}

func (p *testPortal) staff(t testing.TB, email string) *client {
	t.Helper()
	c := p.client(t)
	if res := c.staffLogin(email, staffPassword); res.StatusCode != 303 {
		t.Fatalf("staff login %s: %d", email, res.StatusCode)
	}
	return c
}

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
		{"GET", "/admin/data", [4]int{303, 303, 403, 200}},
		{"POST", "/admin/import", [4]int{303, 303, 403, 400}},
		{"GET", "/admin/export", [4]int{303, 303, 403, 200}},
		{"GET", "/admin/backup", [4]int{303, 303, 403, 200}},
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
	p.store.FulfilPurchase(context.Background(), domain.Payment{EventID: "evt_x", PurchaseID: pur.ID, Amount: 1, Currency: "EUR", At: fixedNow}, "JWT")
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
	// Change the support price of Remote Work: the quote follows.
	res := c.post("/admin/products", url.Values{"software": {"Remote Work"}, "edition": {"Standard"}, "currency": {"EUR"},
		"seat_price": {"10"}, "support_price_per_seat_year": {"120.00"}, "upgradable": {"1"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "EUR 120.00") {
		t.Fatalf("save: %d", res.StatusCode)
	}
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

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
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

func (c *client) upload(path, field, name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(content)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for n, v := range c.cookies {
		req.Header.Add("Cookie", n+"="+v)
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}

func TestAdminImportExportBackup(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	c := p.staff(t, "ada@vendor.example")
	c.get("/admin/data")
	file := `{"kind":"order","reference":"JWT200001","date":"2026-05-01T10:00:00Z","name":"Globex","country":"DE","city":"Berlin","contact_name":"Hank","email":"hank@globex.example","currency":"EUR","items":[{"description":"Remote Work Standard, 2 workstations","quantity":1,"unit_amount":18000}],"licenses":[{"software":"Remote Work","edition":"Standard","users":2,"serial":"","support_start":"2026-05-01","support_end":"2027-05-01"}]}
not json
`
	res := c.upload("/admin/import", "file", "globex.jsonl", []byte(file))
	if res.StatusCode != 200 || !strings.Contains(res.body, "imported: 1") || !strings.Contains(res.body, "line 2: not a JSON object") {
		t.Fatalf("import upload: %d %.500s", res.StatusCode, res.body)
	}
	if _, found, _ := p.store.Order(ctx, "JWT200001"); !found {
		t.Error("the uploaded order is not there")
	}

	export := c.get("/admin/export")
	if export.StatusCode != 200 || !strings.Contains(export.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(export.body, `"reference":"JWT200001"`) || strings.Count(export.body, `"kind":"order"`) != 4 {
		t.Fatalf("export: %d %.300s", export.StatusCode, export.body)
	}

	// A backup downloaded while the portal serves restores into a portal that
	// serves the same customers.
	backup := c.get("/admin/backup")
	if backup.StatusCode != 200 || len(backup.body) < 100 {
		t.Fatalf("backup: %d, %d bytes", backup.StatusCode, len(backup.body))
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if err := storage.Restore(dir, strings.NewReader(backup.body), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	restored, err := storage.Open(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, email := range []string{"marie@acme.example", "hank@globex.example"} {
		if a, b := must(p.store.LicensesByEmail(ctx, email)), must(restored.LicensesByEmail(ctx, email)); len(a) == 0 || len(a) != len(b) {
			t.Errorf("%s: %d licenses before, %d after restore", email, len(a), len(b))
		}
	}
	var actions []string
	for _, e := range must(p.store.Audit(ctx, 10)) {
		actions = append(actions, e.Action)
	}
	if j := strings.Join(actions, ","); !strings.Contains(j, "import") || !strings.Contains(j, "export") || !strings.Contains(j, "backup") {
		t.Errorf("audit: %s", j)
	}
}
