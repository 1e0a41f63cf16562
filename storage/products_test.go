package storage_test

import (
	"context"
	"reflect"
	"testing"

	"portal/domain"
)

func TestSaveProductReportsChanges(t *testing.T) {
	s := mustOpen(t)
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

	// Another edition is another product; the first is untouched.
	pro := p
	pro.Edition = "Pro"
	pro.SeatPrice = 9000
	save(pro, true, "another edition")
	if got, _, _ := s.Product(ctx, "Remote Work", "Standard"); got != p {
		t.Errorf("Standard after saving Pro = %+v, want %+v", got, p)
	}
}

func TestProductUnknown(t *testing.T) {
	s := mustOpenMem(t)
	ctx := context.Background()
	if _, err := s.SaveProduct(ctx, domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range [][2]string{{"Remote Work", "Pro"}, {"Remote", "Standard"}, {"Remote Work Standard", ""}, {"", ""}} {
		p, found, err := s.Product(ctx, k[0], k[1])
		if err != nil || found {
			t.Errorf("Product(%q, %q) = %+v, %v, %v; want not found", k[0], k[1], p, found, err)
		}
	}
}

func TestProductsAreOrderedBySoftwareThenEdition(t *testing.T) {
	s := mustOpenMem(t)
	ctx := context.Background()
	saved := []domain.Product{
		{Software: "Remote Work Plus", Edition: "Basic", Currency: "EUR", SeatPrice: 1},
		{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 2},
		{Software: "Alpha", Edition: "X", Currency: "USD", SeatPrice: 3},
		{Software: "Remote Work", Edition: "Pro", Upgradable: true, Currency: "EUR", SeatPrice: 4},
	}
	for _, p := range saved {
		if _, err := s.SaveProduct(ctx, p); err != nil {
			t.Fatalf("SaveProduct: %v", err)
		}
	}
	got, err := s.Products(ctx)
	if err != nil {
		t.Fatalf("Products: %v", err)
	}
	want := []domain.Product{saved[2], saved[3], saved[1], saved[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Products =\n %+v\nwant\n %+v", got, want)
	}
}

func TestProductsIgnoresOtherData(t *testing.T) {
	s := mustOpenMem(t)
	importOK(t, s, newOrder(t, "JWT1", "marie@acme.example", baseDate, 1))
	got, err := s.Products(context.Background())
	if err != nil || len(got) != 0 {
		t.Errorf("Products with only orders stored = %+v, %v; want none", got, err)
	}
}
