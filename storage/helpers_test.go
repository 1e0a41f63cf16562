package storage_test

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
	"portal/storage"
)

// testLogger sends Badger's warnings and errors to the test's output, so that they
// show up when a test fails or runs with -v.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// mustOpen opens a durable store in a fresh temporary folder, closed when the test ends.
func mustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s, _ := mustOpenAt(tb, tb.TempDir())
	return s
}

// mustOpenAt opens the store in dir. The returned close function may be called by
// the test (to reopen the folder); it is also run when the test ends, at most once.
func mustOpenAt(tb testing.TB, dir string) (*storage.Store, func()) {
	tb.Helper()
	s, err := storage.Open(dir, testLogger(tb))
	if err != nil {
		tb.Fatalf("storage.Open(%q): %v", dir, err)
	}
	var once sync.Once
	closeFn := func() {
		once.Do(func() {
			if err := s.Close(); err != nil {
				tb.Errorf("Close: %v", err)
			}
		})
	}
	tb.Cleanup(closeFn)
	return s, closeFn
}

// mustOpenMem opens an in-memory store, for tests where durability is not the point.
func mustOpenMem(tb testing.TB) *storage.Store {
	tb.Helper()
	s, err := storage.OpenInMemory(testLogger(tb))
	if err != nil {
		tb.Fatalf("storage.OpenInMemory: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

var baseDate = time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC)

// newOrder builds a valid order as the import would: nLicenses licenses with IDs
// from domain.LicenseID, a fresh activation key, normalised by Validate.
func newOrder(tb testing.TB, ref, email string, date time.Time, nLicenses int) domain.OrderWithLicenses {
	tb.Helper()
	o := domain.Order{
		Reference:     ref,
		Date:          date,
		Name:          "Acme SARL",
		Country:       "FR",
		City:          "Lyon",
		ContactName:   "Marie Dupont",
		Email:         email,
		Currency:      "EUR",
		Items:         []domain.Item{{Description: "Remote Work Standard, 5 workstations", Quantity: 1, UnitAmount: 45000}},
		ActivationKey: domain.NewActivationKey(),
		Source:        domain.SourceImport,
	}
	if err := o.Validate(); err != nil {
		tb.Fatalf("test order %s is invalid: %v", ref, err)
	}
	start := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	licenses := make([]domain.License, nLicenses)
	for i := range licenses {
		l := domain.License{
			ID:           domain.LicenseID(o.Reference, i+1),
			OrderRef:     o.Reference,
			Software:     "Remote Work",
			Edition:      "Standard",
			Users:        i + 1,
			PurchasedAt:  o.Date,
			SupportStart: start,
			SupportEnd:   start.AddDate(1, 0, 0),
			Version:      1,
		}
		if err := l.Validate(); err != nil {
			tb.Fatalf("test license %s is invalid: %v", l.ID, err)
		}
		licenses[i] = l
		o.LicenseIDs = append(o.LicenseIDs, l.ID)
	}
	return domain.OrderWithLicenses{Order: o, Licenses: licenses}
}

// bigOrder is an order as large as the domain's limits allow in spirit: many items
// with long descriptions and many licenses.
func bigOrder(tb testing.TB, n int) domain.OrderWithLicenses {
	tb.Helper()
	ref := fmt.Sprintf("JWT%07d", n)
	o := newOrder(tb, ref, fmt.Sprintf("buyer%d@big.example", n%97), baseDate.Add(time.Duration(n)*time.Minute), 20)
	o.Order.Items = nil
	for i := range 20 {
		desc := fmt.Sprintf("Item %d of order %s: ", i+1, ref)
		desc += strings.Repeat("x", 200-len(desc))
		o.Order.Items = append(o.Order.Items, domain.Item{Description: desc, Quantity: 1, UnitAmount: 1000})
	}
	if err := o.Order.Validate(); err != nil {
		tb.Fatalf("big order %s is invalid: %v", ref, err)
	}
	return o
}

func importOK(tb testing.TB, s *storage.Store, orders ...domain.OrderWithLicenses) {
	tb.Helper()
	results, err := s.ImportOrders(context.Background(), orders)
	if err != nil {
		tb.Fatalf("ImportOrders: %v", err)
	}
	if len(results) != len(orders) {
		tb.Fatalf("ImportOrders answered %d results for %d orders", len(results), len(orders))
	}
	for i, r := range results {
		if r != nil {
			tb.Fatalf("ImportOrders: order %d (%s): %v", i, orders[i].Order.Reference, r)
		}
	}
}

func mustOrder(tb testing.TB, s *storage.Store, ref string) domain.Order {
	tb.Helper()
	o, found, err := s.Order(context.Background(), ref)
	if err != nil {
		tb.Fatalf("Order(%s): %v", ref, err)
	}
	if !found {
		tb.Fatalf("Order(%s): not found", ref)
	}
	return o
}

func mustLicense(tb testing.TB, s *storage.Store, id string) domain.License {
	tb.Helper()
	l, found, err := s.License(context.Background(), id)
	if err != nil {
		tb.Fatalf("License(%s): %v", id, err)
	}
	if !found {
		tb.Fatalf("License(%s): not found", id)
	}
	return l
}

func assertNoOrder(tb testing.TB, s *storage.Store, ref string) {
	tb.Helper()
	_, found, err := s.Order(context.Background(), ref)
	if err != nil {
		tb.Fatalf("Order(%s): %v", ref, err)
	}
	if found {
		tb.Errorf("Order(%s) found, want none", ref)
	}
}

func assertNoLicense(tb testing.TB, s *storage.Store, id string) {
	tb.Helper()
	_, found, err := s.License(context.Background(), id)
	if err != nil {
		tb.Fatalf("License(%s): %v", id, err)
	}
	if found {
		tb.Errorf("License(%s) found, want none", id)
	}
}

// assertStored checks that the order and each of its licenses read back equal.
func assertStored(tb testing.TB, s *storage.Store, want domain.OrderWithLicenses) {
	tb.Helper()
	got := mustOrder(tb, s, want.Order.Reference)
	if !reflect.DeepEqual(got, want.Order) {
		tb.Errorf("Order(%s):\n got %+v\nwant %+v", want.Order.Reference, got, want.Order)
	}
	for _, wl := range want.Licenses {
		gl := mustLicense(tb, s, wl.ID)
		if !reflect.DeepEqual(gl, wl) {
			tb.Errorf("License(%s):\n got %+v\nwant %+v", wl.ID, gl, wl)
		}
	}
}

func refsOf(orders []domain.Order) []string {
	refs := make([]string, len(orders))
	for i, o := range orders {
		refs[i] = o.Reference
	}
	return refs
}

func idsOf(licenses []domain.License) []string {
	ids := make([]string, len(licenses))
	for i, l := range licenses {
		ids[i] = l.ID
	}
	return ids
}

// nilLogger discards everything, for examples and benchmarks.
func nilLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
