package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// TestBuyAgainReusesThePendingPurchase: clicking Buy again for the same license
// and quote goes back to the same purchase and payment page; no new purchase.
func TestBuyAgainReusesThePendingPurchase(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	first := buyUpgrade(t, c, "JWT100234-1", url.Values{"add": {"3"}})
	for range 5 {
		if again := buyUpgrade(t, c, "JWT100234-1", url.Values{"add": {"3"}}); again != first {
			t.Fatalf("Buy again opened purchase %s, want %s", again, first)
		}
	}
	if n := len(purchasesOf(t, p, "marie@acme.example")); n != 1 {
		t.Fatalf("%d purchases after six clicks on Buy, want 1", n)
	}
	// Another quantity is another purchase.
	if other := buyUpgrade(t, c, "JWT100234-1", url.Values{"add": {"4"}}); other == first {
		t.Error("another quantity reused the first purchase")
	}
	// Close to its expiry a purchase is not reused: the customer could not pay in time.
	p.clock.Advance(domain.QuoteValidity - 30*time.Minute)
	if late := buyUpgrade(t, c, "JWT100234-1", url.Values{"add": {"3"}}); late == first {
		t.Error("a purchase about to expire was reused")
	}
}

// TestPurchasesPerCustomerAreBounded: many different quotes in a row meet a
// limit, and nothing is recorded past it.
func TestPurchasesPerCustomerAreBounded(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.get("/licenses/JWT100234-1/upgrade")
	status := 0
	for i := 1; i <= 11; i++ {
		status = c.post("/licenses/JWT100234-1/upgrade", url.Values{"add": {fmt.Sprint(i)}}).StatusCode
	}
	if status != 429 {
		t.Fatalf("11th purchase within minutes: %d, want 429", status)
	}
	if n := len(purchasesOf(t, p, "marie@acme.example")); n != 10 {
		t.Errorf("%d purchases recorded, want 10", n)
	}
	p.clock.Advance(6 * time.Minute)
	if res := c.post("/licenses/JWT100234-1/upgrade", url.Values{"add": {"20"}}); res.StatusCode != 303 {
		t.Errorf("a purchase 6 minutes later: %d", res.StatusCode)
	}
}

func TestKeyReissuesPerCustomerAreBounded(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.get("/orders/JWT100234/activation-key")
	for i := 1; i <= 5; i++ {
		if res := c.post("/orders/JWT100234/activation-key/reissue", nil); res.StatusCode != 200 {
			t.Fatalf("reissue %d: %d", i, res.StatusCode)
		}
	}
	before := p.activationKey(t, "JWT100234")
	res := c.post("/orders/JWT100234/activation-key/reissue", nil)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || p.activationKey(t, "JWT100234") != before {
		t.Fatalf("6th reissue within minutes: %d, key changed %v", res.StatusCode, p.activationKey(t, "JWT100234") != before)
	}
	h, _ := p.store.LicenseHistory(context.Background(), "JWT100234-1")
	if len(h) != 5 {
		t.Errorf("%d history entries, want 5", len(h))
	}
}

// TestWebhookOnAnotherSessionIsNotTaken: an event naming the purchase but paid
// on another Checkout Session is acknowledged and changes nothing.
func TestWebhookOnAnotherSessionIsNotTaken(t *testing.T) {
	p := newTestPortal(t, withStripe(""))
	pur := p.lockUpgrade(t)
	event := []byte(strings.Replace(string(stripeEvent("evt_other", pur.ID, "paid", pur.Amount, "eur", "2023-10-16")),
		`"cs_test_`+pur.ID+`"`, `"cs_test_someone_elses"`, 1))
	if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
		t.Fatalf("event on another session: %d, want 200 (acknowledged)", status)
	}
	got, _, _ := p.store.Purchase(context.Background(), pur.ID)
	l, _, _ := p.store.License(context.Background(), upgradeLicense)
	if got.Status != domain.PurchasePending || l.Users != 5 {
		t.Errorf("after an event on another session: purchase %s, users %d", got.Status, l.Users)
	}
	// Its own session's event still fulfils it.
	own := stripeEvent("evt_own", pur.ID, "paid", pur.Amount, "eur", "2023-10-16")
	p.deliver(t, own, sign(own, webhookSecret))
	if l, _, _ := p.store.License(context.Background(), upgradeLicense); l.Users != 8 {
		t.Errorf("its own session's event: users %d, want 8", l.Users)
	}
}

// TestExpiredLicenseIsNeverADeadEnd: the upgrade page of a license whose support
// has ended and whose product cannot be upgraded points to the renewal.
func TestExpiredLicenseIsNeverADeadEnd(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	page := c.get("/licenses/JWT100234-2/upgrade")
	if page.StatusCode != 200 || !strings.Contains(page.body, `href="/licenses/JWT100234-2/renew"`) {
		t.Fatalf("upgrade page of an expired, non-upgradable license: %d, no way to renew", page.StatusCode)
	}
	if renew := c.get("/licenses/JWT100234-2/renew"); renew.StatusCode != 200 || !strings.Contains(renew.body, `data-testid="buy"`) {
		t.Errorf("its renewal page: %d", renew.StatusCode)
	}
}
