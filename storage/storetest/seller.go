package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"portal/domain"
)

var sellerTests = []test{
	{"SellerNotFoundUntilSaved", testSellerNotFoundUntilSaved},
	{"SaveSellerKeepsItWithItsAuditEntry", testSaveSellerKeepsItWithItsAuditEntry},
	{"DumpCarriesTheSeller", testDumpCarriesTheSeller},
}

// FillSeller is the seller details Fill saves: accents, several address
// lines, a VAT number.
var FillSeller = domain.Seller{Name: "Logiciels Étoile SAS", Address: []string{"12 rue de la Forêt", "Boîte 3", "69002 Lyon", "France"},
	VATID: "FR40123456789", InvoicePrefix: "FAC-"}

func testSellerNotFoundUntilSaved(t *testing.T, h Harness) {
	s := h.open(t)
	if got, found, err := s.Seller(context.Background()); err != nil || found || !reflect.DeepEqual(got, domain.Seller{}) {
		t.Errorf("Seller of a new store = %+v, %v, %v; want none", got, found, err)
	}
}

// testSaveSellerKeepsItWithItsAuditEntry: the details come back as saved,
// replaced whole by the next save (no address line of the old ones stays),
// each save with its audit entry, and all of it after the store is reopened.
func testSaveSellerKeepsItWithItsAuditEntry(t *testing.T, h Harness) {
	ctx := context.Background()
	place := h.Fresh(t)
	s, closeStore := h.openAt(t, place)
	first := domain.AuditEntry{At: BaseDate, Staff: "ada@vendor.example", Action: "seller details", Detail: "name set"}
	if err := s.SaveSeller(ctx, FillSeller, first); err != nil {
		t.Fatalf("SaveSeller: %v", err)
	}
	if got, found, err := s.Seller(ctx); err != nil || !found || !reflect.DeepEqual(got, FillSeller) {
		t.Errorf("Seller = %+v, %v, %v; want %+v", got, found, err, FillSeller)
	}
	if got := must(s.Audit(ctx, 10)); len(got) != 1 || got[0] != first {
		t.Errorf("audit after SaveSeller: %+v, want %+v", got, first)
	}
	second := domain.Seller{Name: "Étoile Software Ltd", Address: []string{"1 Main Street"}, InvoicePrefix: "INV-"}
	again := domain.AuditEntry{At: BaseDate.Add(time.Second), Staff: "bob@vendor.example", Action: "seller details", Detail: "moved"}
	if err := s.SaveSeller(ctx, second, again); err != nil {
		t.Fatalf("SaveSeller again: %v", err)
	}
	closeStore()

	s, _ = h.openAt(t, place)
	if got, found, err := s.Seller(ctx); err != nil || !found || !reflect.DeepEqual(got, second) {
		t.Errorf("Seller after a second save and a reopen = %+v, %v, %v; want %+v", got, found, err, second)
	}
	if got := must(s.Audit(ctx, 10)); len(got) != 2 || got[0] != again || got[1] != first {
		t.Errorf("audit after two saves: %+v", got)
	}
}

// testDumpCarriesTheSeller: a store whose only data is its seller details
// dumps them, a load carries them to another store, and that store then holds
// data (a second load is refused).
func testDumpCarriesTheSeller(t *testing.T, h Harness) {
	ctx := context.Background()
	src := h.open(t)
	if err := src.SaveSeller(ctx, FillSeller, domain.AuditEntry{At: BaseDate, Staff: "ada@vendor.example", Action: "seller details"}); err != nil {
		t.Fatal(err)
	}
	records := DumpAll(t, src)
	var sellers []domain.Seller
	for _, r := range records {
		if r.Seller != nil {
			sellers = append(sellers, *r.Seller)
		}
	}
	if len(sellers) != 1 || !reflect.DeepEqual(sellers[0], FillSeller) {
		t.Fatalf("the dump's seller records: %+v", sellers)
	}
	dst := h.open(t)
	if err := dst.Load(ctx, Records(records)); err != nil {
		t.Fatal(err)
	}
	if got, found, err := dst.Seller(ctx); err != nil || !found || !reflect.DeepEqual(got, FillSeller) {
		t.Errorf("Seller after the load = %+v, %v, %v", got, found, err)
	}
	SameRecords(t, DumpAll(t, dst), records)
	// A store that holds nothing but seller details is not empty.
	only := h.open(t)
	if err := only.Load(ctx, Records([]domain.Record{{Seller: &FillSeller}})); err != nil {
		t.Fatal(err)
	}
	if err := only.Load(ctx, Records(records)); !errors.Is(err, domain.ErrNotEmpty) {
		t.Errorf("load into a store with only seller details: %v, want ErrNotEmpty", err)
	}
}
