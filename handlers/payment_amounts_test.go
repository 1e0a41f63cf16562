package handlers_test

import (
	"context"
	"strings"
	"testing"

	"portal/domain"
)

// TestWebhookPaymentMustMatchTheQuote: a signed, paid checkout session whose amount
// or currency is not exactly the locked quote (EUR 79.15) is acknowledged but never
// fulfilled: the license stays as it was, no order is made, the purchase is flagged
// for staff and the customer is told. Paying too much counts as much as too little.
func TestWebhookPaymentMustMatchTheQuote(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		amount   int64
		currency string
	}{
		{"one cent too much", 7916, "eur"},
		{"a hundred times too much (euros taken as cents)", 791500, "eur"},
		{"the right number in US dollars", 7915, "usd"},
		{"the right number in pounds", 7915, "gbp"},
		{"the right number in yen, a currency without cents", 7915, "jpy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestPortal(t, withStripe(""))
			pur := p.lockUpgrade(t)
			before, _, _ := p.store.License(ctx, upgradeLicense)

			event := stripeEvent("evt_amount", pur.ID, "paid", tc.amount, tc.currency, "2023-10-16")
			if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
				t.Fatalf("webhook: %d, want 200 (Stripe must not retry a payment we have flagged)", status)
			}

			after, _, _ := p.store.License(ctx, upgradeLicense)
			if after.Users != before.Users || after.Version != before.Version || !after.SupportEnd.Equal(before.SupportEnd) {
				t.Errorf("the license changed: %d users v%d → %d users v%d", before.Users, before.Version, after.Users, after.Version)
			}
			if orders, _ := p.store.OrdersByEmail(ctx, "marie@acme.example"); len(orders) != 2 {
				t.Errorf("%d orders, want the 2 of the fixture: a mismatched payment made an order", len(orders))
			}
			if _, found, _ := p.store.Order(ctx, "JWT100413"); found {
				t.Error("a mismatched payment took the next order number")
			}
			got, _, _ := p.store.Purchase(ctx, pur.ID)
			if got.Status != domain.PurchaseFlagged || !strings.Contains(got.FlagReason, "locked quote was EUR 79.15") || got.NewOrderRef != "" {
				t.Errorf("purchase %s, %q, new order %q; want flagged against the locked quote", got.Status, got.FlagReason, got.NewOrderRef)
			}
			flagged, _ := p.store.FlaggedPurchases(ctx)
			if len(flagged) != 1 || flagged[0].ID != pur.ID {
				t.Errorf("staff do not see the purchase among the flagged ones: %+v", flagged)
			}
			c := p.signedIn(t)
			if res := c.get("/purchases/" + pur.ID + "/success"); !strings.Contains(res.body, "could not be applied to your license automatically") {
				t.Errorf("the customer is not told: %.400s", res.body)
			}
		})
	}

	// The same delivery with the quoted amount and currency is fulfilled: the cases
	// above are refused for their amount or currency alone.
	p := newTestPortal(t, withStripe(""))
	pur := p.lockUpgrade(t)
	event := stripeEvent("evt_exact", pur.ID, "paid", 7915, "eur", "2023-10-16")
	if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
		t.Fatalf("webhook: %d", status)
	}
	if l, _, _ := p.store.License(ctx, upgradeLicense); l.Users != 8 {
		t.Errorf("the exact payment was not fulfilled: %d users", l.Users)
	}
}
