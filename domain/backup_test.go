package domain_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"

	"portal/domain"
)

func TestBackupRoundTrip(t *testing.T) {
	records := []domain.Record{
		{Product: &domain.Product{Software: "Remote Work", Edition: "Standard", Currency: "EUR", SeatPrice: 100}},
		{Order: &domain.Order{Reference: "JWT1", Email: "a@b.example", Items: []domain.Item{{Description: "x", Quantity: 1, UnitAmount: 5, Amount: 5}}}},
		{License: &domain.License{ID: "JWT1-1", OrderRef: "JWT1", Users: 5}},
		{Counter: &domain.Counter{Name: domain.CounterOrderNumber, Value: 100001}},
		{Seller: &domain.Seller{Name: "Étoile SAS", Address: []string{"Boîte 3", "69002 Lyon"}, VATID: "FR40123456789", InvoicePrefix: "FAC-"}},
	}
	var buf bytes.Buffer
	err := domain.WriteBackup(&buf, bindNow, func(emit func(domain.Record) error) error {
		for _, r := range records {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []domain.Record
	for r, err := range domain.ReadBackup(bytes.NewReader(buf.Bytes())) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != len(records) || got[0].Product.SeatPrice != 100 || got[1].Order.Items[0].Amount != 5 || got[3].Counter.Value != 100001 ||
		got[4].Kind() != "seller" || got[4].Seller.Address[0] != "Boîte 3" {
		t.Errorf("read back %+v", got)
	}

	// Not a backup, cut short, or a stray line: ErrNotBackup, never a partial success.
	var plain bytes.Buffer
	zw := gzip.NewWriter(&plain)
	zw.Write([]byte(`{"kind":"order"}` + "\n"))
	zw.Close()
	for name, data := range map[string][]byte{
		"not gzip":          []byte("hello"),
		"an import file":    plain.Bytes(),
		"cut in the middle": buf.Bytes()[:buf.Len()/2],
		"empty":             nil,
	} {
		sawErr := false
		for _, err := range domain.ReadBackup(bytes.NewReader(data)) {
			if err != nil {
				sawErr = errors.Is(err, domain.ErrNotBackup)
				break
			}
		}
		if !sawErr {
			t.Errorf("%s: no ErrNotBackup", name)
		}
	}
}
