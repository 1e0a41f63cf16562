package storage_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

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
