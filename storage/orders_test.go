package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
	"portal/storage"
)

func TestImportOrdersStoresOrderLicensesAndIndexes(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()

	older := newOrder(t, "JWT100234", "marie@acme.example", baseDate, 2)
	newer := newOrder(t, "JWT100300", "marie@acme.example", baseDate.AddDate(0, 2, 0), 1)
	other := newOrder(t, "JWT100250", "paul@other.example", baseDate.AddDate(0, 1, 0), 1)
	importOK(t, s, older, other, newer)

	for _, o := range []domain.OrderWithLicenses{older, newer, other} {
		assertStored(t, s, o)
	}

	orders, err := s.OrdersByEmail(ctx, "marie@acme.example")
	if err != nil {
		t.Fatalf("OrdersByEmail: %v", err)
	}
	if got, want := refsOf(orders), []string{"JWT100300", "JWT100234"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OrdersByEmail(marie) = %v, want %v (newest first, only hers)", got, want)
	}
	if len(orders) == 2 && !reflect.DeepEqual(orders[1], older.Order) {
		t.Errorf("OrdersByEmail(marie)[1] = %+v, want %+v", orders[1], older.Order)
	}

	licenses, err := s.LicensesByEmail(ctx, "marie@acme.example")
	if err != nil {
		t.Fatalf("LicensesByEmail: %v", err)
	}
	if got, want := idsOf(licenses), []string{"JWT100300-1", "JWT100234-1", "JWT100234-2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("LicensesByEmail(marie) = %v, want %v", got, want)
	}

	paul, err := s.LicensesByEmail(ctx, "paul@other.example")
	if err != nil {
		t.Fatalf("LicensesByEmail: %v", err)
	}
	if got, want := idsOf(paul), []string{"JWT100250-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("LicensesByEmail(paul) = %v, want %v", got, want)
	}

	n, err := s.OrderCount(ctx)
	if err != nil || n != 3 {
		t.Errorf("OrderCount = %d, %v; want 3, nil", n, err)
	}

	// The activation key is indexed: another order with the same key is refused.
	thief := newOrder(t, "JWT999999", "eve@evil.example", baseDate, 1)
	thief.Order.ActivationKey = older.Order.ActivationKey
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{thief})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if domain.KindOf(results[0]) != domain.KindConflict {
		t.Errorf("order reusing a stored activation key: result %v, want a conflict", results[0])
	}
	assertNoOrder(t, s, "JWT999999")
}

func TestLookupsOfUnknownThingsFindNothing(t *testing.T) {
	s := mustOpenMem(t)
	ctx := context.Background()
	importOK(t, s, newOrder(t, "JWT1", "marie@acme.example", baseDate, 1))

	assertNoOrder(t, s, "JWT2")
	assertNoLicense(t, s, "JWT1-2")
	for _, email := range []string{"nobody@acme.example", "marie@acme.exampl", "marie@acme.example.org", "arie@acme.example", ""} {
		orders, err := s.OrdersByEmail(ctx, email)
		if err != nil || len(orders) != 0 {
			t.Errorf("OrdersByEmail(%q) = %v, %v; want none", email, refsOf(orders), err)
		}
		licenses, err := s.LicensesByEmail(ctx, email)
		if err != nil || len(licenses) != 0 {
			t.Errorf("LicensesByEmail(%q) = %v, %v; want none", email, idsOf(licenses), err)
		}
	}
}

func TestOrdersByEmailDoesNotMatchLongerEmails(t *testing.T) {
	s := mustOpenMem(t)
	ctx := context.Background()
	importOK(t, s,
		newOrder(t, "JWT1", "a@b.co", baseDate, 1),
		newOrder(t, "JWT2", "a@b.com", baseDate, 1),
		newOrder(t, "JWT3", "xa@b.co", baseDate, 1),
	)
	for email, want := range map[string][]string{"a@b.co": {"JWT1"}, "a@b.com": {"JWT2"}, "xa@b.co": {"JWT3"}} {
		orders, err := s.OrdersByEmail(ctx, email)
		if err != nil {
			t.Fatalf("OrdersByEmail(%s): %v", email, err)
		}
		if got := refsOf(orders); !reflect.DeepEqual(got, want) {
			t.Errorf("OrdersByEmail(%s) = %v, want %v", email, got, want)
		}
	}
}

