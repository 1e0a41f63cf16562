package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/domain"
)

// csrfRoute says how to use one state-changing route in the CSRF test: as whom,
// with which form (one that would act if the route let it through), and how to
// tell that a request with a valid token did act.
type csrfRoute struct {
	staff bool // an admin's staff session; otherwise the customer's (Marie's)
	form  func(f *csrfFixture) url.Values
	// file, when set, is sent as the multipart file field "file".
	file []byte
	// acted tells, after a request with the right token, that the route did its work.
	acted func(t *testing.T, f *csrfFixture, res response) bool
}

// csrfFixture is one fresh portal with a signed-in customer, a signed-in admin, a
// support account and a pending purchase.
type csrfFixture struct {
	p        *testPortal
	customer *client
	admin    *client
	purchase domain.Purchase
}

const csrfImportLine = `{"kind":"order","reference":"JWT100900","date":"2026-03-14T10:22:00Z","name":"Csrf Ltd","country":"FR","city":"Lyon","contact_name":"Eve","email":"eve@csrf.example","currency":"EUR","items":[{"description":"Remote Work Standard, 1 workstation","quantity":1,"unit_amount":9000}],"licenses":[{"software":"Remote Work","edition":"Standard","users":1,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]}`

// csrfRoutes knows every POST route of the portal today. A route added later is
// still tested (it must answer 403 without a token), with parameters filled as
// fillParams does.
var csrfRoutes = map[string]csrfRoute{
	"/login": {
		form: func(*csrfFixture) url.Values {
			return url.Values{"email": {"marie@acme.example"}, "order": {"JWT100234"}}
		},
		acted: func(t *testing.T, f *csrfFixture, res response) bool { return setsCookie(res, "portal_session") },
	},
	"/logout": {
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return f.customer.get("/licenses").StatusCode == 303
		},
	},
	"/orders/:ref/activation-key/reissue": {
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return res.StatusCode == 200 && strings.Contains(res.body, "The old key no longer works")
		},
	},
	"/licenses/:id/refresh": {
		form: func(*csrfFixture) url.Values { return url.Values{"seen": {"1"}} },
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return strings.Contains(res.body, "Synchronised")
		},
	},
	"/licenses/:id/rehost": {
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			l, _, _ := f.p.store.License(context.Background(), "JWT100234-2")
			return l.Serial == ""
		},
	},
	"/licenses/:id/upgrade": {
		form:  func(*csrfFixture) url.Values { return url.Values{"add": {"1"}} },
		acted: func(t *testing.T, f *csrfFixture, res response) bool { return len(mariePurchases(f)) == 2 },
	},
	"/licenses/:id/renew": {
		acted: func(t *testing.T, f *csrfFixture, res response) bool { return len(mariePurchases(f)) == 2 },
	},
	"/demo-pay/:id": {
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			l, _, _ := f.p.store.License(context.Background(), upgradeLicense)
			return l.Users == 8
		},
	},
	"/staff/login": {
		staff: true,
		form: func(*csrfFixture) url.Values {
			return url.Values{"email": {"ada@vendor.example"}, "password": {staffPassword}}
		},
		acted: func(t *testing.T, f *csrfFixture, res response) bool { return setsCookie(res, "portal_staff") },
	},
	"/staff/logout": {
		staff: true,
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return f.admin.get("/staff/orders").StatusCode == 303
		},
	},
	"/admin/products": {
		staff: true,
		form: func(*csrfFixture) url.Values {
			return url.Values{"software": {"Remote Work"}, "edition": {"Standard"}, "currency": {"EUR"},
				"seat_price": {"0"}, "support_price_per_seat_year": {"1.00"}, "upgradable": {"1"}}
		},
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			p, _, _ := f.p.store.Product(context.Background(), "Remote Work", "Standard")
			return p.SupportPricePerSeatYear == 100
		},
	},
	"/admin/staff": {
		staff: true,
		form: func(*csrfFixture) url.Values {
			return url.Values{"email": {"mallory@vendor.example"}, "role": {"admin"}, "password": {"a long enough password"}}
		},
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			_, found, _ := f.p.store.StaffUser(context.Background(), "mallory@vendor.example")
			return found
		},
	},
	"/admin/staff/disable": {
		staff: true,
		form:  func(*csrfFixture) url.Values { return url.Values{"email": {"sam@vendor.example"}, "disabled": {"1"}} },
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			u, _, _ := f.p.store.StaffUser(context.Background(), "sam@vendor.example")
			return u.Disabled
		},
	},
	"/admin/import": {
		staff: true,
		file:  []byte(csrfImportLine + "\n"),
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			_, found, _ := f.p.store.Order(context.Background(), "JWT100900")
			return found
		},
	},
}

