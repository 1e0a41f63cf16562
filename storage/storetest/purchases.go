package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var purchaseTests = []test{
	{"FulfilPurchaseIsDurableAndOnce", testFulfilPurchaseIsDurableAndOnce},
	{"FlaggedPaymentTakesNoOrderNumber", testFlaggedPaymentTakesNoOrderNumber},
	{"PaymentOnAnotherSessionIsNotTaken", testPaymentOnAnotherSessionIsNotTaken},
	{"SecondEventForASettledPurchaseChangesNothing", testSecondEventForASettledPurchaseChangesNothing},
	{"SameEventDeliveredManyTimesAtOnceFulfilsOnce", testSameEventDeliveredManyTimesAtOnceFulfilsOnce},
	{"PurchasesOfAnEmailNewestFirst", testPurchasesOfAnEmailNewestFirst},
	{"UnpaidPurchasesAreForgotten", testUnpaidPurchasesAreForgotten},
	{"CheckoutOfAnUnknownPurchase", testCheckoutOfAnUnknownPurchase},
}

func testFulfilPurchaseIsDurableAndOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	place := h.Fresh(t)
	s, closeStore := h.openAt(t, place)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	l := o.Licenses[0]
	p := newPurchase(t, l, "m@acme.example", 3, BaseDate)
	openPurchase(t, s, p)
	pay := payment("evt_1", p, BaseDate.Add(time.Hour))
	got, err := s.FulfilPurchase(ctx, pay, jwtNumbering)
	if err != nil || got.Status != domain.PurchaseFulfilled || got.NewOrderRef != "JWT100235" || got.EventID != "evt_1" || got.PaidAmount != p.Amount {
		t.Fatalf("fulfil: %+v %v", got, err)
	}
	// What was answered is there after the store is closed and opened again.
	closeStore()
	s, _ = h.openAt(t, place)
	if l := MustLicense(t, s, l.ID); l.Users != 4 || l.Version != 2 {
		t.Errorf("license after reopening: %+v", l)
	}
	if o := MustOrder(t, s, "JWT100235"); o.Total != p.Amount || o.Email != "m@acme.example" || o.Source != domain.SourceUpgrade ||
		len(o.Items) != 1 || o.Items[0].Amount != p.Amount {
		t.Errorf("new order after reopening: %+v", o)
	}
	if stored, _, _ := s.Purchase(ctx, p.ID); stored != got {
		t.Errorf("purchase after reopening:\n got %+v\nwant %+v", stored, got)
	}
	if hist := must(s.LicenseHistory(ctx, l.ID)); len(hist) != 1 || hist[0].Kind != domain.ChangeUpgrade || hist[0].Before.Users != 1 || hist[0].After.Users != 4 {
		t.Errorf("history after reopening: %+v", hist)
	}
	if orders, _ := s.OrdersByEmail(ctx, "m@acme.example"); len(orders) != 2 {
		t.Errorf("%d orders for the email, want 2", len(orders))
	}
	// The same event again: nothing changes.
	if _, err := s.FulfilPurchase(ctx, pay, jwtNumbering); !errors.Is(err, domain.ErrPaymentSeen) {
		t.Errorf("second delivery: %v", err)
	}
	if l := MustLicense(t, s, l.ID); l.Users != 4 {
		t.Errorf("second delivery added users: %d", l.Users)
	}
	if n, _ := s.OrderCount(ctx); n != 2 {
		t.Errorf("second delivery made an order: %d orders", n)
	}
	// An unknown purchase: not found, nothing recorded (its event may come back for a real one).
	if _, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_2", PurchaseID: "pur_x"}, jwtNumbering); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown purchase: %v", err)
	}
}

