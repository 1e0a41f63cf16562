package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// BaseDate is the date of the suite's orders.
var BaseDate = time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC)

// NewOrder builds a valid order as the import would: nLicenses licenses with IDs
// from domain.LicenseID, a fresh activation key, normalised by Validate.
func NewOrder(tb testing.TB, ref, email string, date time.Time, nLicenses int) domain.OrderWithLicenses {
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
		// A number of its own, as an import line may give: the tests of the
		// series (invoices.go) make orders without one.
		Invoices: []domain.Invoice{{Number: "INV-" + ref, Issued: date}},
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

// BigOrder is an order as large as the domain's limits allow in spirit: many
// items with long descriptions and many licenses.
func BigOrder(tb testing.TB, n int) domain.OrderWithLicenses {
	tb.Helper()
	ref := fmt.Sprintf("JWT%07d", n)
	o := NewOrder(tb, ref, fmt.Sprintf("buyer%d@big.example", n%97), BaseDate.Add(time.Duration(n)*time.Minute), 20)
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

// Importer is the part of a store that ImportOK needs.
type Importer interface {
	ImportOrders(ctx context.Context, orders []domain.OrderWithLicenses) ([]error, error)
}

// ImportOK imports orders and fails the test unless every one is stored.
func ImportOK(tb testing.TB, s Importer, orders ...domain.OrderWithLicenses) {
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

// Reader is the part of a store that the look-up helpers need.
type Reader interface {
	Order(ctx context.Context, ref string) (domain.Order, bool, error)
	License(ctx context.Context, id string) (domain.License, bool, error)
}

// MustOrder reads the order ref, failing the test if it is not there.
func MustOrder(tb testing.TB, s Reader, ref string) domain.Order {
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

// MustLicense reads the license id, failing the test if it is not there.
func MustLicense(tb testing.TB, s Reader, id string) domain.License {
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

// AssertNoOrder fails the test if the order ref is there.
func AssertNoOrder(tb testing.TB, s Reader, ref string) {
	tb.Helper()
	_, found, err := s.Order(context.Background(), ref)
	if err != nil {
		tb.Fatalf("Order(%s): %v", ref, err)
	}
	if found {
		tb.Errorf("Order(%s) found, want none", ref)
	}
}

// AssertNoLicense fails the test if the license id is there.
func AssertNoLicense(tb testing.TB, s Reader, id string) {
	tb.Helper()
	_, found, err := s.License(context.Background(), id)
	if err != nil {
		tb.Fatalf("License(%s): %v", id, err)
	}
	if found {
		tb.Errorf("License(%s) found, want none", id)
	}
}

// AssertStored checks that the order and each of its licenses read back equal.
func AssertStored(tb testing.TB, s Reader, want domain.OrderWithLicenses) {
	tb.Helper()
	got := MustOrder(tb, s, want.Order.Reference)
	if !reflect.DeepEqual(got, want.Order) {
		tb.Errorf("Order(%s):\n got %+v\nwant %+v", want.Order.Reference, got, want.Order)
	}
	for _, wl := range want.Licenses {
		gl := MustLicense(tb, s, wl.ID)
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

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// upgradeProduct is a catalog entry whose licenses can be upgraded and renewed.
var upgradeProduct = domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}

// newPurchase locks a quote for adding users to l, as Buy does, at now.
func newPurchase(tb testing.TB, l domain.License, email string, add int, now time.Time) domain.Purchase {
	tb.Helper()
	q, err := domain.QuoteUpgrade(l, upgradeProduct, add, now)
	if err != nil {
		tb.Fatal(err)
	}
	return domain.NewUpgradePurchase(q, l, email, now)
}

// openPurchase stores a locked quote with its payment page, as Buy does.
func openPurchase(tb testing.TB, s Backend, p domain.Purchase) {
	tb.Helper()
	ctx := context.Background()
	if err := s.CreatePurchase(ctx, p); err != nil {
		tb.Fatal(err)
	}
	if err := s.SetPurchaseCheckout(ctx, p.ID, domain.CheckoutSession{ID: "cs_" + p.ID, URL: "https://pay.example/" + p.ID}); err != nil {
		tb.Fatal(err)
	}
}

// payment is the payment of p in full on its own payment page, at.
func payment(event string, p domain.Purchase, at time.Time) domain.Payment {
	return domain.Payment{EventID: event, PurchaseID: p.ID, SessionID: "cs_" + p.ID, Amount: p.Amount, Currency: p.Currency, At: at}
}

// TestSeller issues the invoices of the suite's fulfilments.
var TestSeller = domain.Seller{Name: "Vendor SAS", Address: []string{"1 rue de la Paix", "75002 Paris", "FR"},
	VATID: "FR12345678901", InvoicePrefix: "INV-"}

// jwtNumbering numbers the suite's fulfilments: JWT orders, INV- invoices.
var jwtNumbering = domain.Numbering{OrderPrefix: "JWT", Seller: TestSeller}