func mariePurchases(f *csrfFixture) []domain.Purchase {
	p, _ := f.p.store.PurchasesByEmail(context.Background(), "marie@acme.example")
	return p
}

func setsCookie(res response, name string) bool {
	for _, c := range res.Cookies() {
		if c.Name == name && c.Value != "" && c.MaxAge >= 0 {
			return true
		}
	}
	return false
}

// exemptFromCSRF are the POST routes authenticated otherwise: a Stripe signature,
// an activation key. They carry no session, so no CSRF token either.
func exemptFromCSRF(path string) bool {
	return path == "/webhooks/stripe" || strings.HasPrefix(path, "/api/")
}

var routeParam = regexp.MustCompile(`:[a-z]+`)

// fillParams puts ids of the fixture into a route's parameters: a license that is
// bound to a computer for rehost and renew (expired), the upgradable one otherwise.
func fillParams(t *testing.T, f *csrfFixture, route string) string {
	t.Helper()
	return routeParam.ReplaceAllStringFunc(route, func(param string) string {
		switch {
		case param == ":ref":
			return "JWT100234"
		case param == ":id" && (strings.HasSuffix(route, "/rehost") || strings.HasSuffix(route, "/renew")):
			return "JWT100234-2"
		case param == ":id" && strings.HasPrefix(route, "/licenses/"):
			return upgradeLicense
		case param == ":id" && (strings.HasPrefix(route, "/demo-pay/") || strings.HasPrefix(route, "/purchases/")):
			return f.purchase.ID
		}
		t.Fatalf("route %s: no fixture value for %s; teach fillParams and csrfRoutes about this route", route, param)
		return ""
	})
}

// state is everything a state-changing form could change, in a comparable form:
// the catalog, orders, licenses (serials, versions) and activation keys, each
// license's history, purchases, staff accounts and the audit log.
func (p *testPortal) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var b bytes.Buffer
	if _, err := p.store.Export(ctx, &b); err != nil {
		t.Fatal(err)
	}
	add := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(v)
		b.Write(j)
		b.WriteByte('\n')
	}
	for _, email := range []string{"marie@acme.example", "john@northwind.example", "eve@csrf.example"} {
		add(p.store.PurchasesByEmail(ctx, email))
		licenses, err := p.store.LicensesByEmail(ctx, email)
		add(licenses, err)
		for _, l := range licenses {
			add(p.store.LicenseHistory(ctx, l.ID))
		}
	}
	add(p.store.FlaggedPurchases(ctx))
	add(p.store.StaffUsers(ctx))
	add(p.store.Audit(ctx, 1000))
	return b.String()
}

