package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// Marie's JWT100234-1: Remote Work Standard, 5 workstations, support until
// 2027-03-14, 107 days after fixedNow. 3 more: 3 × 9000 × 107 / 365 = 7915.07.
const upgradeLicense = "JWT100234-1"

func TestUpgradeQuotePartial(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	cases := []struct {
		license, add string
		wantStatus   int
		want         []string
	}{
		{upgradeLicense, "3", 200, []string{"EUR 79.15", ">3<", ">107<", "EUR 90.00", "EUR 0.00", "Total", "locked for 24 hours"}},
		{upgradeLicense, "1", 200, []string{"EUR 26.38"}},
		{upgradeLicense, "1000", 200, []string{"EUR 26,383.56"}},
		{upgradeLicense, "0", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "1001", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "-2", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "2.5", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "three", 422, []string{"from 1 to 1000"}},
		{upgradeLicense, "", 422, []string{"from 1 to 1000"}},
		{"JWT100234-2", "3", 409, []string{"cannot be upgraded from the portal"}},
		{"JWT100391-1", "3", 409, []string{"no longer in the catalog"}},
	}
	for _, tc := range cases {
		t.Run(tc.license+" add="+tc.add, func(t *testing.T) {
			res := c.do("GET", "/licenses/"+tc.license+"/upgrade/quote?add="+url.QueryEscape(tc.add), nil, map[string]string{"HX-Request": "true"})
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.wantStatus, res.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.body, w) {
					t.Errorf("quote lacks %q: %s", w, res.body)
				}
			}
			if tc.wantStatus != 200 && strings.Contains(res.body, "EUR") {
				t.Errorf("an error answer shows a price: %s", res.body)
			}
		})
	}
}

