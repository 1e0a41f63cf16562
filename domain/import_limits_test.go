package domain_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"portal/domain"
)

// padTo makes a valid order line exactly n bytes long by adding spaces inside the object.
func padTo(t *testing.T, n int) string {
	t.Helper()
	if n < len(exampleOrder) {
		t.Fatalf("cannot pad to %d bytes", n)
	}
	return "{" + strings.Repeat(" ", n-len(exampleOrder)) + exampleOrder[1:]
}

func TestImportLineLengthLimit(t *testing.T) {
	tests := []struct {
		name   string
		length int
		ending string
		wantOK bool
	}{
		{name: "MaxImportLine bytes, LF", length: domain.MaxImportLine, ending: "\n", wantOK: true},
		{name: "MaxImportLine bytes, CRLF", length: domain.MaxImportLine, ending: "\r\n", wantOK: true},
		{name: "MaxImportLine bytes, last line without newline", length: domain.MaxImportLine, ending: "", wantOK: true},
		{name: "MaxImportLine+1 bytes, LF", length: domain.MaxImportLine + 1, ending: "\n", wantOK: false},
		{name: "MaxImportLine+1 bytes, CRLF", length: domain.MaxImportLine + 1, ending: "\r\n", wantOK: false},
		{name: "MaxImportLine+1 bytes, last line without newline", length: domain.MaxImportLine + 1, ending: "", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			line := padTo(t, tc.length)
			report, err := domain.Import(context.Background(), strings.NewReader(line+tc.ending), store, (&keySource{}).newKey)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if tc.wantOK {
				checkReport(t, report, 1, 1, 0, nil)
			} else {
				checkReport(t, report, 1, 0, 0, []wantRejected{{line: 1, reason: "longer than"}})
			}
		})
	}
}

func TestImportManyOrders(t *testing.T) {
	tests := []struct {
		name   string
		orders int
		refuse int // the n-th order (1-based) that the store refuses
	}{
		{name: "one batch", orders: 10, refuse: 7},
		{name: "exactly one full batch", orders: domain.ImportBatch - 1, refuse: domain.ImportBatch - 1},
		{name: "several batches, refused in the second", orders: 2*domain.ImportBatch + 234, refuse: domain.ImportBatch + 277},
		{name: "several batches, refused in the last", orders: 2*domain.ImportBatch + 234, refuse: 2*domain.ImportBatch + 234},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(exampleProduct + "\n")
			for i := 1; i <= tc.orders; i++ {
				b.WriteString(withRef(t, fmt.Sprintf("JWT%d", 100000+i)) + "\n")
			}
			store := newFakeStore()
			store.refuse[fmt.Sprintf("JWT%d", 100000+tc.refuse)] = domain.Invalidf("refused by the store")
			report, err := domain.Import(context.Background(), strings.NewReader(b.String()), store, (&keySource{}).newKey)
			if err != nil {
				t.Fatal(err)
			}
			// The product is line 1, so the n-th order is on line n+1.
			checkReport(t, report, tc.orders+1, tc.orders, 0, []wantRejected{{line: tc.refuse + 1, reason: "refused by the store"}})
			if len(store.orders) != tc.orders-1 {
				t.Errorf("%d orders stored, want %d", len(store.orders), tc.orders-1)
			}
			for _, n := range store.batches {
				if n > domain.ImportBatch {
					t.Errorf("the store got a batch of %d orders", n)
				}
			}
		})
	}
}
