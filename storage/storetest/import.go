package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var importTests = []test{
	{"ImportTwiceChangesNothing", testImportTwiceChangesNothing},
	{"ImportSameReferenceTwiceInOneBatch", testImportSameReferenceTwiceInOneBatch},
	{"ImportSameActivationKeyInOneBatch", testImportSameActivationKeyInOneBatch},
	{"ImportMixedBatch", testImportMixedBatch},
	{"ImportEmptyBatch", testImportEmptyBatch},
	{"ImportCancelledContextStoresNothing", testImportCancelledContextStoresNothing},
	{"ImportConcurrentSameOrder", testImportConcurrentSameOrder},
	{"ImportAFullBatch", testImportAFullBatch},
}

func testImportTwiceChangesNothing(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	first := NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 2)
	ImportOK(t, s, first)

	// The same reference again, with everything else different.
	again := NewOrder(t, "JWT100234", "paul@other.example", BaseDate.AddDate(1, 0, 0), 3)
	again.Order.Name = "Someone Else"
	again.Licenses[0].Users = 500
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{again})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if len(results) != 1 || !errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Fatalf("second import: results %v, want [ErrAlreadyImported]", results)
	}
	AssertStored(t, s, first)
	AssertNoLicense(t, s, "JWT100234-3")
	if orders, _ := s.OrdersByEmail(ctx, "paul@other.example"); len(orders) != 0 {
		t.Errorf("the refused order was indexed under its email: %v", refsOf(orders))
	}
	if orders, _ := s.OrdersByEmail(ctx, "marie@acme.example"); len(orders) != 1 {
		t.Errorf("OrdersByEmail(marie) = %v, want one order", refsOf(orders))
	}
	// Its activation key was not taken either.
	fresh := NewOrder(t, "JWT100235", "paul@other.example", BaseDate, 1)
	fresh.Order.ActivationKey = again.Order.ActivationKey
	ImportOK(t, s, fresh)
}

func testImportSameReferenceTwiceInOneBatch(t *testing.T, h Harness) {
	s := h.open(t)
	a := NewOrder(t, "JWT7", "marie@acme.example", BaseDate, 1)
	b := NewOrder(t, "JWT7", "paul@other.example", BaseDate, 2)
	results, err := s.ImportOrders(context.Background(), []domain.OrderWithLicenses{a, b})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if results[0] != nil || !errors.Is(results[1], domain.ErrAlreadyImported) {
		t.Fatalf("results %v, want [nil ErrAlreadyImported]", results)
	}
	AssertStored(t, s, a)
	AssertNoLicense(t, s, "JWT7-2")
}

func testImportSameActivationKeyInOneBatch(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	first := NewOrder(t, "JWT100", "marie@acme.example", BaseDate, 1)
	second := NewOrder(t, "JWT101", "paul@other.example", BaseDate, 2)
	second.Order.ActivationKey = first.Order.ActivationKey
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{first, second})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if results[0] != nil {
		t.Errorf("first order: %v, want stored", results[0])
	}
	if domain.KindOf(results[1]) != domain.KindConflict || errors.Is(results[1], domain.ErrAlreadyImported) {
		t.Errorf("second order: %v, want a conflict that is not 'already imported'", results[1])
	}
	AssertStored(t, s, first)
	AssertNoOrder(t, s, "JWT101")
	AssertNoLicense(t, s, "JWT101-1")
	AssertNoLicense(t, s, "JWT101-2")
	if orders, _ := s.OrdersByEmail(ctx, "paul@other.example"); len(orders) != 0 {
		t.Errorf("the refused order was indexed under its email: %v", refsOf(orders))
	}
	// The refused order can come back later with a key of its own.
	second.Order.ActivationKey = domain.NewActivationKey()
	ImportOK(t, s, second)
	AssertStored(t, s, second)
}

