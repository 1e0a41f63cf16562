package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"portal/domain"
)

func TestFulfilPurchaseIsDurableAndOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, closeStore := mustOpenAt(t, dir)
	o := newOrder(t, "JWT100234", "m@acme.example", baseDate, 1)
	importOK(t, s, o)
	l := o.Licenses[0]
	q, err := domain.QuoteUpgrade(l, domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 3, baseDate)
	if err != nil {
		t.Fatal(err)
	}
	p := domain.NewUpgradePurchase(q, l, "m@acme.example", baseDate)
	if err := s.CreatePurchase(ctx, p); err != nil {
		t.Fatal(err)
	}
	pay := domain.Payment{EventID: "evt_1", PurchaseID: p.ID, Amount: p.Amount, Currency: "EUR", At: baseDate.Add(time.Hour)}
	got, err := s.FulfilPurchase(ctx, pay, "JWT")
	if err != nil || got.Status != domain.PurchaseFulfilled || got.NewOrderRef != "JWT100235" {
		t.Fatalf("fulfil: %+v %v", got, err)
	}
	// What was answered is on disk.
	closeStore()
	s, _ = mustOpenAt(t, dir)
	if l := mustLicense(t, s, l.ID); l.Users != 4 || l.Version != 2 {
		t.Errorf("license after reopening: %+v", l)
	}
	if o := mustOrder(t, s, "JWT100235"); o.Total != p.Amount || o.Email != "m@acme.example" || o.Source != domain.SourceUpgrade {
		t.Errorf("new order after reopening: %+v", o)
	}
	if orders, _ := s.OrdersByEmail(ctx, "m@acme.example"); len(orders) != 2 {
		t.Errorf("%d orders for the email, want 2", len(orders))
	}
	// The same event again: nothing changes.
	if _, err := s.FulfilPurchase(ctx, pay, "JWT"); !errors.Is(err, domain.ErrPaymentSeen) {
		t.Errorf("second delivery: %v", err)
	}
	if l := mustLicense(t, s, l.ID); l.Users != 4 {
		t.Errorf("second delivery added users: %d", l.Users)
	}
	// An unknown purchase: not found, nothing recorded.
	if _, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_2", PurchaseID: "pur_x"}, "JWT"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown purchase: %v", err)
	}
}

func TestFlaggedPaymentTakesNoOrderNumber(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	o := newOrder(t, "JWT100234", "m@acme.example", baseDate, 1)
	importOK(t, s, o)
	q, _ := domain.QuoteUpgrade(o.Licenses[0], domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 1, baseDate)
	p := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	s.CreatePurchase(ctx, p)
	got, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_1", PurchaseID: p.ID, Amount: 1, Currency: "EUR", At: baseDate}, "JWT")
	if err != nil || got.Status != domain.PurchaseFlagged {
		t.Fatalf("flag: %+v %v", got, err)
	}
	p2 := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	s.CreatePurchase(ctx, p2)
	got, _ = s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_2", PurchaseID: p2.ID, Amount: p2.Amount, Currency: "EUR", At: baseDate}, "JWT")
	if got.NewOrderRef != "JWT100235" {
		t.Errorf("the order after a flagged payment is %s, want JWT100235 (no gap)", got.NewOrderRef)
	}
}
