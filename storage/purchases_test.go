package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
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
	openPurchase(t, s, p)
	pay := domain.Payment{EventID: "evt_1", PurchaseID: p.ID, SessionID: "cs_" + p.ID, Amount: p.Amount, Currency: "EUR", At: baseDate.Add(time.Hour)}
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
	openPurchase(t, s, p)
	got, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_1", PurchaseID: p.ID, SessionID: "cs_" + p.ID, Amount: 1, Currency: "EUR", At: baseDate}, "JWT")
	if err != nil || got.Status != domain.PurchaseFlagged {
		t.Fatalf("flag: %+v %v", got, err)
	}
	p2 := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	openPurchase(t, s, p2)
	got, _ = s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_2", PurchaseID: p2.ID, SessionID: "cs_" + p2.ID, Amount: p2.Amount, Currency: "EUR", At: baseDate}, "JWT")
	if got.NewOrderRef != "JWT100235" {
		t.Errorf("the order after a flagged payment is %s, want JWT100235 (no gap)", got.NewOrderRef)
	}
}

// openPurchase stores a locked quote with its payment page, as Buy does.
func openPurchase(tb testing.TB, s *storage.Store, p domain.Purchase) {
	tb.Helper()
	ctx := context.Background()
	if err := s.CreatePurchase(ctx, p); err != nil {
		tb.Fatal(err)
	}
	if err := s.SetPurchaseCheckout(ctx, p.ID, domain.CheckoutSession{ID: "cs_" + p.ID, URL: "https://pay.example/" + p.ID}); err != nil {
		tb.Fatal(err)
	}
}

// TestPaymentOnAnotherSessionIsNotTaken: only the payment page opened for a
// purchase pays for it, whatever client_reference_id another session carries.
func TestPaymentOnAnotherSessionIsNotTaken(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	o := newOrder(t, "JWT100234", "m@acme.example", baseDate, 1)
	importOK(t, s, o)
	q, _ := domain.QuoteUpgrade(o.Licenses[0], domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 1, baseDate)
	p := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	openPurchase(t, s, p)
	for _, session := range []string{"cs_other", ""} {
		_, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_" + session, PurchaseID: p.ID, SessionID: session,
			Amount: p.Amount, Currency: "EUR", At: baseDate}, "JWT")
		if !errors.Is(err, domain.ErrOtherSession) {
			t.Errorf("session %q: %v, want ErrOtherSession", session, err)
		}
	}
	if got, _, _ := s.Purchase(ctx, p.ID); got.Status != domain.PurchasePending {
		t.Errorf("purchase after payments on other sessions: %s", got.Status)
	}
	if l := mustLicense(t, s, o.Licenses[0].ID); l.Users != o.Licenses[0].Users {
		t.Errorf("users %d", l.Users)
	}
	// Its own session still pays for it.
	got, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_own", PurchaseID: p.ID, SessionID: "cs_" + p.ID,
		Amount: p.Amount, Currency: "EUR", At: baseDate}, "JWT")
	if err != nil || got.Status != domain.PurchaseFulfilled {
		t.Errorf("its own session: %+v %v", got.Status, err)
	}
}

// TestPurchasesOfAnEmailThroughTheirIndex: a customer's purchases are found by
// their email, newest first, and a settled one is kept for good.
func TestPurchasesOfAnEmailThroughTheirIndex(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	o := newOrder(t, "JWT100234", "m@acme.example", baseDate, 1)
	importOK(t, s, o)
	q, _ := domain.QuoteUpgrade(o.Licenses[0], domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 1, baseDate)
	first := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", time.Now().Add(-time.Hour))
	second := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", time.Now())
	other := domain.NewUpgradePurchase(q, o.Licenses[0], "someone@else.example", time.Now())
	for _, p := range []domain.Purchase{first, second, other} {
		openPurchase(t, s, p)
	}
	got, err := s.PurchasesByEmail(ctx, "m@acme.example")
	if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID || got[0].CheckoutURL == "" {
		t.Fatalf("purchases of m@: %v, %v", got, err)
	}
}

// TestUnpaidPurchasesAreForgotten: a purchase never paid is kept a week after its
// quote expired, then forgotten with its index entry; a settled one is kept;
// clicks on Buy do not pile up for ever.
func TestUnpaidPurchasesAreForgotten(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	o := newOrder(t, "JWT100234", "m@acme.example", baseDate, 1)
	importOK(t, s, o)
	q, _ := domain.QuoteUpgrade(o.Licenses[0], domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 1, baseDate)
	stale := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	paid := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate)
	fresh := domain.NewUpgradePurchase(q, o.Licenses[0], "m@acme.example", baseDate.Add(7*24*time.Hour))
	for _, p := range []domain.Purchase{stale, paid, fresh} {
		openPurchase(t, s, p)
	}
	if _, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_paid", PurchaseID: paid.ID, SessionID: "cs_" + paid.ID,
		Amount: paid.Amount, Currency: "EUR", At: baseDate.Add(time.Hour)}, "JWT"); err != nil {
		t.Fatal(err)
	}
	// A moment before the stale one's time: nothing goes.
	if n, err := s.ForgetUnpaidPurchases(ctx, stale.KeepUntil().Add(-time.Second)); err != nil || n != 0 {
		t.Fatalf("before its time: forgot %d, %v", n, err)
	}
	n, err := s.ForgetUnpaidPurchases(ctx, stale.KeepUntil().Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("forgot %d, %v; want the stale one", n, err)
	}
	if _, found, _ := s.Purchase(ctx, stale.ID); found {
		t.Error("the stale purchase is still there")
	}
	got, _ := s.PurchasesByEmail(ctx, "m@acme.example")
	if len(got) != 2 {
		t.Errorf("purchases left: %v, want the paid and the fresh one", got)
	}
	// Much later the fresh one goes too, the paid one never.
	if n, _ := s.ForgetUnpaidPurchases(ctx, baseDate.AddDate(1, 0, 0)); n != 1 {
		t.Errorf("a year later forgot %d, want 1", n)
	}
	if p, found, _ := s.Purchase(ctx, paid.ID); !found || p.Status != domain.PurchaseFulfilled {
		t.Error("a fulfilled purchase was forgotten")
	}
}
