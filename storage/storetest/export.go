package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"portal/domain"
)

var exportTests = []test{
	{"ExportImportRoundTrip", testExportImportRoundTrip},
}

func testExportImportRoundTrip(t *testing.T, h Harness) {
	ctx := context.Background()
	src := h.open(t)
	if _, err := src.SaveProduct(ctx, upgradeProduct); err != nil {
		t.Fatal(err)
	}
	if _, err := src.SaveProduct(ctx, domain.Product{Software: "Old", Edition: "Classic", Currency: "USD", Retired: true}); err != nil {
		t.Fatal(err)
	}
	a := NewOrder(t, "JWT100234", "marie@acme.example", BaseDate, 3)
	a.Licenses[0].Serial = "PC-1"
	a.Licenses[0].Version = 4
	// B is billed with tax, and its billing details were corrected once: the
	// export carries every invoice version.
	b := NewOrder(t, "JWT100412", "john@northwind.example", BaseDate.AddDate(0, 1, 0), 1)
	b.Order.Billing = domain.Billing{Company: "Northwind GmbH", Country: "DE", VATID: "DE129273398"}
	b.Order.Tax = &domain.Tax{RateBP: 1900, Amount: 8550}
	b.Order.Total += 8550
	b.Order.Invoices[0].Billing = b.Order.Billing
	ImportOK(t, src, a, b)
	if err := src.UpdateOrder(ctx, "JWT100412", func(u *domain.OrderUpdate) error {
		_, err := u.ChangeBilling(domain.Billing{Company: "Northwind Berlin GmbH", Country: "DE", VATID: "DE129273398"}, TestSeller, BaseDate.AddDate(0, 2, 0))
		return err
	}); err != nil {
		t.Fatal(err)
	}

	var exported bytes.Buffer
	late := NewOrder(t, "JWT900001", "late@acme.example", BaseDate, 1)
	w := &hookWriter{w: &exported, first: func() { ImportOK(t, src, late) }}
	n, err := src.Export(ctx, w)
	if err != nil || n != 2 {
		t.Fatalf("export: %d orders, %v", n, err)
	}
	if strings.Contains(exported.String(), late.Order.Reference) {
		t.Error("an order stored during the export is in it: the export is not one snapshot")
	}
	dst := h.open(t)
	report, err := domain.Import(ctx, bytes.NewReader(exported.Bytes()), dst, domain.NewActivationKey)
	if err != nil || len(report.Rejected) > 0 || report.Imported != 4 {
		t.Fatalf("import of the export: %v\n%s", err, report)
	}
	// An equal portal: the same catalog, orders, licenses and keys.
	for _, pair := range []struct{ a, b any }{
		{must(src.Products(ctx)), must(dst.Products(ctx))},
		{must(src.OrdersByEmail(ctx, "marie@acme.example")), must(dst.OrdersByEmail(ctx, "marie@acme.example"))},
		{must(src.LicensesByEmail(ctx, "marie@acme.example")), must(dst.LicensesByEmail(ctx, "marie@acme.example"))},
		{must(src.OrdersByEmail(ctx, "john@northwind.example")), must(dst.OrdersByEmail(ctx, "john@northwind.example"))},
	} {
		if !reflect.DeepEqual(pair.a, pair.b) {
			ja, _ := json.Marshal(pair.a)
			jb, _ := json.Marshal(pair.b)
			t.Errorf("after the round trip:\n%s\n%s", ja, jb)
		}
	}
	// And a second export is the same bytes.
	var again bytes.Buffer
	if _, err := dst.Export(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(exported.Bytes(), again.Bytes()) {
		t.Errorf("the export of the imported portal differs:\n%s\n%s", exported.String(), again.String())
	}
}

// hookWriter runs first before its first write.
type hookWriter struct {
	w     *bytes.Buffer
	first func()
	done  bool
}

func (h *hookWriter) Write(p []byte) (int, error) {
	if !h.done {
		h.done = true
		h.first()
	}
	return h.w.Write(p)
}
