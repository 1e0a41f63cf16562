package storage_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"portal/domain"
)

func TestImportOrdersTwiceChangesNothing(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	first := newOrder(t, "JWT100234", "marie@acme.example", baseDate, 2)
	importOK(t, s, first)

	// The same reference again, with everything else different.
	again := newOrder(t, "JWT100234", "paul@other.example", baseDate.AddDate(1, 0, 0), 3)
	again.Order.Name = "Someone Else"
	again.Licenses[0].Users = 500
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{again})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if len(results) != 1 || !errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Fatalf("second import: results %v, want [ErrAlreadyImported]", results)
	}

	assertStored(t, s, first)
	assertNoLicense(t, s, "JWT100234-3")
	if orders, _ := s.OrdersByEmail(ctx, "paul@other.example"); len(orders) != 0 {
		t.Errorf("the refused order was indexed under its email: %v", refsOf(orders))
	}
	if orders, _ := s.OrdersByEmail(ctx, "marie@acme.example"); len(orders) != 1 {
		t.Errorf("OrdersByEmail(marie) = %v, want one order", refsOf(orders))
	}
	// Its activation key was not taken either.
	fresh := newOrder(t, "JWT100235", "paul@other.example", baseDate, 1)
	fresh.Order.ActivationKey = again.Order.ActivationKey
	importOK(t, s, fresh)
}

func TestImportOrdersSameReferenceTwiceInOneBatch(t *testing.T) {
	s := mustOpenMem(t)
	a := newOrder(t, "JWT7", "marie@acme.example", baseDate, 1)
	b := newOrder(t, "JWT7", "paul@other.example", baseDate, 2)
	results, err := s.ImportOrders(context.Background(), []domain.OrderWithLicenses{a, b})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if results[0] != nil || !errors.Is(results[1], domain.ErrAlreadyImported) {
		t.Fatalf("results %v, want [nil ErrAlreadyImported]", results)
	}
	assertStored(t, s, a)
	assertNoLicense(t, s, "JWT7-2")
}

func TestImportOrdersSameActivationKeyInOneBatch(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	first := newOrder(t, "JWT100", "marie@acme.example", baseDate, 1)
	second := newOrder(t, "JWT101", "paul@other.example", baseDate, 2)
	second.Order.ActivationKey = first.Order.ActivationKey

	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{first, second})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if results[0] != nil {
		t.Errorf("first order: %v, want stored", results[0])
	}
	if results[1] == nil || domain.KindOf(results[1]) != domain.KindConflict {
		t.Errorf("second order: %v, want a conflict error", results[1])
	}
	if errors.Is(results[1], domain.ErrAlreadyImported) {
		t.Errorf("second order: %v, must not be reported as already imported", results[1])
	}

	assertStored(t, s, first)
	assertNoOrder(t, s, "JWT101")
	assertNoLicense(t, s, "JWT101-1")
	assertNoLicense(t, s, "JWT101-2")
	if orders, _ := s.OrdersByEmail(ctx, "paul@other.example"); len(orders) != 0 {
		t.Errorf("the refused order was indexed under its email: %v", refsOf(orders))
	}
	// The refused order can come back later with a key of its own.
	second.Order.ActivationKey = domain.NewActivationKey()
	importOK(t, s, second)
	assertStored(t, s, second)
}

func TestImportOrdersMixedBatch(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	a := newOrder(t, "JWT1", "marie@acme.example", baseDate, 1)
	b := newOrder(t, "JWT2", "marie@acme.example", baseDate.AddDate(0, 0, 1), 1)
	importOK(t, s, a, b)

	aAgain := newOrder(t, "JWT1", "marie@acme.example", baseDate, 3)
	aAgain.Order.City = "Paris"
	c := newOrder(t, "JWT3", "marie@acme.example", baseDate.AddDate(0, 0, 2), 2)
	bAgain := b
	d := newOrder(t, "JWT4", "paul@other.example", baseDate.AddDate(0, 0, 3), 1)
	stealer := newOrder(t, "JWT5", "eve@evil.example", baseDate, 1)
	stealer.Order.ActivationKey = b.Order.ActivationKey

	batch := []domain.OrderWithLicenses{aAgain, c, bAgain, stealer, d}
	results, err := s.ImportOrders(ctx, batch)
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if len(results) != len(batch) {
		t.Fatalf("%d results for %d orders", len(results), len(batch))
	}
	if !errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Errorf("JWT1 again: %v, want ErrAlreadyImported", results[0])
	}
	if results[1] != nil {
		t.Errorf("JWT3: %v, want stored", results[1])
	}
	if !errors.Is(results[2], domain.ErrAlreadyImported) {
		t.Errorf("JWT2 again: %v, want ErrAlreadyImported", results[2])
	}
	if domain.KindOf(results[3]) != domain.KindConflict {
		t.Errorf("JWT5 with JWT2's key: %v, want a conflict", results[3])
	}
	if results[4] != nil {
		t.Errorf("JWT4: %v, want stored", results[4])
	}

	assertStored(t, s, a) // unchanged: still Lyon, one license
	assertNoLicense(t, s, "JWT1-2")
	assertStored(t, s, b)
	assertStored(t, s, c)
	assertStored(t, s, d)
	assertNoOrder(t, s, "JWT5")

	orders, err := s.OrdersByEmail(ctx, "marie@acme.example")
	if err != nil {
		t.Fatalf("OrdersByEmail: %v", err)
	}
	if got, want := refsOf(orders), []string{"JWT3", "JWT2", "JWT1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OrdersByEmail(marie) = %v, want %v", got, want)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 4 {
		t.Errorf("OrderCount = %d, %v; want 4", n, err)
	}
}

func TestImportOrdersEmptyBatch(t *testing.T) {
	s := mustOpenMem(t)
	results, err := s.ImportOrders(context.Background(), nil)
	if err != nil || len(results) != 0 {
		t.Errorf("ImportOrders(nil) = %v, %v; want no results, nil", results, err)
	}
}

func TestImportOrdersCancelledContextStoresNothing(t *testing.T) {
	s := mustOpenMem(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{newOrder(t, "JWT1", "marie@acme.example", baseDate, 1)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ImportOrders with a cancelled context: %v, want context.Canceled", err)
	}
	assertNoOrder(t, s, "JWT1")
}

func TestImportOrdersConcurrentSameOrder(t *testing.T) {
	s := mustOpen(t)
	const workers = 8
	o := newOrder(t, "JWT42", "marie@acme.example", baseDate, 3)
	var wg sync.WaitGroup
	results := make([]error, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Go(func() {
			r, err := s.ImportOrders(context.Background(), []domain.OrderWithLicenses{o})
			errs[i] = err
			if err == nil {
				results[i] = r[0]
			}
		})
	}
	wg.Wait()
	stored, skipped := 0, 0
	for i := range workers {
		switch {
		case errs[i] != nil:
			t.Errorf("worker %d: store error %v", i, errs[i])
		case results[i] == nil:
			stored++
		case errors.Is(results[i], domain.ErrAlreadyImported):
			skipped++
		default:
			t.Errorf("worker %d: result %v", i, results[i])
		}
	}
	if stored != 1 || skipped != workers-1 {
		t.Errorf("stored %d, skipped %d; want 1 and %d", stored, skipped, workers-1)
	}
	assertStored(t, s, o)
}
