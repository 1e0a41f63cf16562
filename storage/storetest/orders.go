package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"portal/domain"
)

var orderTests = []test{
	{"FreshStoreIsEmpty", testFreshStoreIsEmpty},
	{"ImportStoresOrderLicensesAndIndexes", testImportStoresOrderLicensesAndIndexes},
	{"LookupsOfUnknownThingsFindNothing", testLookupsOfUnknownThingsFindNothing},
	{"OrdersByEmailDoesNotMatchLongerEmails", testOrdersByEmailDoesNotMatchLongerEmails},
	{"LicensesByEmailKeepsEachOrdersOwnLicenseOrder", testLicensesByEmailKeepsEachOrdersOwnLicenseOrder},
	{"LicensesAreListedInTheOrderAsked", testLicensesAreListedInTheOrderAsked},
	{"DataSurvivesCloseAndReopen", testDataSurvivesCloseAndReopen},
}

func testFreshStoreIsEmpty(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping on a fresh store: %v", err)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 0 {
		t.Errorf("OrderCount on a fresh store = %d, %v; want 0", n, err)
	}
	if p, err := s.Products(ctx); err != nil || len(p) != 0 {
		t.Errorf("Products on a fresh store = %v, %v; want none", p, err)
	}
	if o, err := s.OrdersByEmail(ctx, "marie@acme.example"); err != nil || len(o) != 0 {
		t.Errorf("OrdersByEmail on a fresh store = %v, %v; want none", o, err)
	}
	if a, err := s.Audit(ctx, 10); err != nil || len(a) != 0 {
		t.Errorf("Audit on a fresh store = %v, %v; want none", a, err)
	}
}

func testImportStoresOrderLicensesAndIndexes(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	older := NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 2)
	newer := NewOrder(t, "JWT100300", "marie@acme.example", BaseDate.AddDate(0, 2, 0), 1)
	other := NewOrder(t, "JWT100250", "paul@other.example", BaseDate.AddDate(0, 1, 0), 1)
	ImportOK(t, s, older, other, newer)
	for _, o := range []domain.OrderWithLicenses{older, newer, other} {
		AssertStored(t, s, o)
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
	if got := idsOf(must(s.LicensesByEmail(ctx, "paul@other.example"))); !reflect.DeepEqual(got, []string{"JWT100250-1"}) {
		t.Errorf("LicensesByEmail(paul) = %v, want [JWT100250-1]", got)
	}
	if o, found, err := s.OrderByActivationKey(ctx, older.Order.ActivationKey); err != nil || !found || o.Reference != "JWT100234" {
		t.Errorf("OrderByActivationKey = %s, %v, %v; want JWT100234", o.Reference, found, err)
	}
	if n, err := s.OrderCount(ctx); err != nil || n != 3 {
		t.Errorf("OrderCount = %d, %v; want 3, nil", n, err)
	}

	// The activation key is indexed: another order with the same key is refused.
	thief := NewOrder(t, "JWT999999", "eve@evil.example", BaseDate, 1)
	thief.Order.ActivationKey = older.Order.ActivationKey
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{thief})
	if err != nil {
		t.Fatalf("ImportOrders: %v", err)
	}
	if domain.KindOf(results[0]) != domain.KindConflict || errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Errorf("order reusing a stored activation key: result %v, want a conflict", results[0])
	}
	AssertNoOrder(t, s, "JWT999999")
	AssertNoLicense(t, s, "JWT999999-1")
}

// testLookupsOfUnknownThingsFindNothing: nothing that was not stored is found,
// whatever is asked, including text no database column can hold (a NUL,
// invalid UTF-8): such a look-up finds nothing rather than failing.
func testLookupsOfUnknownThingsFindNothing(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	ImportOK(t, s, NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 1))
	AssertNoOrder(t, s, "JWT2")
	AssertNoLicense(t, s, "JWT1-2")
	odd := []string{"JWT1\x00", "\xff\xfe", "marie@acme.example\x00", "\x00"}
	for _, v := range odd {
		AssertNoOrder(t, s, v)
		AssertNoLicense(t, s, v)
		if _, found, err := s.OrderByActivationKey(ctx, v); err != nil || found {
			t.Errorf("OrderByActivationKey(%q): found %v, %v", v, found, err)
		}
		if _, found, err := s.Session(ctx, v); err != nil || found {
			t.Errorf("Session(%q): found %v, %v", v, found, err)
		}
		if _, found, err := s.StaffUser(ctx, v); err != nil || found {
			t.Errorf("StaffUser(%q): found %v, %v", v, found, err)
		}
		if _, found, err := s.Purchase(ctx, v); err != nil || found {
			t.Errorf("Purchase(%q): found %v, %v", v, found, err)
		}
		if _, found, err := s.Product(ctx, v, v); err != nil || found {
			t.Errorf("Product(%q): found %v, %v", v, found, err)
		}
		if hist, err := s.LicenseHistory(ctx, v); err != nil || len(hist) != 0 {
			t.Errorf("LicenseHistory(%q) = %v, %v", v, hist, err)
		}
		if err := s.UpdateOrder(ctx, v, func(*domain.OrderUpdate) error { return nil }); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("UpdateOrder(%q): %v, want not found", v, err)
		}
	}
	for _, email := range append([]string{"nobody@acme.example", "marie@acme.exampl", "marie@acme.example.org", "arie@acme.example", ""}, odd...) {
		if orders, err := s.OrdersByEmail(ctx, email); err != nil || len(orders) != 0 {
			t.Errorf("OrdersByEmail(%q) = %v, %v; want none", email, refsOf(orders), err)
		}
		if licenses, err := s.LicensesByEmail(ctx, email); err != nil || len(licenses) != 0 {
			t.Errorf("LicensesByEmail(%q) = %v, %v; want none", email, idsOf(licenses), err)
		}
		if purchases, err := s.PurchasesByEmail(ctx, email); err != nil || len(purchases) != 0 {
			t.Errorf("PurchasesByEmail(%q) = %v, %v; want none", email, purchases, err)
		}
	}
}

