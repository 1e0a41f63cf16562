package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var numberingTests = []test{
	{"NewOrderNumbersFollowTheImportedOnes", testNewOrderNumbersFollowTheImportedOnes},
	{"NewOrderNumbersStayValidAfterAnOddImport", testNewOrderNumbersStayValidAfterAnOddImport},
	{"ConcurrentFulfilmentsTakeUniqueGaplessNumbers", testConcurrentFulfilmentsTakeUniqueGaplessNumbers},
}

func testNewOrderNumbersFollowTheImportedOnes(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	// The highest number counts, whatever the order of the import.
	ImportOK(t, s, NewOrder(t, "JWT100900", "m@acme.example", BaseDate, 1), NewOrder(t, "JWT100100", "m@acme.example", BaseDate, 1))
	ImportOK(t, s, NewOrder(t, "ABC100950", "m@acme.example", BaseDate, 1))
	o := NewOrder(t, "JWT100200", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, o)
	// Every reference counts by its number, whatever its prefix.
	ImportOK(t, s, NewOrder(t, "XYZ100951", "m@acme.example", BaseDate, 1))
	for _, want := range []string{"JWT100952", "JWT100953"} {
		p := newPurchase(t, o.Licenses[0], "m@acme.example", 1, BaseDate)
		openPurchase(t, s, p)
		o.Licenses[0].Users++
		got, err := s.FulfilPurchase(ctx, payment("evt_"+want, p, BaseDate), jwtNumbering)
		if err != nil || got.NewOrderRef != want {
			t.Errorf("new order %q, %v; want %s", got.NewOrderRef, err, want)
		}
	}
}

// testNewOrderNumbersStayValidAfterAnOddImport: an imported reference with a
// huge number must not push the portal's own references past what a reference
// can hold; the new order's export line must import again.
func testNewOrderNumbersStayValidAfterAnOddImport(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	odd := NewOrder(t, "Z999999999999999", "m@acme.example", BaseDate, 1)
	ImportOK(t, s, odd, NewOrder(t, "JWT100500", "m@acme.example", BaseDate, 1))
	p := newPurchase(t, odd.Licenses[0], "m@acme.example", 1, BaseDate)
	openPurchase(t, s, p)
	got, err := s.FulfilPurchase(ctx, payment("evt_odd", p, BaseDate.Add(time.Hour)), jwtNumbering)
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

// testConcurrentFulfilmentsTakeUniqueGaplessNumbers: payments fulfilled at
// once each get their own order number, one after the other, none lost.
func testConcurrentFulfilmentsTakeUniqueGaplessNumbers(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	const n = 16
	var purchases []domain.Purchase
	for i := range n {
		o := NewOrder(t, fmt.Sprintf("JWT%d", 100001+i), fmt.Sprintf("c%d@acme.example", i), BaseDate, 1)
		ImportOK(t, s, o)
		p := newPurchase(t, o.Licenses[0], o.Order.Email, 1, BaseDate)
		openPurchase(t, s, p)
		purchases = append(purchases, p)
	}
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i, p := range purchases {
		wg.Go(func() {
			got, err := s.FulfilPurchase(ctx, payment(fmt.Sprintf("evt_%d", i), p, BaseDate), jwtNumbering)
			if err != nil {
				t.Errorf("fulfil %d: %v", i, err)
			}
			refs[i] = got.NewOrderRef
		})
	}
	wg.Wait()
	slices.Sort(refs)
	for i, ref := range refs {
		if want := fmt.Sprintf("JWT%d", 100001+n+i); ref != want {
			t.Fatalf("new orders %v; want JWT%d to JWT%d, each once", refs, 100001+n, 100000+2*n)
		}
		if o := MustOrder(t, s, ref); o.Source != domain.SourceUpgrade {
			t.Errorf("order %s: %+v", ref, o)
		}
	}
}
