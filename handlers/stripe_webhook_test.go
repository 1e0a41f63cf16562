package handlers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

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
