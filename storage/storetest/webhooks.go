package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var webhookTests = []test{
	{"EachChangeQueuesItsEventsForEveryEnabledEndpoint", testEachChangeQueuesItsEvents},
	{"DeliveriesGoToOneSenderAtATime", testDeliveriesGoToOneSenderAtATime},
}

func saveEndpoint(t *testing.T, s Backend, id string, enabled bool) {
	t.Helper()
	e, err := domain.NewWebhookEndpoint(id, "https://crm.vendor.example/hooks/"+id, domain.NewWebhookSecret(), BaseDate)
	if err != nil {
		t.Fatal(err)
	}
	e.Enabled = enabled
	if err := s.SaveWebhookEndpoint(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
}

// takeEvents claims every due delivery, marks it delivered, and answers
// their event types, sorted, checking that each went to endpoint "crm".
func takeEvents(t *testing.T, s Backend, at time.Time) []domain.EventType {
	t.Helper()
	types, _ := takeDeliveries(t, s, at)
	return types
}

func takeDeliveries(t *testing.T, s Backend, at time.Time) ([]domain.EventType, []domain.Delivery) {
	t.Helper()
	ds := must(s.ClaimDeliveries(context.Background(), at, time.Minute, 100))
	var types []domain.EventType
	for _, d := range ds {
		if d.EndpointID != "crm" {
			t.Errorf("a delivery to %s, which is disabled", d.EndpointID)
		}
		types = append(types, d.Event.Type)
		d.Status = domain.DeliveryDelivered
		if err := s.SaveDelivery(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(types)
	return types, ds
}

// testEachChangeQueuesItsEvents: an activation, a rehost, a key reissue, a
// payment fulfilled or flagged and a confirmed email change each put their
// events in the outbox, in the change's transaction, for every enabled
// endpoint; a change that changes nothing puts none.
func testEachChangeQueuesItsEvents(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	saveEndpoint(t, s, "crm", true)
	saveEndpoint(t, s, "old", false)
	o := NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 2)
	ImportOK(t, s, o)
	key := o.Order.ActivationKey
	at := BaseDate.Add(time.Hour)
	change := func(f func(u *domain.OrderUpdate) error) {
		t.Helper()
		if err := s.UpdateOrder(ctx, "JWT1", f); err != nil {
			t.Fatal(err)
		}
	}
	change(func(u *domain.OrderUpdate) error { _, err := u.Activate(key, "PC-1", at); return err })
	if got := takeEvents(t, s, at); !slices.Equal(got, []domain.EventType{domain.EventLicenseActivated, domain.EventLicenseActivated}) {
		t.Errorf("after an activation of two licenses: %v", got)
	}
	change(func(u *domain.OrderUpdate) error { _, err := u.RefreshFromSoftware(key, "PC-1", at); return err })
	if got := takeEvents(t, s, at); len(got) != 0 {
		t.Errorf("a refresh that changed nothing queued %v", got)
	}
	change(func(u *domain.OrderUpdate) error {
		_, err := u.Rehost("JWT1-1", domain.DefaultRehostPolicy, at)
		return err
	})
	change(func(u *domain.OrderUpdate) error {
		u.ReissueKey(domain.NewActivationKey(), domain.ActorCustomer, at)
		return nil
	})
	if got := takeEvents(t, s, at); !slices.Equal(got, []domain.EventType{domain.EventKeyReissued, domain.EventLicenseRehosted}) {
		t.Errorf("after a rehost and a key reissue: %v (one reissue event per order)", got)
	}

	paid := newPurchase(t, MustLicense(t, s, "JWT1-2"), "marie@acme.example", 1, at)
	openPurchase(t, s, paid)
	if _, err := s.FulfilPurchase(ctx, payment("evt_a", paid, at), jwtNumbering); err != nil {
		t.Fatal(err)
	}
	types, ds := takeDeliveries(t, s, at)
	if !slices.Equal(types, []domain.EventType{domain.EventLicenseChanged, domain.EventPurchaseFulfilled}) {
		t.Fatalf("after a fulfilled payment: %v", types)
	}
	for _, d := range ds {
		if d.Event.Type == domain.EventLicenseChanged {
			var data domain.LicenseEventData
			json.Unmarshal(d.Event.Data, &data)
			if data.LicenseID != "JWT1-2" || data.Users != 3 || data.Previous == nil || data.Previous.Users != 2 || data.By != domain.ActorPayment {
				t.Errorf("license.changed data: %+v", data)
			}
		}
	}
	short := newPurchase(t, MustLicense(t, s, "JWT1-1"), "marie@acme.example", 1, at)
	openPurchase(t, s, short)
	underpaid := payment("evt_b", short, at)
	underpaid.Amount--
	if _, err := s.FulfilPurchase(ctx, underpaid, jwtNumbering); err != nil {
		t.Fatal(err)
	}
	if got := takeEvents(t, s, at.Add(2*time.Minute)); !slices.Equal(got, []domain.EventType{domain.EventPurchaseFlagged}) {
		t.Errorf("after a flagged payment: %v", got)
	}

	c, _ := domain.NewEmailChange("chg_1", "marie@acme.example", "marie@new.example", "marie@acme.example", at)
	if err := s.RequestEmailChange(ctx, c, "confirm", "cancel", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := takeEvents(t, s, at.Add(2*time.Minute)); len(got) != 0 {
		t.Errorf("a request not yet confirmed queued %v", got)
	}
	if _, err := s.ConfirmEmailChange(ctx, "confirm", at, domain.ActorCustomer, func(domain.EmailChange) []domain.Mail { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := takeEvents(t, s, at.Add(2*time.Minute)); !slices.Equal(got, []domain.EventType{domain.EventEmailChanged}) {
		t.Errorf("after a confirmed email change: %v (one event, not one per order)", got)
	}
}

// testDeliveriesGoToOneSenderAtATime: due deliveries go to one claimer each;
// a settled one is no longer due but stays in the endpoint's log, newest first.
func testDeliveriesGoToOneSenderAtATime(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	for i := range 9 {
		ev := domain.NewEvent(domain.EventTest, BaseDate.Add(time.Duration(i)*time.Second), map[string]int{"n": i})
		d := domain.Delivery{ID: domain.DeliveryID(ev.ID, "crm"), EndpointID: "crm", Event: ev, Created: ev.At, NextAttempt: ev.At, Status: domain.DeliveryPending}
		if err := s.QueueDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if n := must(s.PendingDeliveries(ctx)); n != 9 {
		t.Errorf("pending: %d", n)
	}
	now := BaseDate.Add(time.Minute)
	claims := make([][]domain.Delivery, 3)
	var wg sync.WaitGroup
	for i := range claims {
		wg.Go(func() { claims[i] = must(s.ClaimDeliveries(ctx, now, time.Minute, 4)) })
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, claim := range claims {
		for _, d := range claim {
			if seen[d.ID] || d.Attempts != 1 {
				t.Errorf("delivery %s claimed twice, or attempts %d", d.ID, d.Attempts)
			}
			seen[d.ID] = true
		}
	}
	if len(seen) != 9 {
		t.Fatalf("%d deliveries claimed, want 9", len(seen))
	}
	for i, claim := range claims {
		for _, d := range claim {
			d.Status, d.LastStatus = domain.DeliveryDelivered, 200+i
			if err := s.SaveDelivery(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
	}
	if again := must(s.ClaimDeliveries(ctx, now.Add(time.Hour), time.Minute, 20)); len(again) != 0 {
		t.Errorf("settled deliveries claimed again: %d", len(again))
	}
	log := must(s.Deliveries(ctx, "crm", 5))
	if len(log) != 5 || log[0].Status != domain.DeliveryDelivered || !log[0].Created.After(log[4].Created) {
		t.Errorf("the delivery log: %d entries, first %+v", len(log), log[0])
	}
	if n := must(s.PendingDeliveries(ctx)); n != 0 {
		t.Errorf("pending after delivery: %d", n)
	}
}