func testFlaggedPaymentTakesNoOrderNumber(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	p := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	openPurchase(t, s, p)
	short := payment("evt_1", p, BaseDate)
	short.Amount = 1
	got, err := s.FulfilPurchase(ctx, short, jwtNumbering)
	if err != nil || got.Status != domain.PurchaseFlagged || got.FlagReason == "" || got.NewOrderRef != "" {
		t.Fatalf("flag: %+v %v", got, err)
	}
	if flagged := must(s.FlaggedPurchases(ctx)); len(flagged) != 1 || flagged[0] != got {
		t.Errorf("flagged purchases: %+v", flagged)
	}
	if l := MustLicense(t, s, o.Licenses[0].ID); l.Users != o.Licenses[0].Users {
		t.Errorf("a flagged payment changed the license: %+v", l)
	}
	p2 := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	openPurchase(t, s, p2)
	got, _ = s.FulfilPurchase(ctx, payment("evt_2", p2, BaseDate), jwtNumbering)
	if got.NewOrderRef != "JWT100235" {
		t.Errorf("the order after a flagged payment is %s, want JWT100235 (no gap)", got.NewOrderRef)
	}
	if flagged := must(s.FlaggedPurchases(ctx)); len(flagged) != 1 {
		t.Errorf("flagged purchases after a good one: %d", len(flagged))
	}
}

// testPaymentOnAnotherSessionIsNotTaken: only the payment page opened for a
// purchase pays for it, whatever client_reference_id another session carries.
func testPaymentOnAnotherSessionIsNotTaken(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	p := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	openPurchase(t, s, p)
	for _, session := range []string{"cs_other", ""} {
		pay := payment("evt_"+session, p, BaseDate)
		pay.SessionID = session
		if _, err := s.FulfilPurchase(ctx, pay, jwtNumbering); !errors.Is(err, domain.ErrOtherSession) {
			t.Errorf("session %q: %v, want ErrOtherSession", session, err)
		}
	}
	if got, _, _ := s.Purchase(ctx, p.ID); got.Status != domain.PurchasePending {
		t.Errorf("purchase after payments on other sessions: %s", got.Status)
	}
	if l := MustLicense(t, s, o.Licenses[0].ID); l.Users != o.Licenses[0].Users {
		t.Errorf("users %d", l.Users)
	}
	// Its own session still pays for it, even with an event seen on another session before.
	got, err := s.FulfilPurchase(ctx, payment("evt_cs_other", p, BaseDate), jwtNumbering)
	if err != nil || got.Status != domain.PurchaseFulfilled {
		t.Errorf("its own session: %+v %v", got.Status, err)
	}
}

func testSecondEventForASettledPurchaseChangesNothing(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	p := newPurchase(t, o.Licenses[0], "m@acme.example", 2, BaseDate)
	openPurchase(t, s, p)
	first, err := s.FulfilPurchase(ctx, payment("evt_1", p, BaseDate), jwtNumbering)
	if err != nil {
		t.Fatal(err)
	}
	// checkout.session.async_payment_succeeded after checkout.session.completed, say.
	got, err := s.FulfilPurchase(ctx, payment("evt_2", p, BaseDate.Add(time.Minute)), jwtNumbering)
	if !errors.Is(err, domain.ErrPaymentSeen) || got != first {
		t.Errorf("second event: %+v, %v; want the settled purchase and ErrPaymentSeen", got, err)
	}
	if _, err := s.FulfilPurchase(ctx, payment("evt_2", p, BaseDate), jwtNumbering); !errors.Is(err, domain.ErrPaymentSeen) {
		t.Errorf("the second event again: %v", err)
	}
	if l := MustLicense(t, s, o.Licenses[0].ID); l.Users != 3 {
		t.Errorf("users %d after two events, want 3", l.Users)
	}
}

// testSameEventDeliveredManyTimesAtOnceFulfilsOnce: a provider that retries
// (or several instances that receive the same event) fulfil once.
func testSameEventDeliveredManyTimesAtOnceFulfilsOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	p := newPurchase(t, o.Licenses[0], "m@acme.example", 5, BaseDate)
	openPurchase(t, s, p)
	const deliveries = 12
	outcomes := make([]error, deliveries)
	var wg sync.WaitGroup
	for i := range deliveries {
		wg.Go(func() { _, outcomes[i] = s.FulfilPurchase(ctx, payment("evt_once", p, BaseDate), jwtNumbering) })
	}
	wg.Wait()
	fulfilled := 0
	for _, err := range outcomes {
		switch {
		case err == nil:
			fulfilled++
		case !errors.Is(err, domain.ErrPaymentSeen):
			t.Errorf("a delivery failed: %v", err)
		}
	}
	if fulfilled != 1 {
		t.Errorf("%d deliveries fulfilled, want 1", fulfilled)
	}
	if l := MustLicense(t, s, o.Licenses[0].ID); l.Users != 6 || l.Version != 2 {
		t.Errorf("license after %d deliveries: %+v", deliveries, l)
	}
	if n, _ := s.OrderCount(ctx); n != 2 {
		t.Errorf("%d orders, want the original and one new", n)
	}
}