func testImportMixedBatch(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	a := NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 1)
	b := NewOrder(t, "JWT2", "marie@acme.example", BaseDate.AddDate(0, 0, 1), 1)
	ImportOK(t, s, a, b)

	aAgain := NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 3)
	aAgain.Order.City = "Paris"
	c := NewOrder(t, "JWT3", "marie@acme.example", BaseDate.AddDate(0, 0, 2), 2)
	d := NewOrder(t, "JWT4", "paul@other.example", BaseDate.AddDate(0, 0, 3), 1)
	stealer := NewOrder(t, "JWT5", "eve@evil.example", BaseDate, 1)
	stealer.Order.ActivationKey = b.Order.ActivationKey

	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{aAgain, c, b, stealer, d})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if len(results) != 5 {
		t.Fatalf("%d results for 5 orders", len(results))
	}
	if !errors.Is(results[0], domain.ErrAlreadyImported) || results[1] != nil || !errors.Is(results[2], domain.ErrAlreadyImported) ||
		domain.KindOf(results[3]) != domain.KindConflict || errors.Is(results[3], domain.ErrAlreadyImported) || results[4] != nil {
		t.Errorf("results %v; want [already, stored, already, conflict, stored]", results)
	}
	AssertStored(t, s, a) // unchanged: still Lyon, one license
	AssertNoLicense(t, s, "JWT1-2")
	AssertStored(t, s, b)
	AssertStored(t, s, c)
	AssertStored(t, s, d)
	AssertNoOrder(t, s, "JWT5")
	if got, want := refsOf(must(s.OrdersByEmail(ctx, "marie@acme.example"))), []string{"JWT3", "JWT2", "JWT1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OrdersByEmail(marie) = %v, want %v", got, want)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 4 {
		t.Errorf("OrderCount = %d, %v; want 4", n, err)
	}
}

func testImportEmptyBatch(t *testing.T, h Harness) {
	s := h.open(t)
	results, err := s.ImportOrders(context.Background(), nil)
	if err != nil || len(results) != 0 {
		t.Errorf("ImportOrders(nil) = %v, %v; want no results, nil", results, err)
	}
}

func testImportCancelledContextStoresNothing(t *testing.T, h Harness) {
	s := h.open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 1)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ImportOrders with a cancelled context: %v, want context.Canceled", err)
	}
	AssertNoOrder(t, s, "JWT1")
}

func testImportConcurrentSameOrder(t *testing.T, h Harness) {
	s := h.open(t)
	const workers = 8
	o := NewOrder(t, "JWT42", "marie@acme.example", BaseDate, 3)
	var wg sync.WaitGroup
	results, errs := make([]error, workers), make([]error, workers)
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
	AssertStored(t, s, o)
}

// testImportAFullBatch imports one batch as large as the import sends
// (domain.ImportBatch orders) and then again: every order stored, then every
// one skipped.
func testImportAFullBatch(t *testing.T, h Harness) {
	if testing.Short() {
		t.Skip("large import")
	}
	s := h.open(t)
	ctx := context.Background()
	orders := make([]domain.OrderWithLicenses, domain.ImportBatch)
	for i := range orders {
		orders[i] = NewOrder(t, fmt.Sprintf("JWT%d", 200000+i), fmt.Sprintf("buyer%d@batch.example", i%50), BaseDate.Add(time.Duration(i)*time.Minute), 2)
	}
	start := time.Now()
	ImportOK(t, s, orders...)
	t.Logf("imported %d orders in %v", len(orders), time.Since(start))
	if n, err := s.OrderCount(ctx); err != nil || n != len(orders) {
		t.Fatalf("OrderCount = %d, %v; want %d", n, err, len(orders))
	}
	for i := 0; i < len(orders); i += 397 {
		AssertStored(t, s, orders[i])
	}
	if got := must(s.LicensesByEmail(ctx, "buyer7@batch.example")); len(got) != 2*len(orders)/50 {
		t.Errorf("LicensesByEmail(buyer7) = %d licenses, want %d", len(got), 2*len(orders)/50)
	}
	results, err := s.ImportOrders(ctx, orders)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	for i, r := range results {
		if !errors.Is(r, domain.ErrAlreadyImported) {
			t.Fatalf("re-import of order %d: %v, want ErrAlreadyImported", i, r)
		}
	}
}
