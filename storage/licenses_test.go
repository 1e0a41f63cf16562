package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

func TestUpdateOrderWritesChangeAndHistoryTogether(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	o := newOrder(t, "JWT500001", "a@b.example", baseDate, 2)
	importOK(t, s, o)
	at := baseDate.Add(time.Hour)

	err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		_, err := u.Activate(o.Order.ActivationKey, "PC-1", at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range o.Order.LicenseIDs {
		if l := mustLicense(t, s, id); l.Serial != "PC-1" || l.Version != 2 {
			t.Errorf("%s after activation: %+v", id, l)
		}
		h, err := s.LicenseHistory(ctx, id)
		if err != nil || len(h) != 1 || h[0].Kind != domain.ChangeActivation || h[0].After.Serial != "PC-1" {
			t.Errorf("%s history: %+v %v", id, h, err)
		}
	}

	// A change that fails writes nothing, not even part of what it did.
	refuse := errors.New("refused")
	err = s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.Licenses[0].Users = 99
		u.Order.ActivationKey = domain.NewActivationKey()
		return refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("err %v, want the change's own error", err)
	}
	if l := mustLicense(t, s, "JWT500001-1"); l.Users == 99 {
		t.Error("a refused change was written")
	}
	if _, found, _ := s.OrderByActivationKey(ctx, o.Order.ActivationKey); !found {
		t.Error("a refused change moved the activation key")
	}

	if err := s.UpdateOrder(ctx, "JWT999999", func(*domain.OrderUpdate) error { return nil }); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("update of a missing order: %v", err)
	}
}

func TestUpdateOrderMovesTheActivationKey(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	a, b := newOrder(t, "JWT500001", "a@b.example", baseDate, 1), newOrder(t, "JWT500002", "a@b.example", baseDate, 1)
	importOK(t, s, a, b)
	newKey := domain.NewActivationKey()
	err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.Order.ActivationKey = newKey
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.OrderByActivationKey(ctx, a.Order.ActivationKey); found {
		t.Error("the old key still finds the order")
	}
	if o, found, _ := s.OrderByActivationKey(ctx, newKey); !found || o.Reference != "JWT500001" {
		t.Error("the new key does not find the order")
	}
	// Another order's key cannot be taken.
	err = s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
		u.Order.ActivationKey = b.Order.ActivationKey
		return nil
	})
	if domain.KindOf(err) != domain.KindConflict {
		t.Errorf("taking another order's key: %v", err)
	}
	if o, _, _ := s.OrderByActivationKey(ctx, b.Order.ActivationKey); o.Reference != "JWT500002" {
		t.Error("another order lost its key")
	}
}

// TestUpdateOrderConcurrent: concurrent changes of one order are retried, never lost.
func TestUpdateOrderConcurrent(t *testing.T) {
	ctx := context.Background()
	s := mustOpenMem(t)
	importOK(t, s, newOrder(t, "JWT500001", "a@b.example", baseDate, 1))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
					l := &u.Licenses[0]
					before := *l
					l.Users++
					l.Version++
					u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: l.ID, At: baseDate.Add(time.Duration(w*100+i) * time.Second),
						Kind: domain.ChangeUpgrade, Before: before, After: *l})
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	l := mustLicense(t, s, "JWT500001-1")
	h, _ := s.LicenseHistory(ctx, "JWT500001-1")
	if l.Users != 101 || l.Version != 101 || len(h) != 100 {
		t.Errorf("after 100 concurrent changes: users %d, version %d, %d history entries", l.Users, l.Version, len(h))
	}
	for i := 1; i < len(h); i++ {
		if h[i].At.Before(h[i-1].At) {
			t.Fatal("history is not oldest first")
		}
	}
}

func TestHistoryEntriesAtTheSameInstantAreAllKept(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	importOK(t, s, newOrder(t, "JWT500001", "a@b.example", baseDate, 1))
	for _, kind := range []domain.ChangeKind{domain.ChangeActivation, domain.ChangeRefresh, domain.ChangeRehost} {
		err := s.UpdateOrder(ctx, "JWT500001", func(u *domain.OrderUpdate) error {
			u.Recorded = append(u.Recorded, domain.HistoryEntry{LicenseID: "JWT500001-1", At: baseDate, Kind: kind})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	h, _ := s.LicenseHistory(ctx, "JWT500001-1")
	if len(h) != 3 || h[0].Kind != domain.ChangeActivation || h[2].Kind != domain.ChangeRehost {
		t.Errorf("history: %+v", h)
	}
}