// testPurchasesOfAnEmailNewestFirst: a customer's purchases are found by their
// email, newest first, with their payment page.
func testPurchasesOfAnEmailNewestFirst(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	first := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	second := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate.Add(time.Hour))
	other := newPurchase(t, o.Licenses[0], "someone@else.example", 1, BaseDate.Add(time.Hour))
	for _, p := range []domain.Purchase{first, second, other} {
		openPurchase(t, s, p)
	}
	got, err := s.PurchasesByEmail(ctx, "m@acme.example")
	if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID || got[0].CheckoutURL != "https://pay.example/"+second.ID {
		t.Fatalf("purchases of m@: %+v, %v", got, err)
	}
	want := first
	want.CheckoutID, want.CheckoutURL = "cs_"+first.ID, "https://pay.example/"+first.ID
	if got[1] != want {
		t.Errorf("purchase read back:\n got %+v\nwant %+v", got[1], want)
	}
}

// testUnpaidPurchasesAreForgotten: a purchase never paid is kept a week after its
// quote expired, then forgotten; a settled one is kept; clicks on Buy do not
// pile up for ever.
func testUnpaidPurchasesAreForgotten(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT100234", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	stale := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	paid := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
	fresh := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate.Add(7*24*time.Hour))
	for _, p := range []domain.Purchase{stale, paid, fresh} {
		openPurchase(t, s, p)
	}
	if _, err := s.FulfilPurchase(ctx, payment("evt_paid", paid, BaseDate.Add(time.Hour)), jwtNumbering); err != nil {
		t.Fatal(err)
	}
	// Until the second of its time is over, nothing goes.
	for _, at := range []time.Time{stale.KeepUntil().Add(-time.Second), stale.KeepUntil(), stale.KeepUntil().Add(999 * time.Millisecond)} {
		if n, err := s.ForgetUnpaidPurchases(ctx, at); err != nil || n != 0 {
			t.Fatalf("at %v: forgot %d, %v; want none yet", at.Sub(stale.KeepUntil()), n, err)
		}
	}
	n, err := s.ForgetUnpaidPurchases(ctx, stale.KeepUntil().Add(time.Second))
	if err != nil || n != 1 {
		t.Fatalf("forgot %d, %v; want the stale one", n, err)
	}
	if _, found, _ := s.Purchase(ctx, stale.ID); found {
		t.Error("the stale purchase is still there")
	}
	if got, _ := s.PurchasesByEmail(ctx, "m@acme.example"); len(got) != 2 {
		t.Errorf("purchases left: %v, want the paid and the fresh one", got)
	}
	// Much later the fresh one goes too, the paid one never.
	if n, _ := s.ForgetUnpaidPurchases(ctx, BaseDate.AddDate(1, 0, 0)); n != 1 {
		t.Errorf("a year later forgot %d, want 1", n)
	}
	if p, found, _ := s.Purchase(ctx, paid.ID); !found || p.Status != domain.PurchaseFulfilled {
		t.Error("a fulfilled purchase was forgotten")
	}
}

func testCheckoutOfAnUnknownPurchase(t *testing.T, h Harness) {
	s := h.open(t)
	err := s.SetPurchaseCheckout(context.Background(), "pur_none", domain.CheckoutSession{ID: "cs_1", URL: "https://pay.example/1"})
	if domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("checkout of an unknown purchase: %v, want not found", err)
	}
	if _, found, _ := s.Purchase(context.Background(), "pur_none"); found {
		t.Error("a checkout made a purchase")
	}
}
