package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var updateTests = []test{
	{"UpdateOrderWritesChangeAndHistoryTogether", testUpdateOrderWritesChangeAndHistoryTogether},
	{"UpdateOrderMovesTheActivationKey", testUpdateOrderMovesTheActivationKey},
	{"UpdateOrderMovesTheEmail", testUpdateOrderMovesTheEmail},
	{"UpdateOrderConcurrent", testUpdateOrderConcurrent},
	{"HistoryEntriesAtTheSameInstantAreAllKept", testHistoryEntriesAtTheSameInstantAreAllKept},
}

func testUpdateOrderWritesChangeAndHistoryTogether(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT500001", "a@b.example", BaseDate, 2)
	ImportOK(t, s, o)
	at := BaseDate.Add(time.Hour)

	err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		_, err := u.Activate(o.Order.ActivationKey, "PC-1", at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range o.Order.LicenseIDs {
		if l := MustLicense(t, s, id); l.Serial != "PC-1" || l.Version != 2 {
			t.Errorf("%s after activation: %+v", id, l)
		}
		hist, err := s.LicenseHistory(ctx, id)
		if err != nil || len(hist) != 1 || hist[0].Kind != domain.ChangeActivation || hist[0].After.Serial != "PC-1" || !hist[0].At.Equal(at) {
			t.Errorf("%s history: %+v %v", id, hist, err)
		}
	}
	// The operation sees the history written before: a second activation on the same computer changes nothing.
	err = s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		if len(u.History["JWT500001-1"]) != 1 || len(u.Licenses) != 2 || u.Licenses[1].ID != "JWT500001-2" {
			t.Errorf("the update sees %d licenses and history %+v", len(u.Licenses), u.History)
		}
		_, err := u.Activate(o.Order.ActivationKey, "PC-1", at.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if hist := must(s.LicenseHistory(ctx, "JWT500001-1")); len(hist) != 1 {
		t.Errorf("an activation that changed nothing was recorded: %d entries", len(hist))
	}

	// A change that fails writes nothing, not even part of what it did.
	refuse := errors.New("refused")
	err = s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.Licenses[0].Users = 99
		u.Order.ActivationKey = domain.NewActivationKey()
		u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: "JWT500001-1", At: at, Kind: domain.ChangeUpgrade})
		return refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("err %v, want the change's own error", err)
	}
	if l := MustLicense(t, s, "JWT500001-1"); l.Users == 99 {
		t.Error("a refused change was written")
	}
	if hist := must(s.LicenseHistory(ctx, "JWT500001-1")); len(hist) != 1 {
		t.Errorf("a refused change recorded history: %d entries", len(hist))
	}
	if _, found, _ := s.OrderByActivationKey(ctx, o.Order.ActivationKey); !found {
		t.Error("a refused change moved the activation key")
	}
	if err := s.UpdateOrder(ctx, "JWT999999", func(*domain.OrderUpdate) error { return nil }); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("update of a missing order: %v", err)
	}
}

func testUpdateOrderMovesTheActivationKey(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	a, b := NewOrder(t, "JWT500001", "a@b.example", BaseDate, 1), NewOrder(t, "JWT500002", "a@b.example", BaseDate, 1)
	ImportOK(t, s, a, b)
	newKey := domain.NewActivationKey()
	err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.ReissueKey(newKey, domain.ActorCustomer, BaseDate)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.OrderByActivationKey(ctx, a.Order.ActivationKey); found {
		t.Error("the old key still finds the order")
	}
	if o, found, _ := s.OrderByActivationKey(ctx, newKey); !found || o.Reference != "JWT500001" || o.ActivationKey != newKey {
		t.Error("the new key does not find the order")
	}
	if hist := must(s.LicenseHistory(ctx, "JWT500001-1")); len(hist) != 1 || hist[0].Kind != domain.ChangeKeyReissue {
		t.Errorf("history after a reissue: %+v", hist)
	}
	// Another order's key cannot be taken, and the refusal changes nothing.
	err = s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.ReissueKey(b.Order.ActivationKey, domain.ActorCustomer, BaseDate)
		return nil
	})
	if domain.KindOf(err) != domain.KindConflict {
		t.Errorf("taking another order's key: %v", err)
	}
	if o, _, _ := s.OrderByActivationKey(ctx, b.Order.ActivationKey); o.Reference != "JWT500002" {
		t.Error("another order lost its key")
	}
	if o := MustOrder(t, s, "JWT500001"); o.ActivationKey != newKey {
		t.Error("the refused key was written")
	}
	if hist := must(s.LicenseHistory(ctx, "JWT500001-1")); len(hist) != 1 {
		t.Errorf("the refused reissue was recorded: %+v", hist)
	}
	// The old key is free again for another order.
	c := NewOrder(t, "JWT500003", "c@b.example", BaseDate, 1)
	c.Order.ActivationKey = a.Order.ActivationKey
	ImportOK(t, s, c)
}

// testUpdateOrderMovesTheEmail: an order given another email is found by that
// one only, with its licenses, and by its new domain in a search.
func testUpdateOrderMovesTheEmail(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	ImportOK(t, s, NewOrder(t, "JWT500001", "old@before.example", BaseDate, 2), NewOrder(t, "JWT500002", "old@before.example", BaseDate, 1))
	err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.Order.Email = "new@after.example"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := refsOf(must(s.OrdersByEmail(ctx, "old@before.example"))); len(got) != 1 || got[0] != "JWT500002" {
		t.Errorf("orders of the old email: %v", got)
	}
	if got := idsOf(must(s.LicensesByEmail(ctx, "new@after.example"))); len(got) != 2 {
		t.Errorf("licenses of the new email: %v", got)
	}
	for q, want := range map[string]int{"new@after": 1, "after.example": 1, "before": 1, "old@": 1} {
		if res := must(s.SearchOrders(ctx, q)); len(res) != want {
			t.Errorf("search %q: %d results, want %d", q, len(res), want)
		}
	}
}

// testUpdateOrderConcurrent: concurrent changes of one order are retried, never lost.
func testUpdateOrderConcurrent(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	ImportOK(t, s, NewOrder(t, "JWT500001", "a@b.example", BaseDate, 1))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
					l := &u.Licenses[0]
					before := *l
					l.Users++
					l.Version++
					u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: l.ID, At: BaseDate.Add(time.Duration(w*100+i) * time.Second),
						Kind: domain.ChangeUpgrade, Before: before, After: *l})
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	l := MustLicense(t, s, "JWT500001-1")
	hist := must(s.LicenseHistory(ctx, "JWT500001-1"))
	if l.Users != 101 || l.Version != 101 || len(hist) != 100 {
		t.Errorf("after 100 concurrent changes: users %d, version %d, %d history entries", l.Users, l.Version, len(hist))
	}
	for i := 1; i < len(hist); i++ {
		if hist[i].At.Before(hist[i-1].At) {
			t.Fatal("history is not oldest first")
		}
	}
}

func testHistoryEntriesAtTheSameInstantAreAllKept(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	ImportOK(t, s, NewOrder(t, "JWT500001", "a@b.example", BaseDate, 1))
	for _, kind := range []domain.ChangeKind{domain.ChangeActivation, domain.ChangeRefresh, domain.ChangeRehost} {
		err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
			u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: "JWT500001-1", At: BaseDate, Kind: kind})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	hist := must(s.LicenseHistory(ctx, "JWT500001-1"))
	if len(hist) != 3 || hist[0].Kind != domain.ChangeActivation || hist[1].Kind != domain.ChangeRefresh || hist[2].Kind != domain.ChangeRehost {
		t.Errorf("history: %+v", hist)
	}
}
