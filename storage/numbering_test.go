package storage_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// TestNewOrderNumbersStayValidAfterAnOddImport: an imported reference with a
// huge number must not push the portal's own references past what a reference
// can hold; the new order's export line must import again.
func TestNewOrderNumbersStayValidAfterAnOddImport(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t)
	odd := newOrder(t, "Z999999999999999", "m@acme.example", baseDate, 1)
	importOK(t, s, odd, newOrder(t, "JWT100500", "m@acme.example", baseDate, 1))
	l := odd.Licenses[0]
	q, err := domain.QuoteUpgrade(l, domain.Product{Upgradable: true, Currency: "EUR", SupportPricePerSeatYear: 9000}, 1, baseDate)
	if err != nil {
		t.Fatal(err)
	}
	p := domain.NewUpgradePurchase(q, l, "m@acme.example", baseDate)
	openPurchase(t, s, p)
	got, err := s.FulfilPurchase(ctx, domain.Payment{EventID: "evt_odd", PurchaseID: p.ID, SessionID: "cs_" + p.ID, Amount: p.Amount, Currency: "EUR", At: baseDate.Add(time.Hour)}, "JWT")
	if err != nil || got.NewOrderRef != "JWT100501" {
		t.Fatalf("new order %q, %v; want JWT100501", got.NewOrderRef, err)
	}
	var export bytes.Buffer
	if _, err := s.Export(ctx, &export); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(export.String()), "\n") {
		if strings.Contains(line, got.NewOrderRef) {
			if _, _, err := domain.ParseImportLine([]byte(line), domain.NewActivationKey); err != nil {
				t.Errorf("the new order's export line does not import: %v", err)
			}
		}
	}
	if _, found, _ := s.Order(ctx, got.NewOrderRef); !found {
		t.Error("the new order is not found by its reference")
	}
}
