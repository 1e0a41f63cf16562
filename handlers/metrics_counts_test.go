package handlers_test

import (
	"context"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// businessSeries are the counters of what customers and staff did, apart
// from the requests and the runtime.
func businessSeries(all map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for name, v := range all {
		for _, prefix := range []string{"portal_activations_total", "portal_refreshes_total", "portal_rehosts_total",
			"portal_key_reissues_total", "portal_purchases_total", "portal_logins_refused_total"} {
			if strings.HasPrefix(name, prefix) {
				out[name] = v
			}
		}
	}
	return out
}

// TestMetricsCountEachOperationOnce: each operation moves its own counter by
// exactly one and no other.
func TestMetricsCountEachOperationOnce(t *testing.T) {
	p := newMetricsPortal(t)
	p.addStaff(t, "ada@vendor.example", "admin")
	marie := p.signedIn(t)
	key := p.activationKey(t, "JWT100234")
	var purchase string
	steps := []struct {
		name   string
		do     func(t *testing.T) int
		want   int
		series string
	}{
		{"a purchase fulfilled", func(t *testing.T) int {
			purchase = buyUpgrade(t, marie, upgradeLicense, url.Values{"add": {"3"}})
			marie.get("/demo-pay/" + purchase)
			return marie.post("/demo-pay/"+purchase, nil).StatusCode
		}, 303, `portal_purchases_total{outcome="fulfilled"}`},
		{"the same payment again", func(t *testing.T) int {
			marie.get("/licenses")
			return marie.post("/demo-pay/"+purchase, nil).StatusCode
		}, 303, `portal_purchases_total{outcome="seen"}`},
		{"an activation", func(t *testing.T) int {
			status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-METRICS-1"))
			return status
		}, 200, `portal_activations_total{via="api"}`},
		{"a refresh from the software", func(t *testing.T) int {
			status, _, _ := p.api(t, "POST", "/api/v1/refresh", keyBody(key, "PC-METRICS-1"))
			return status
		}, 200, `portal_refreshes_total{via="api"}`},
		{"a refresh in the portal", func(t *testing.T) int {
			marie.get("/licenses")
			return marie.post("/licenses/"+upgradeLicense+"/refresh", nil).StatusCode
		}, 200, `portal_refreshes_total{via="portal"}`},
		{"a rehost", func(t *testing.T) int {
			marie.get("/licenses/" + upgradeLicense)
			return marie.post("/licenses/"+upgradeLicense+"/rehost", nil).StatusCode
		}, 200, `portal_rehosts_total`},
		{"a key reissue", func(t *testing.T) int {
			marie.get("/orders/JWT100234/activation-key")
			return marie.post("/orders/JWT100234/activation-key/reissue", nil).StatusCode
		}, 200, `portal_key_reissues_total`},
		{"a customer login refused", func(t *testing.T) int {
			c := p.client(t)
			for range 5 {
				c.login("marie@acme.example", "JWT999999")
			}
			return c.login("marie@acme.example", "JWT999999").StatusCode
		}, 429, `portal_logins_refused_total{limit="login-email",who="customer"}`},
		{"a staff login refused", func(t *testing.T) int {
			c := p.client(t)
			for range 5 {
				c.staffLogin("ada@vendor.example", "wrong password")
			}
			return c.staffLogin("ada@vendor.example", "wrong password").StatusCode
		}, 429, `portal_logins_refused_total{limit="staff-email",who="staff"}`},
	}
	before := businessSeries(p.scrape(t))
	for _, step := range steps {
		if status := step.do(t); status != step.want {
			t.Fatalf("%s: status %d, want %d", step.name, status, step.want)
		}
		after := businessSeries(p.scrape(t))
		for _, name := range slices.Sorted(maps.Keys(after)) {
			want := before[name]
			if name == step.series {
				want++
			}
			if after[name] != want {
				t.Errorf("after %s: %s = %v, want %v", step.name, name, after[name], want)
			}
		}
		if _, ok := after[step.series]; !ok {
			t.Errorf("after %s: no series %s", step.name, step.series)
		}
		before = after
	}
}

// TestMetricsHoldNoCustomerData: after a login, an activation with a key and
// a serial, a purchase, refused logins and a guessed URL, no email, key,
// serial, order number, license or purchase id or client address is anywhere
// in a scrape, and every route label is a pattern the app registered.
func TestMetricsHoldNoCustomerData(t *testing.T) {
	p := newMetricsPortal(t)
	marie := p.signedIn(t)
	key := p.activationKey(t, "JWT100391")
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "SERIAL-SECRET-77")); status != 200 {
		t.Fatalf("activation: %d", status)
	}
	purchase := buyUpgrade(t, marie, upgradeLicense, url.Values{"add": {"3"}})
	marie.get("/demo-pay/" + purchase)
	marie.post("/demo-pay/"+purchase, nil)
	guesser := p.client(t)
	for range 6 {
		guesser.login("victim@guessed.example", "JWT100412")
	}
	marie.get("/licenses/JWT100391-1")
	marie.get("/orders/JWT100391/activation-key")
	p.client(t).get("/licenses-of/JWT100234/SERIAL-SECRET-77")

	res := p.client(t).do("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + metricsToken})
	o, _, _ := p.store.Order(context.Background(), "JWT100391")
	for _, secret := range []string{"marie@acme.example", "victim@guessed.example", "acme", "JWT100234", "JWT100391", "JWT100412", "JWT100413",
		key, o.ActivationKey, "SERIAL-SECRET-77", "JWT100391-1", purchase, "0.0.0.0", metricsToken} {
		if strings.Contains(strings.ToLower(res.body), strings.ToLower(secret)) {
			t.Errorf("the scrape holds %q", secret)
		}
	}
	patterns := map[string]bool{"unmatched": true}
	for _, r := range p.app.GetRoutes(true) {
		patterns[r.Path] = true
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`route="([^"]*)"`).FindAllStringSubmatch(res.body, -1) {
		seen[m[1]] = true
		if !patterns[m[1]] {
			t.Errorf("route label %q is no registered pattern", m[1])
		}
	}
	for _, want := range []string{"/licenses/:id", "/demo-pay/:id", "/orders/:ref/activation-key", "/api/v1/activate", "/login", "unmatched"} {
		if !seen[want] {
			t.Errorf("no requests counted under the route %q (seen %v)", want, slices.Sorted(maps.Keys(seen)))
		}
	}
	if !strings.Contains(res.body, `portal_logins_refused_total{limit="login-email",who="customer"} 1`) {
		t.Error("the refused login is not counted by its limit")
	}
}