func TestLicensesByEmailKeepsEachOrdersOwnLicenseOrder(t *testing.T) {
	s := mustOpenMem(t)
	o := newOrder(t, "JWT5", "marie@acme.example", baseDate, 12)
	importOK(t, s, o)
	licenses, err := s.LicensesByEmail(context.Background(), "marie@acme.example")
	if err != nil {
		t.Fatalf("LicensesByEmail: %v", err)
	}
	// JWT5-10, JWT5-11 and JWT5-12 sort before JWT5-2 as keys; the order's own list must win.
	if got, want := idsOf(licenses), o.Order.LicenseIDs; !reflect.DeepEqual(got, want) {
		t.Errorf("LicensesByEmail = %v, want %v", got, want)
	}
}

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

// TestImportOrdersSplitsABatchTooBigForOneTransaction imports far more than one
// Badger transaction holds; the store must split the batch and store every order.
func TestImportOrdersSplitsABatchTooBigForOneTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("large import")
	}
	const n = 2000
	orders := make([]domain.OrderWithLicenses, n)
	for i := range orders {
		orders[i] = bigOrder(t, i)
	}
	// Make sure the batch really is beyond one transaction of a default Badger.
	size, limit := batchBytes(t, orders), maxBatchSize(t)
	if size < 2*limit {
		t.Fatalf("the test batch holds %d bytes, not clearly more than Badger's %d per transaction", size, limit)
	}
	t.Logf("batch of %d orders: about %d bytes, %.1f times what one transaction holds", n, size, float64(size)/float64(limit))

	s := mustOpen(t)
	ctx := context.Background()
	start := time.Now()
	importOK(t, s, orders...)
	t.Logf("imported %d orders in %v", n, time.Since(start))

	if got, err := s.OrderCount(ctx); err != nil || got != n {
		t.Fatalf("OrderCount = %d, %v; want %d", got, err, n)
	}
	for i, o := range orders {
		got := mustOrder(t, s, o.Order.Reference)
		if !reflect.DeepEqual(got, o.Order) {
			t.Fatalf("order %d (%s) differs after import", i, o.Order.Reference)
		}
		if i%97 == 0 {
			assertStored(t, s, o)
		}
	}
	last := orders[n-1]
	assertStored(t, s, last)

	// Every license of every order of one email, and a re-import skips them all.
	licenses, err := s.LicensesByEmail(ctx, "buyer0@big.example")
	if err != nil {
		t.Fatalf("LicensesByEmail: %v", err)
	}
	want := 0
	for _, o := range orders {
		if o.Order.Email == "buyer0@big.example" {
			want += len(o.Licenses)
		}
	}
	if len(licenses) != want {
		t.Errorf("LicensesByEmail(buyer0) = %d licenses, want %d", len(licenses), want)
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

// batchBytes is roughly what the batch costs Badger: every key and JSON value.
func batchBytes(tb testing.TB, orders []domain.OrderWithLicenses) int64 {
	tb.Helper()
	var n int64
	for _, o := range orders {
		b, err := json.Marshal(o.Order)
		if err != nil {
			tb.Fatal(err)
		}
		n += int64(len(b) + len(o.Order.Reference) + 6)
		for _, l := range o.Licenses {
			b, err := json.Marshal(l)
			if err != nil {
				tb.Fatal(err)
			}
			n += int64(len(b) + len(l.ID) + 8)
		}
	}
	return n
}

// maxBatchSize is how many bytes one transaction of a default Badger may hold.
func maxBatchSize(tb testing.TB) int64 {
	tb.Helper()
	db, err := badger.Open(badger.DefaultOptions("").WithInMemory(true).WithLogger(nil))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	return db.MaxBatchSize()
}

func TestImportedDataSurvivesCloseAndReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	orders := []domain.OrderWithLicenses{
		newOrder(t, "JWT100234", "marie@acme.example", baseDate, 2),
		newOrder(t, "JWT100235", "marie@acme.example", baseDate.AddDate(0, 1, 0), 1),
		newOrder(t, "JWT100236", "paul@other.example", baseDate, 3),
	}
	product := domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SeatPrice: 4500, SupportPricePerSeatYear: 9000}
	sess := domain.Session{Email: "marie@acme.example", CreatedAt: baseDate}

	s, closeStore := mustOpenAt(t, dir)
	importOK(t, s, orders...)
	if _, err := s.SaveProduct(ctx, product); err != nil {
		t.Fatalf("SaveProduct: %v", err)
	}
	if err := s.CreateSession(ctx, "hash1", sess, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	closeStore()

	s, _ = mustOpenAt(t, dir)
	for _, o := range orders {
		assertStored(t, s, o)
	}
	got, err := s.OrdersByEmail(ctx, "marie@acme.example")
	if err != nil {
		t.Fatalf("OrdersByEmail: %v", err)
	}
	if refs, want := refsOf(got), []string{"JWT100235", "JWT100234"}; !reflect.DeepEqual(refs, want) {
		t.Errorf("OrdersByEmail after reopen = %v, want %v", refs, want)
	}
	licenses, err := s.LicensesByEmail(ctx, "paul@other.example")
	if err != nil || len(licenses) != 3 {
		t.Errorf("LicensesByEmail after reopen = %v, %v; want 3 licenses", idsOf(licenses), err)
	}
	p, found, err := s.Product(ctx, "Remote Work", "Standard")
	if err != nil || !found || p != product {
		t.Errorf("Product after reopen = %+v, %v, %v; want %+v", p, found, err, product)
	}
	gotSess, found, err := s.Session(ctx, "hash1")
	if err != nil || !found || gotSess != sess {
		t.Errorf("Session after reopen = %+v, %v, %v; want %+v", gotSess, found, err, sess)
	}

	// The activation keys and references are still taken.
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{orders[0]})
	if err != nil || !errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Errorf("re-import after reopen = %v, %v; want ErrAlreadyImported", results, err)
	}
	thief := newOrder(t, "JWT200000", "eve@evil.example", baseDate, 1)
	thief.Order.ActivationKey = orders[2].Order.ActivationKey
	results, err = s.ImportOrders(ctx, []domain.OrderWithLicenses{thief})
	if err != nil || domain.KindOf(results[0]) != domain.KindConflict {
		t.Errorf("reused activation key after reopen = %v, %v; want a conflict", results, err)
	}
}

func ExampleStore_ImportOrders() {
	s, err := storage.OpenInMemory(nilLogger())
	if err != nil {
		panic(err)
	}
	defer s.Close()
	o := domain.Order{Reference: "JWT1", Date: baseDate, Name: "Acme", Country: "FR", Email: "a@acme.example",
		Currency: "EUR", Items: []domain.Item{{Description: "Remote Work", Quantity: 1, UnitAmount: 100}},
		ActivationKey: domain.NewActivationKey(), LicenseIDs: []string{domain.LicenseID("JWT1", 1)}}
	l := domain.License{ID: domain.LicenseID("JWT1", 1), OrderRef: "JWT1", Software: "Remote Work", Edition: "Standard", Users: 1}
	batch := []domain.OrderWithLicenses{{Order: o, Licenses: []domain.License{l}}}
	for range 2 {
		results, err := s.ImportOrders(context.Background(), batch)
		fmt.Println(results, err)
	}
	// Output:
	// [<nil>] <nil>
	// [an order with this reference already exists] <nil>
}
