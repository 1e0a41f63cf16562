package domain_test

import (
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// TestFulfilPaysExactlyTheLockedQuote: only the locked amount in the locked
// currency is fulfilled. Paying too much is flagged just like paying too little,
// and so is the right number in another currency.
func TestFulfilPaysExactlyTheLockedQuote(t *testing.T) {
	origin := domain.Order{Reference: "JWT1", Name: "Acme SARL", Country: "FR", City: "Lyon", ContactName: "Marie", Email: "m@acme.example"}
	l := domain.License{ID: "JWT1-1", OrderRef: "JWT1", Software: "Remote Work", Edition: "Standard", Users: 5,
		SupportEnd: day("2027-05-26"), Version: 4}
	quotedAt := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	quote, err := domain.QuoteUpgrade(l, domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 3, quotedAt)
	if err != nil || quote.Total != 13315 {
		t.Fatalf("quote %+v, %v; want EUR 133.15", quote, err)
	}
	p := domain.NewUpgradePurchase(quote, l, "m@acme.example", quotedAt)

	cases := []struct {
		name     string
		amount   int64
		currency string
		fulfil   bool
	}{
		{"exactly the quote", 13315, "EUR", true},
		{"one cent too much", 13316, "EUR", false},
		{"far too much", 1331500, "EUR", false},
		{"the largest amount there is", 1<<63 - 1, "EUR", false},
		{"one cent too little", 13314, "EUR", false},
		{"nothing", 0, "EUR", false},
		{"the right number in US dollars", 13315, "USD", false},
		{"the right number in yen", 13315, "JPY", false},
		{"more, in another currency", 13316, "GBP", false},
		{"no currency", 13315, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pay := domain.Payment{EventID: "evt_1", PurchaseID: p.ID, Amount: tc.amount, Currency: tc.currency, At: quotedAt.Add(time.Hour)}
			refs := 0
			newRef := func() (string, error) { refs++; return "JWT2", nil }
			got, f, err := domain.Fulfil(p, origin, l, pay, newRef, "NEWKEY", domain.Seller{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.fulfil {
				if f == nil || got.Status != domain.PurchaseFulfilled || f.License.Users != 8 || f.Order.Total != 13315 || refs != 1 {
					t.Fatalf("the exact payment was not fulfilled: %+v %+v", got, f)
				}
				return
			}
			if f != nil {
				t.Fatalf("fulfilled: license %+v, new order %s for %d", f.License, f.Order.Reference, f.Order.Total)
			}
			if got.Status != domain.PurchaseFlagged || !strings.Contains(got.FlagReason, "locked quote was EUR 133.15") {
				t.Errorf("status %q, reason %q; want flagged, naming the locked quote", got.Status, got.FlagReason)
			}
			if got.PaidAmount != tc.amount || got.EventID != "evt_1" {
				t.Errorf("the flagged purchase does not keep what was paid: %d %q", got.PaidAmount, got.EventID)
			}
			if refs != 0 || got.NewOrderRef != "" {
				t.Errorf("a flagged payment took an order number (%d, %q)", refs, got.NewOrderRef)
			}
		})
	}
}