func testOrdersByEmailDoesNotMatchLongerEmails(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	ImportOK(t, s,
		NewOrder(t, "JWT1", "a@b.co", BaseDate, 1),
		NewOrder(t, "JWT2", "a@b.com", BaseDate, 1),
		NewOrder(t, "JWT3", "xa@b.co", BaseDate, 1),
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

func testLicensesByEmailKeepsEachOrdersOwnLicenseOrder(t *testing.T, h Harness) {
	s := h.open(t)
	o := NewOrder(t, "JWT5", "marie@acme.example", BaseDate, 12)
	ImportOK(t, s, o)
	licenses, err := s.LicensesByEmail(context.Background(), "marie@acme.example")
	if err != nil {
		t.Fatalf("LicensesByEmail: %v", err)
	}
	// JWT5-10, JWT5-11 and JWT5-12 sort before JWT5-2 as text; the order's own list must win.
	if got, want := idsOf(licenses), o.Order.LicenseIDs; !reflect.DeepEqual(got, want) {
		t.Errorf("LicensesByEmail = %v, want %v", got, want)
	}
}

// testLicensesAreListedInTheOrderAsked: an order's page reads its licenses at
// once, in the order's own list, leaving out ids that name nothing.
func testLicensesAreListedInTheOrderAsked(t *testing.T, h Harness) {
	s := h.open(t)
	o := NewOrder(t, "JWT5", "marie@acme.example", BaseDate, 12)
	ImportOK(t, s, o, NewOrder(t, "JWT6", "paul@acme.example", BaseDate, 1))
	ask := append([]string{"JWT6-1", "JWT9-1", "\xff", "JWT5-1\x00"}, o.Order.LicenseIDs...)
	licenses, err := s.Licenses(context.Background(), ask)
	if err != nil {
		t.Fatalf("Licenses: %v", err)
	}
	if got, want := idsOf(licenses), append([]string{"JWT6-1"}, o.Order.LicenseIDs...); !reflect.DeepEqual(got, want) {
		t.Errorf("Licenses(%v) = %v, want %v", ask, got, want)
	}
	for i, l := range licenses[1:] {
		if !reflect.DeepEqual(l, o.Licenses[i]) {
			t.Errorf("Licenses: %+v, want %+v", l, o.Licenses[i])
		}
	}
	if none, err := s.Licenses(context.Background(), nil); err != nil || len(none) != 0 {
		t.Errorf("Licenses(nil) = %v, %v", none, err)
	}
}

func testDataSurvivesCloseAndReopen(t *testing.T, h Harness) {
	ctx := context.Background()
	place := h.Fresh(t)
	orders := []domain.OrderWithLicenses{
		NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 2),
		NewOrder(t, "JWT100235", "marie@acme.example", BaseDate.AddDate(0, 1, 0), 1),
		NewOrder(t, "JWT100236", "paul@other.example", BaseDate, 3),
	}
	product := domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SeatPrice: 4500, SupportPricePerSeatYear: 9000}
	sess := domain.Session{Email: "marie@acme.example", CreatedAt: BaseDate}

	s, closeStore := h.openAt(t, place)
	ImportOK(t, s, orders...)
	if _, err := s.SaveProduct(ctx, product); err != nil {
		t.Fatalf("SaveProduct: %v", err)
	}
	if err := s.CreateSession(ctx, "hash1", sess, time.Hour); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	closeStore()

	s, _ = h.openAt(t, place)
	for _, o := range orders {
		AssertStored(t, s, o)
	}
	if refs, want := refsOf(must(s.OrdersByEmail(ctx, "marie@acme.example"))), []string{"JWT100235", "JWT100234"}; !reflect.DeepEqual(refs, want) {
		t.Errorf("OrdersByEmail after reopen = %v, want %v", refs, want)
	}
	if licenses, err := s.LicensesByEmail(ctx, "paul@other.example"); err != nil || len(licenses) != 3 {
		t.Errorf("LicensesByEmail after reopen = %v, %v; want 3 licenses", idsOf(licenses), err)
	}
	if p, found, err := s.Product(ctx, "Remote Work", "Standard"); err != nil || !found || p != product {
		t.Errorf("Product after reopen = %+v, %v, %v; want %+v", p, found, err, product)
	}
	if got, found, err := s.Session(ctx, "hash1"); err != nil || !found || got != sess {
		t.Errorf("Session after reopen = %+v, %v, %v; want %+v", got, found, err, sess)
	}
	// The activation keys and references are still taken.
	results, err := s.ImportOrders(ctx, []domain.OrderWithLicenses{orders[0]})
	if err != nil || !errors.Is(results[0], domain.ErrAlreadyImported) {
		t.Errorf("re-import after reopen = %v, %v; want ErrAlreadyImported", results, err)
	}
	thief := NewOrder(t, "JWT200000", "eve@evil.example", BaseDate, 1)
	thief.Order.ActivationKey = orders[2].Order.ActivationKey
	results, err = s.ImportOrders(ctx, []domain.OrderWithLicenses{thief})
	if err != nil || domain.KindOf(results[0]) != domain.KindConflict {
		t.Errorf("reused activation key after reopen = %v, %v; want a conflict", results, err)
	}
}
