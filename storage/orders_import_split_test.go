package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
	"portal/storage/storetest"
)

// TestImportOrdersSplitsABatchTooBigForOneTransaction imports far more than one
// Badger transaction holds; the store must split the batch and store every order.
func TestImportOrdersSplitsABatchTooBigForOneTransaction(t *testing.T) {
	if testing.Short() {
		t.Skip("large import")
	}
	const n = 2000
	orders := make([]domain.OrderWithLicenses, n)
	for i := range orders {
		orders[i] = storetest.BigOrder(t, i)
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
	storetest.ImportOK(t, s, orders...)
	t.Logf("imported %d orders in %v", n, time.Since(start))

	if got, err := s.OrderCount(ctx); err != nil || got != n {
		t.Fatalf("OrderCount = %d, %v; want %d", got, err, n)
	}
	for i, o := range orders {
		got := storetest.MustOrder(t, s, o.Order.Reference)
		if !reflect.DeepEqual(got, o.Order) {
			t.Fatalf("order %d (%s) differs after import", i, o.Order.Reference)
		}
		if i%97 == 0 {
			storetest.AssertStored(t, s, o)
		}
	}
	last := orders[n-1]
	storetest.AssertStored(t, s, last)

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
