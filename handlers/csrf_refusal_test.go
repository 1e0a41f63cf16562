package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portal/domain"
)

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