func TestUpgradePage(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	res := c.get("/licenses/" + upgradeLicense + "/upgrade?add=3")
	for _, want := range []string{`data-testid="current-users">5<`, `datetime="2027-03-14"`, ">107<", `name="add"`, `value="3"`,
		`hx-get="/licenses/` + upgradeLicense + `/upgrade/quote"`, "EUR 79.15", "locked for 24 hours", `name="_csrf"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("upgrade page lacks %q", want)
		}
	}
	res = c.get("/licenses/JWT100234-2/upgrade")
	if !strings.Contains(res.body, "cannot be upgraded from the portal") || strings.Contains(res.body, `data-testid="buy"`) {
		t.Errorf("a product that cannot be upgraded offers a purchase")
	}
	// The Upgrade column links open in a new tab, only for upgradable licenses.
	lic := c.get("/licenses")
	if !strings.Contains(lic.body, `href="/licenses/JWT100234-1/upgrade" target="_blank"`) || strings.Contains(lic.body, `href="/licenses/JWT100234-2/upgrade"`) {
		t.Error("the licenses page's Upgrade links are wrong")
	}
	orders := c.get("/orders")
	if !strings.Contains(orders.body, `href="/licenses/JWT100234-1/upgrade" target="_blank"`) {
		t.Error("the orders page has no Upgrade link")
	}
	// An expired license offers the renewal.
	if !strings.Contains(lic.body, `href="/licenses/JWT100234-2/renew"`) {
		t.Error("an expired license offers no renewal")
	}
}

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
	if res := c.post("/demo-pay/"+id, nil); res.StatusCode != 409 || !strings.Contains(res.body, "has expired") {
		t.Errorf("paying an expired quote: %d", res.StatusCode)
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
	for _, want := range []string{"EUR 750.00", "10 users", "EUR 75.00", `datetime="2026-11-27"`, `data-testid="new-end">2027-11-27<`} {
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

const webhookSecret = "whsec_test_portal"

func withStripe(apiURL string) portalOption {
	return func(c *handlers.Config) {
		c.Payments = payments.NewStripe("sk_test_portal", webhookSecret, apiURL)
	}
}

// stripeEvent is a checkout.session.completed event as Stripe sends it.
func stripeEvent(id, purchaseID, status string, amount int64, currency, apiVersion string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": apiVersion, "type": "checkout.session.completed",
		"created": fixedNow.Unix(),
		"data": map[string]any{"object": map[string]any{
			"id": "cs_test_" + id, "object": "checkout.session", "client_reference_id": purchaseID,
			"payment_status": status, "amount_total": amount, "currency": currency, "mode": "payment",
		}},
	})
	return b
}

func (p *testPortal) deliver(t *testing.T, payload []byte, signature string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/webhooks/stripe", strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Stripe-Signature", signature)
	}
	res, err := p.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprint(&b, res.Status)
	return res.StatusCode, b.String()
}

func sign(payload []byte, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: time.Now()}).Header
}

// lockUpgrade stores a pending upgrade of 3 workstations, as POST .../upgrade does.
func (p *testPortal) lockUpgrade(t *testing.T) domain.Purchase {
	t.Helper()
	ctx := context.Background()
	l, _, _ := p.store.License(ctx, upgradeLicense)
	prod, _, _ := p.store.Product(ctx, "Remote Work", "Standard")
	q, err := domain.QuoteUpgrade(l, prod, 3, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	pur := domain.NewUpgradePurchase(q, l, "marie@acme.example", fixedNow)
	if err := p.store.CreatePurchase(ctx, pur); err != nil {
		t.Fatal(err)
	}
	return pur
}

func TestStripeWebhook(t *testing.T) {
	ctx := context.Background()
	users := func(p *testPortal) int { l, _, _ := p.store.License(ctx, upgradeLicense); return l.Users }
	orders := func(p *testPortal) int {
		o, _ := p.store.OrdersByEmail(ctx, "marie@acme.example")
		return len(o)
	}

	t.Run("bad or missing signature: 400, nothing changes", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		event := stripeEvent("evt_1", pur.ID, "paid", 7915, "eur", "2023-10-16")
		for _, sig := range []string{"", sign(event, "whsec_other"), "t=1,v1=deadbeef"} {
			if status, _ := p.deliver(t, event, sig); status != 400 {
				t.Errorf("signature %q: %d", sig, status)
			}
		}
		tampered := stripeEvent("evt_1", pur.ID, "paid", 1, "eur", "2023-10-16")
		if status, _ := p.deliver(t, tampered, sign(event, webhookSecret)); status != 400 {
			t.Errorf("a body that does not match its signature: %d", status)
		}
		if users(p) != 5 || orders(p) != 2 {
			t.Error("a refused webhook changed something")
		}
	})

	t.Run("paid: fulfilled once, durably, even if delivered twice", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		// Sent at a newer API version than stripe-go's: still handled.
		event := stripeEvent("evt_2", pur.ID, "paid", 7915, "eur", "2026-08-26.basil")
		if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
			t.Fatalf("webhook: %d", status)
		}
		if users(p) != 8 || orders(p) != 3 {
			t.Fatalf("after payment: %d users, %d orders", users(p), orders(p))
		}
		if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 || users(p) != 8 || orders(p) != 3 {
			t.Errorf("the same event twice changed something: %d users, %d orders", users(p), orders(p))
		}
		other := stripeEvent("evt_3", pur.ID, "paid", 7915, "eur", "2023-10-16")
		if p.deliver(t, other, sign(other, webhookSecret)); users(p) != 8 || orders(p) != 3 {
			t.Error("a second event for the same purchase fulfilled it again")
		}
		got, _, _ := p.store.Purchase(ctx, pur.ID)
		if got.Status != domain.PurchaseFulfilled || got.EventID != "evt_2" || got.NewOrderRef != "JWT100413" {
			t.Errorf("purchase after payment: %+v", got)
		}
	})

	for name, tc := range map[string]struct {
		amount   int64
		currency string
	}{
		"other amount":   {7914, "eur"},
		"other currency": {7915, "usd"},
	} {
		t.Run(name+": flagged, not fulfilled", func(t *testing.T) {
			p := newTestPortal(t, withStripe(""))
			pur := p.lockUpgrade(t)
			event := stripeEvent("evt_4", pur.ID, "paid", tc.amount, tc.currency, "2023-10-16")
			if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
				t.Fatalf("webhook: %d", status)
			}
			got, _, _ := p.store.Purchase(ctx, pur.ID)
			if users(p) != 5 || orders(p) != 2 || got.Status != domain.PurchaseFlagged || !strings.Contains(got.FlagReason, "locked quote") {
				t.Errorf("purchase %+v; %d users", got, users(p))
			}
		})
	}

	t.Run("license changed since the quote: flagged and the customer is told", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		p.store.UpdateOrder(ctx, "JWT100234", func(u *domain.OrderUpdate) error {
			for i := range u.Licenses {
				if u.Licenses[i].ID == upgradeLicense {
					u.Licenses[i].Users = 6
				}
			}
			return nil
		})
		event := stripeEvent("evt_5", pur.ID, "paid", 7915, "eur", "2023-10-16")
		p.deliver(t, event, sign(event, webhookSecret))
		got, _, _ := p.store.Purchase(ctx, pur.ID)
		if users(p) != 6 || got.Status != domain.PurchaseFlagged || !strings.Contains(got.FlagReason, "users 5 → 6") {
			t.Errorf("purchase %+v; %d users", got, users(p))
		}
		c := p.signedIn(t)
		if res := c.get("/purchases/" + pur.ID + "/success"); !strings.Contains(res.body, "could not be applied to your license automatically") {
			t.Error("the customer is not told")
		}
	})

	t.Run("a retry after an outage is fulfilled: what counts is when Stripe made the event", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		event := stripeEvent("evt_late", pur.ID, "paid", 7915, "eur", "2023-10-16") // made at fixedNow
		p.clock.Advance(26 * time.Hour)
		// The signature's own timestamp is the delivery's, so it is fresh.
		if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 || users(p) != 8 {
			t.Errorf("late delivery: %d, %d users", status, users(p))
		}
	})

	t.Run("a purchase never paid stops polling once expired", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		c := p.signedIn(t)
		if res := c.get("/purchases/" + pur.ID + "/status"); !strings.Contains(res.body, `data-status="pending"`) || !strings.Contains(res.body, "every 2s") {
			t.Fatalf("pending status: %.300s", res.body)
		}
		p.clock.Advance(26 * time.Hour)
		res := c.get("/purchases/" + pur.ID + "/status")
		if !strings.Contains(res.body, `data-status="expired"`) || strings.Contains(res.body, "hx-trigger") {
			t.Errorf("expired status: %.300s", res.body)
		}
	})

	t.Run("events that confirm nothing change nothing", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		unpaid := stripeEvent("evt_6", pur.ID, "unpaid", 7915, "eur", "2023-10-16")
		unknown := stripeEvent("evt_7", "pur_00000000000000000000000000000000", "paid", 7915, "eur", "2023-10-16")
		var other map[string]any
		json.Unmarshal(stripeEvent("evt_8", pur.ID, "paid", 7915, "eur", "2023-10-16"), &other)
		other["type"] = "payment_intent.created"
		otherType, _ := json.Marshal(other)
		for _, event := range [][]byte{unpaid, unknown, otherType} {
			if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
				t.Errorf("event answered %d", status)
			}
		}
		got, _, _ := p.store.Purchase(ctx, pur.ID)
		if users(p) != 5 || orders(p) != 2 || got.Status != domain.PurchasePending {
			t.Errorf("something changed: %+v", got)
		}
	})

	t.Run("with a Stripe key the demo payment page cannot be reached", func(t *testing.T) {
		p := newTestPortal(t, withStripe(""))
		pur := p.lockUpgrade(t)
		c := p.signedIn(t)
		if res := c.get("/demo-pay/" + pur.ID); res.StatusCode != 404 {
			t.Errorf("demo page with Stripe: %d", res.StatusCode)
		}
		c.get("/licenses")
		if res := c.post("/demo-pay/"+pur.ID, nil); res.StatusCode != 404 || users(p) != 5 {
			t.Errorf("demo payment with Stripe: %d", res.StatusCode)
		}
	})
}

// stripeMockURL is the stripe-mock that scripts/test.sh starts on loopback.
func stripeMockURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("STRIPE_MOCK_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("STRIPE_MOCK_URL is not set; scripts/test.sh starts stripe-mock")
		}
		t.Skip("STRIPE_MOCK_URL is not set (scripts/test.sh starts stripe-mock)")
	}
	return u
}

func TestCheckoutSessionAgainstStripeMock(t *testing.T) {
	p := newTestPortal(t, withStripe(stripeMockURL(t)))
	c := p.signedIn(t)
	c.get("/licenses/" + upgradeLicense + "/upgrade")
	res := c.post("/licenses/"+upgradeLicense+"/upgrade", url.Values{"add": {"3"}})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "https://") {
		t.Fatalf("buy with Stripe: %d %q %.300s", res.StatusCode, loc, res.body)
	}
	// The purchase was recorded before the session, and knows its session.
	purchases, err := p.store.PurchasesByEmail(context.Background(), "marie@acme.example")
	if err != nil || len(purchases) != 1 {
		t.Fatalf("purchases: %v %v", purchases, err)
	}
	if pur := purchases[0]; pur.Amount != 7915 || !strings.HasPrefix(pur.CheckoutID, "cs_") || pur.Status != domain.PurchasePending {
		t.Errorf("purchase %+v", pur)
	}
	if o, _ := p.store.OrdersByEmail(context.Background(), "marie@acme.example"); len(o) != 2 {
		t.Errorf("a checkout created an order before any payment")
	}
}
