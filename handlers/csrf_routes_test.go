package handlers_test

import (
	"context"
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
	"/licenses/:id/activate-offline": {
		form: func(*csrfFixture) url.Values { return url.Values{"serial": {"PC-CSRF"}} },
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			l, _, _ := f.p.store.License(context.Background(), upgradeLicense)
			return l.Serial == "PC-CSRF"
		},
	},
	"/admin/export": {
		staff: true,
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return res.StatusCode == 200 && strings.Contains(res.Header.Get("Content-Disposition"), "attachment")
		},
	},
	"/admin/backup": {
		staff: true,
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			return res.StatusCode == 200 && strings.Contains(res.Header.Get("Content-Disposition"), "attachment")
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
	"/admin/seller": {
		staff: true,
		form: func(*csrfFixture) url.Values {
			return url.Values{"name": {"Mallory Holdings"}, "address": {"1 Evil Road"}, "vat_id": {""}, "invoice_prefix": {"MAL-"}}
		},
		acted: func(t *testing.T, f *csrfFixture, res response) bool {
			s, saved, _ := f.p.store.Seller(context.Background())
			return saved && s.Name == "Mallory Holdings"
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

var routeParam = regexp.MustCompile(`:[a-z]+`)

// fillParams puts ids of the fixture into a route's parameters: a license that is
// bound to a computer for rehost and renew (expired), the upgradable one otherwise.
func fillParams(t *testing.T, f *csrfFixture, route string) string {
	t.Helper()
	return routeParam.ReplaceAllStringFunc(route, func(param string) string {
		switch {
		case param == ":ref":
			return "JWT100234"
		case param == ":token":
			return "a-token-that-names-no-link"
		case param == ":code":
			return "BBBB-BBBB"
		case param == ":id" && strings.HasPrefix(route, "/admin/webhooks/"):
			return "ep_none"
		case param == ":action":
			return "disable"
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
