package handlers_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

var demoPayPath = regexp.MustCompile(`^/demo-pay/(pur_[0-9a-f]{32})$`)

// buyUpgrade posts an upgrade and returns the purchase id from the redirect.
func buyUpgrade(t *testing.T, c *client, license string, form url.Values) string {
	t.Helper()
	c.get("/licenses/" + license + "/upgrade")
	res := c.post("/licenses/"+license+"/upgrade", form)
	m := demoPayPath.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != 303 || m == nil {
		t.Fatalf("buy: %d %q %.300s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	return m[1]
}

func TestUpgradeThroughDemoPayment(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t)
	c := p.signedIn(t)
	// The browser's idea of the price is never used.
	id := buyUpgrade(t, c, upgradeLicense, url.Values{"add": {"3"}, "amount": {"1"}, "total": {"1"}})
	pur, found, _ := p.store.Purchase(ctx, id)
	if !found || pur.Amount != 7915 || pur.Currency != "EUR" || pur.Status != domain.PurchasePending ||
		pur.UsersAtQuote != 5 || !pur.ExpiresAt.Equal(fixedNow.Add(24*time.Hour)) || pur.CheckoutID != "demo_"+id {
		t.Fatalf("locked purchase: %+v", pur)
	}

	page := c.get("/demo-pay/" + id)
	if page.StatusCode != 200 || !strings.Contains(page.body, "DEMO PAYMENT PAGE") || !strings.Contains(page.body, "EUR 79.15") {
		t.Fatalf("demo page: %d", page.StatusCode)
	}
	res := c.post("/demo-pay/"+id, nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/purchases/"+id+"/success" {
		t.Fatalf("demo pay: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	l, _, _ := p.store.License(ctx, upgradeLicense)
	if l.Users != 8 || l.Version != 2 {
		t.Fatalf("license after payment: %+v", l)
	}
	success := c.get("/purchases/" + id + "/success")
	if !strings.Contains(success.body, `data-status="fulfilled"`) || !strings.Contains(success.body, "8 workstations") {
		t.Errorf("success page: %.500s", success.body)
	}
	orders := c.get("/orders")
	if !strings.Contains(orders.body, `id="order-JWT100413"`) || !strings.Contains(orders.body, "EUR 79.15") {
		t.Errorf("the new order is not on the orders page")
	}
	details := c.do("GET", "/orders/JWT100413", nil, map[string]string{"HX-Request": "true"})
	if !strings.Contains(details.body, "Add 3 workstations to Remote Work Standard") {
		t.Errorf("new order's item: %.400s", details.body)
	}
	// The new order's invoice, numbered after the imported ones (2025: 2, 2026: 1).
	if !strings.Contains(success.body, `href="/orders/JWT100413/invoice.pdf"`) {
		t.Errorf("the success page does not link to the new order's invoice")
	}
	invoice := c.get("/orders/JWT100413/invoice")
	if invoice.StatusCode != 200 || !strings.Contains(invoice.body, "INV-2026-0002") || !strings.Contains(invoice.body, "EUR 79.15") {
		t.Errorf("the new order's invoice: %d %.300s", invoice.StatusCode, visibleText(invoice.body))
	}
	// Its history counts workstations, as the license does, and names the order.
	if text := visibleText(c.get("/licenses/" + upgradeLicense).body); !strings.Contains(text, "workstations 5 → 8, order JWT100413") {
		t.Errorf("the license's history: %s", text)
	}
	history, _ := p.store.LicenseHistory(ctx, upgradeLicense)
	if last := history[len(history)-1]; last.Kind != domain.ChangeUpgrade || last.Before.Users != 5 || last.After.Users != 8 {
		t.Errorf("history: %+v", last)
	}

	// Paying twice changes nothing.
	c.get("/licenses")
	c.post("/demo-pay/"+id, nil)
	if l, _, _ := p.store.License(ctx, upgradeLicense); l.Users != 8 {
		t.Errorf("a second payment added workstations again: %d", l.Users)
	}
}

func TestDemoPaymentOfAnExpiredQuote(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	id := buyUpgrade(t, c, upgradeLicense, url.Values{"add": {"3"}})
	p.clock.Advance(25 * time.Hour)
	c.get("/demo-pay/" + id)
	if res := c.post("/demo-pay/"+id, nil); res.StatusCode != 409 || !strings.Contains(visibleText(res.body), "This price was held until") {
		t.Errorf("paying an expired quote: %d %s", res.StatusCode, visibleText(res.body))
	}
	// In the reader's language, with the moment written as it writes one.
	c.cookies["lang"] = "fr"
	c.get("/demo-pay/" + id)
	if res := c.post("/demo-pay/"+id, nil); res.StatusCode != 409 || !strings.Contains(visibleText(res.body), "Ce prix était garanti jusqu'au") {
		t.Errorf("paying an expired quote, in French: %d %s", res.StatusCode, visibleText(res.body))
	}
	if l, _, _ := p.store.License(context.Background(), upgradeLicense); l.Users != 5 {
		t.Error("an expired quote was fulfilled")
	}
}

func TestUpgradeRefusals(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	for _, tc := range []struct {
		license, add string
		want         int
	}{
		{upgradeLicense, "0", 400},
		{upgradeLicense, "1001", 400},
		{upgradeLicense, "x", 400},
		{"JWT100234-2", "3", 409},
		{"JWT100412-1", "3", 404}, // John's
	} {
		c.get("/licenses")
		if res := c.post("/licenses/"+tc.license+"/upgrade", url.Values{"add": {tc.add}}); res.StatusCode != tc.want {
			t.Errorf("%s add=%s: %d, want %d", tc.license, tc.add, res.StatusCode, tc.want)
		}
	}
	if l, _, _ := p.store.License(context.Background(), upgradeLicense); l.Users != 5 {
		t.Error("a refused upgrade changed the license")
	}
	// Without JavaScript a wrong number brings the form back with what is wrong.
	c.get("/licenses")
	res := c.post("/licenses/"+upgradeLicense+"/upgrade", url.Values{"add": {"abc"}})
	if text := visibleText(res.body); res.StatusCode != 400 || !strings.Contains(res.body, `name="add"`) || !strings.Contains(text, "Enter a whole number of workstations to add, from 1 to 1000.") {
		t.Errorf("add=abc: %d %s", res.StatusCode, text)
	}
}

func TestCancelChangesNothing(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	id := buyUpgrade(t, c, upgradeLicense, url.Values{"add": {"2"}})
	res := c.get("/purchases/" + id + "/cancel")
	if res.StatusCode != 303 || res.Header.Get("Location") != "/licenses/"+upgradeLicense+"/upgrade?cancelled=1" {
		t.Fatalf("cancel: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := c.get(res.Header.Get("Location")); !strings.Contains(page.body, "nothing was changed") {
		t.Error("the upgrade page does not say the payment was cancelled")
	}
	if l, _, _ := p.store.License(context.Background(), upgradeLicense); l.Users != 5 {
		t.Error("cancel changed the license")
	}
}

func TestPurchasesOfAnotherCustomer(t *testing.T) {
	p := newTestPortal(t)
	marie := p.signedIn(t)
	id := buyUpgrade(t, marie, upgradeLicense, url.Values{"add": {"1"}})
	john := p.client(t)
	john.login("john@northwind.example", "JWT100412")
	for _, path := range []string{"/demo-pay/" + id, "/purchases/" + id + "/success", "/purchases/" + id + "/status", "/purchases/" + id + "/cancel",
		"/licenses/" + upgradeLicense + "/upgrade", "/licenses/" + upgradeLicense + "/upgrade/quote?add=1", "/licenses/" + upgradeLicense + "/renew"} {
		if res := john.get(path); res.StatusCode != 404 {
			t.Errorf("john GET %s: %d", path, res.StatusCode)
		}
	}
	john.get("/licenses")
	for _, path := range []string{"/demo-pay/" + id, "/licenses/" + upgradeLicense + "/upgrade", "/licenses/" + upgradeLicense + "/renew"} {
		if res := john.post(path, url.Values{"add": {"1"}}); res.StatusCode != 404 {
			t.Errorf("john POST %s: %d", path, res.StatusCode)
		}
	}
	if l, _, _ := p.store.License(context.Background(), upgradeLicense); l.Users != 5 {
		t.Error("another customer paid for Marie's license")
	}
}

func TestRenewExpiredSupport(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t)
	c := p.signedIn(t)
	page := c.get("/licenses/JWT100234-2/renew")
	for _, want := range []string{"EUR 750.00", "10 users", "EUR 75.00", `datetime="2026-11-27"`, `datetime="2027-11-27" data-testid="new-end">November 27, 2027<`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("renew page lacks %q", want)
		}
	}
	res := c.post("/licenses/JWT100234-2/renew", nil)
	m := demoPayPath.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != 303 || m == nil {
		t.Fatalf("renew: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	c.get("/demo-pay/" + m[1])
	c.post("/demo-pay/"+m[1], nil)
	l, _, _ := p.store.License(ctx, "JWT100234-2")
	if l.SupportEnd.Format(domain.DateLayout) != "2027-11-27" || l.Users != 10 || l.Support(fixedNow) != domain.SupportActive {
		t.Errorf("license after renewal: %+v", l)
	}
	if res := c.get("/orders"); !strings.Contains(res.body, "EUR 750.00") {
		t.Error("the renewal order is not on the orders page")
	}
	// A product no longer in the catalog says so instead of a price.
	if res := c.get("/licenses/JWT100391-1/renew"); !strings.Contains(res.body, "no longer in the catalog") || strings.Contains(res.body, `data-testid="buy"`) {
		t.Error("renewal of an unknown product offers a purchase")
	}
}
