package storetest

import (
	"context"
	"reflect"
	"testing"

	"portal/domain"
)

var productTests = []test{
	{"SaveProductReportsChanges", testSaveProductReportsChanges},
	{"ProductUnknown", testProductUnknown},
	{"ProductsAreOrderedBySoftwareThenEdition", testProductsAreOrderedBySoftwareThenEdition},
	{"ProductsIgnoresOtherData", testProductsIgnoresOtherData},
	{"SaveProductAuditedRecordsWhoDidIt", testSaveProductAuditedRecordsWhoDidIt},
}

func testSaveProductReportsChanges(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	p := domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SeatPrice: 0, SupportPricePerSeatYear: 9000}
	save := func(p domain.Product, want bool, why string) {
		t.Helper()
		changed, err := s.SaveProduct(ctx, p)
		if err != nil {
			t.Fatalf("SaveProduct (%s): %v", why, err)
		}
		if changed != want {
			t.Errorf("SaveProduct (%s): changed = %v, want %v", why, changed, want)
		}
		got, found, err := s.Product(ctx, p.Software, p.Edition)
		if err != nil || !found || got != p {
			t.Errorf("Product after SaveProduct (%s) = %+v, %v, %v; want %+v", why, got, found, err, p)
		}
		if all := must(s.Products(ctx)); !containsProduct(all, p) {
			t.Errorf("Products after SaveProduct (%s) = %+v, want %+v among them", why, all, p)
		}
	}
	save(p, true, "new product")
	save(p, false, "same product again")
	save(p, false, "same product a third time")
	p.SupportPricePerSeatYear = 9900
	save(p, true, "support price changed")
	p.SeatPrice = 4500
	save(p, true, "seat price changed")
	save(p, false, "same prices again")
	p.Upgradable = false
	save(p, true, "no longer upgradable")
	p.Currency = "USD"
	save(p, true, "currency changed")
	p.Retired = true
	save(p, true, "retired")
	// Another edition is another product; the first is untouched.
	pro := p
	pro.Edition = "Pro"
	pro.SeatPrice = 9000
	save(pro, true, "another edition")
	if got, _, _ := s.Product(ctx, "Remote Work", "Standard"); got != p {
		t.Errorf("Standard after saving Pro = %+v, want %+v", got, p)
	}
}

func containsProduct(all []domain.Product, p domain.Product) bool {
	for _, q := range all {
		if q == p {
			return true
		}
	}
	return false
}

func testProductUnknown(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	if _, err := s.SaveProduct(ctx, domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range [][2]string{{"Remote Work", "Pro"}, {"Remote", "Standard"}, {"Remote Work Standard", ""}, {"", ""}} {
		if p, found, err := s.Product(ctx, k[0], k[1]); err != nil || found {
			t.Errorf("Product(%q, %q) = %+v, %v, %v; want not found", k[0], k[1], p, found, err)
		}
	}
}

func testProductsAreOrderedBySoftwareThenEdition(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	saved := []domain.Product{
		{Software: "Remote Work Plus", Edition: "Basic", Currency: "EUR", SeatPrice: 1},
		{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 2},
		{Software: "Alpha", Edition: "X", Currency: "USD", SeatPrice: 3},
		{Software: "Remote Work", Edition: "Pro", Upgradable: true, Currency: "EUR", SeatPrice: 4},
		{Software: "alpha", Edition: "x", Currency: "USD", SeatPrice: 5},
	}
	for _, p := range saved {
		if _, err := s.SaveProduct(ctx, p); err != nil {
			t.Fatalf("SaveProduct: %v", err)
		}
	}
	// Byte order: upper case before lower case, a name before its longer names.
	want := []domain.Product{saved[2], saved[3], saved[1], saved[0], saved[4]}
	if got := must(s.Products(ctx)); !reflect.DeepEqual(got, want) {
		t.Errorf("Products =\n %+v\nwant\n %+v", got, want)
	}
}

func testProductsIgnoresOtherData(t *testing.T, h Harness) {
	s := h.open(t)
	ImportOK(t, s, NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 1))
	if got, err := s.Products(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("Products with only orders stored = %+v, %v; want none", got, err)
	}
}

func testSaveProductAuditedRecordsWhoDidIt(t *testing.T, h Harness) {
	s := h.open(t)
	ctx := context.Background()
	p := domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 100}
	audit := domain.AuditEntry{At: BaseDate, Staff: "admin@acme.example", Action: "product saved", Detail: "Remote Work Standard"}
	if err := s.SaveProductAudited(ctx, p, audit); err != nil {
		t.Fatal(err)
	}
	p.SeatPrice = 200
	if err := s.SaveProductAudited(ctx, p, audit); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Product(ctx, p.Software, p.Edition); got != p {
		t.Errorf("product = %+v, want %+v", got, p)
	}
	if got := must(s.Products(ctx)); len(got) != 1 || got[0] != p {
		t.Errorf("catalog = %+v", got)
	}
	if got := must(s.Audit(ctx, 10)); len(got) != 2 || got[0] != audit {
		t.Errorf("audit = %+v", got)
	}
}
