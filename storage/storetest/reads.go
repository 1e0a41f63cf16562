package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var readTests = []test{
	{"ReadsSeeEveryWrite", testReadsSeeEveryWrite},
	{"ReadOnlyUpdateSeesTheLatestWrite", testReadOnlyUpdateSeesTheLatestWrite},
}

// testReadsSeeEveryWrite: whatever a store keeps to answer its hottest reads
// (a customer's orders and licenses, the catalog, a search), no answer is given
// after a write that changed it: every read that starts after a write returned
// sees it, even with readers hammering the same queries meanwhile.
func testReadsSeeEveryWrite(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT500001", "a@b.example", BaseDate, 1)
	ImportOK(t, s, o)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					s.LicensesByEmail(ctx, "a@b.example")
					s.OrdersByEmail(ctx, "a@b.example")
					s.Products(ctx)
					s.SearchOrders(ctx, "a@b.example")
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	for i := range 20 {
		err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
			u.Licenses[0].Users = o.Licenses[0].Users + i + 1
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if ls, _ := s.LicensesByEmail(ctx, "a@b.example"); ls[0].Users != o.Licenses[0].Users+i+1 {
			t.Fatalf("after change %d the licenses say %d users", i+1, ls[0].Users)
		}
	}
	ImportOK(t, s, NewOrder(t, "JWT500002", "a@b.example", BaseDate.Add(time.Hour), 1))
	if orders, _ := s.OrdersByEmail(ctx, "a@b.example"); len(orders) != 2 {
		t.Errorf("after an import: %d orders", len(orders))
	}
	if found, _ := s.SearchOrders(ctx, "a@b.example"); len(found) != 2 {
		t.Errorf("after an import the search finds %d orders", len(found))
	}
	if _, err := s.SaveProduct(ctx, domain.Product{Software: "New", Edition: "One", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.Products(ctx); len(ps) != 1 {
		t.Errorf("after a product was saved: %d products", len(ps))
	}
}

// testReadOnlyUpdateSeesTheLatestWrite: an operation that changes nothing (a
// refresh) may be answered without a write, but never from a state older than
// the last write: a key reissued a moment ago no longer checks.
func testReadOnlyUpdateSeesTheLatestWrite(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT500001", "a@b.example", BaseDate, 1)
	ImportOK(t, s, o)
	refresh := func(key string) error {
		return s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error { return u.CheckKey(key) })
	}
	if err := refresh(o.Order.ActivationKey); err != nil {
		t.Fatalf("a read with the right key: %v", err)
	}
	newKey := domain.NewActivationKey()
	if err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.ReissueKey(newKey, domain.ActorCustomer, BaseDate)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := refresh(o.Order.ActivationKey); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("the old key after a reissue: %v, want not found", err)
	}
	if err := refresh(newKey); err != nil {
		t.Errorf("the new key: %v", err)
	}
	if got, found, _ := s.OrderByActivationKey(ctx, o.Order.ActivationKey); found {
		t.Errorf("the old key still finds order %s", got.Reference)
	}
}