// postForm sends form to path as c, as multipart when file is set, with the extra
// header; the client's cookies go along and are updated from the answer.
func (c *client) postForm(path string, form url.Values, file []byte, header map[string]string) response {
	c.t.Helper()
	if file == nil {
		return c.do("POST", path, form, header)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile("file", "orders.jsonl")
	fw.Write(file)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	res, err := c.p.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("POST %s: %v", path, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return response{res, string(b)}
}

// TestEveryPostRouteRefusesAMissingOrWrongCSRFToken walks every POST route the app
// has (the webhook and the licensing API aside), signed in as whoever may use it,
// with a form that would act: without the page's token, or with a wrong one, the
// answer is 403 and nothing at all changes. With the right token the same request
// acts, so the refusals come from the token alone. A POST route added without the
// CSRF middleware fails here.
func TestEveryPostRouteRefusesAMissingOrWrongCSRFToken(t *testing.T) {
	var routes []string
	seen := map[string]bool{}
	for _, r := range newTestPortal(t).app.GetRoutes(true) {
		if r.Method != http.MethodPost || seen[r.Path] || exemptFromCSRF(r.Path) {
			continue
		}
		seen[r.Path] = true
		routes = append(routes, r.Path)
	}
	for path := range csrfRoutes {
		if !seen[path] {
			t.Errorf("the app has no POST %s any more: update csrfRoutes", path)
		}
	}

	for _, route := range routes {
		t.Run(route, func(t *testing.T) {
			spec, known := csrfRoutes[route]
			if !known {
				spec.staff = strings.HasPrefix(route, "/staff/") || strings.HasPrefix(route, "/admin")
			}
			p := newTestPortal(t)
			p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
			p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
			f := &csrfFixture{p: p, customer: p.signedIn(t), admin: p.staff(t, "ada@vendor.example"), purchase: p.lockUpgrade(t)}
			path := fillParams(t, f, route)
			c, home := f.customer, "/licenses"
			if spec.staff {
				c, home = f.admin, "/staff/orders"
			}
			form := func() url.Values {
				if spec.form == nil {
					return url.Values{}
				}
				return spec.form(f)
			}
			// Another visitor's token: valid on the portal, but not this browser's.
			other := p.client(t)
			other.get("/login")
			const madeUp = "7f3c2a9e-1b4d-4e8f-9a6b-0c5d3e2f1a7b"

			keyBefore := p.activationKey(t, "JWT100234")
			before := p.state(t)
			for _, attempt := range []struct {
				name       string
				formToken  string
				headerTok  string
				csrfCookie string
			}{
				{name: "no token"},
				{name: "a wrong token in the form", formToken: madeUp},
				{name: "a wrong token in the X-CSRF-Token header", headerTok: madeUp},
				{name: "another visitor's token", formToken: other.csrf},
				{name: "a made-up token in both the form and the cookie", formToken: madeUp, csrfCookie: madeUp},
			} {
				c.get(home) // a fresh page, as a browser would have
				if c.csrf == "" || c.cookies["portal_csrf"] == "" {
					t.Fatalf("%s gave no CSRF token", home)
				}
				if attempt.csrfCookie != "" {
					c.cookies["portal_csrf"] = attempt.csrfCookie
				}
				sent := form()
				if attempt.formToken != "" {
					sent.Set("_csrf", attempt.formToken)
				}
				var header map[string]string
				if attempt.headerTok != "" {
					header = map[string]string{"X-CSRF-Token": attempt.headerTok}
				}
				res := c.postForm(path, sent, spec.file, header)
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: POST %s answered %d, want 403", attempt.name, path, res.StatusCode)
				}
				if setsCookie(res, "portal_session") || setsCookie(res, "portal_staff") {
					t.Errorf("%s: the refused POST %s opened a session", attempt.name, path)
				}
				if after := p.state(t); after != before {
					t.Errorf("%s: the refused POST %s changed the stored data:\n%s", attempt.name, path, lineDiff(before, after))
				}
				if res := c.get(home); res.StatusCode != 200 {
					t.Errorf("%s: after the refused POST %s the visitor is no longer signed in (%d)", attempt.name, path, res.StatusCode)
				}
			}
			// Nothing the stored data shows changed, by name, for the routes that would.
			if key := p.activationKey(t, "JWT100234"); key != keyBefore {
				t.Errorf("the activation key changed: %s → %s", keyBefore, key)
			}
			if l, _, _ := p.store.License(context.Background(), "JWT100234-2"); l.Serial != "ACME-SRV-01" {
				t.Errorf("the license was freed from its computer: serial %q", l.Serial)
			}
			if n := len(mariePurchases(f)); n != 1 {
				t.Errorf("%d purchases, want only the fixture's pending one", n)
			}
			if prod, _, _ := p.store.Product(context.Background(), "Remote Work", "Standard"); prod.SupportPricePerSeatYear != 9000 {
				t.Errorf("the product was saved: %+v", prod)
			}

			// The same request with the page's token goes through.
			c.get(home)
			sent := form()
			sent.Set("_csrf", c.csrf)
			res := c.postForm(path, sent, spec.file, nil)
			if res.StatusCode == http.StatusForbidden {
				t.Fatalf("with the right token POST %s still answered 403: %.300s", path, res.body)
			}
			if spec.acted != nil && !spec.acted(t, f, res) {
				t.Errorf("with the right token POST %s (%d) did not do its work, so the refusals above prove nothing: %.300s", path, res.StatusCode, res.body)
			}
		})
	}
}

// lineDiff lists the lines that only one of a and b has.
func lineDiff(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var out strings.Builder
	for _, l := range strings.Split(a, "\n") {
		if !inb[l] {
			out.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ina[l] {
			out.WriteString("+ " + l + "\n")
		}
	}
	return out.String()
}
