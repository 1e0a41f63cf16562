package domain_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"portal/domain"
)

func TestImport(t *testing.T) {
	tests := []struct {
		name     string
		input    func(t *testing.T) string
		refuse   map[string]error
		read     int
		imported int
		skipped  int
		rejected []wantRejected
		refs     []string // orders in the store afterwards
		products int
	}{
		{
			name:  "example lines of the contract",
			input: func(t *testing.T) string { return exampleProduct + "\n" + exampleOrder + "\n" },
			read:  2, imported: 2, refs: []string{"JWT100234"}, products: 1,
		},
		{
			name:  "no newline at the end",
			input: func(t *testing.T) string { return exampleProduct + "\n" + exampleOrder },
			read:  2, imported: 2, refs: []string{"JWT100234"}, products: 1,
		},
		{
			name:  "Windows line endings",
			input: func(t *testing.T) string { return exampleProduct + "\r\n" + exampleOrder + "\r\n" },
			read:  2, imported: 2, refs: []string{"JWT100234"}, products: 1,
		},
		{
			name:  "empty input",
			input: func(t *testing.T) string { return "" },
		},
		{
			name: "blank lines are not counted but keep the line numbers",
			input: func(t *testing.T) string {
				return "\n   \n" + exampleProduct + "\n\t\n\n" + `{"kind":"order"` + "\n\r\n" + exampleOrder + "\n\n"
			},
			read: 3, imported: 2,
			rejected: []wantRejected{{line: 6, reason: "JSON"}},
			refs:     []string{"JWT100234"}, products: 1,
		},
		{
			name: "bad lines are reported by number and never stop the good ones",
			input: func(t *testing.T) string {
				return strings.Join([]string{
					exampleProduct,
					orderLine(t, func(m map[string]any) { m["total"] = 50000; m["reference"] = "JWT1" }),
					orderLine(t, func(m map[string]any) { m["colour"] = "red"; m["reference"] = "JWT2" }),
					orderLine(t, func(m map[string]any) { m["kind"] = "invoice"; m["reference"] = "JWT3" }),
					orderLine(t, func(m map[string]any) { delete(m, "kind"); m["reference"] = "JWT4" }),
					`{"kind":"order","reference":`,
					orderLine(t, func(m map[string]any) { m["date"] = "yesterday"; m["reference"] = "JWT6" }),
					orderLine(t, func(m map[string]any) { firstLicense(m)["support_end"] = "2027-13-01"; m["reference"] = "JWT7" }),
					orderLine(t, func(m map[string]any) { m["licenses"] = []any{}; m["reference"] = "JWT8" }),
					withRef(t, "JWT9"),
				}, "\n")
			},
			read: 10, imported: 2,
			rejected: []wantRejected{
				{line: 2, reason: "total"},
				{line: 3, reason: "colour"},
				{line: 4, reason: "invoice"},
				{line: 5, reason: "kind"},
				{line: 6, reason: "JSON"},
				{line: 7, reason: "date"},
				{line: 8, reason: "support_end"},
				{line: 9, reason: "license"},
			},
			refs: []string{"JWT9"}, products: 1,
		},
		{
			name: "a line too long is rejected and the next line still imports",
			input: func(t *testing.T) string {
				return `{"kind":"order","name":"` + strings.Repeat("x", domain.MaxImportLine) + `"}` + "\n" + exampleOrder + "\n"
			},
			read: 2, imported: 1,
			rejected: []wantRejected{{line: 1, reason: "longer than"}},
			refs:     []string{"JWT100234"},
		},
		{
			name:  "a last line too long without a newline",
			input: func(t *testing.T) string { return exampleOrder + "\n" + strings.Repeat("x", 3*domain.MaxImportLine) },
			read:  2, imported: 1,
			rejected: []wantRejected{{line: 2, reason: "longer than"}},
			refs:     []string{"JWT100234"},
		},
		{
			name: "the same order twice in one file is skipped the second time",
			input: func(t *testing.T) string {
				return exampleOrder + "\n" + withRef(t, "jwt 100234") + "\n"
			},
			read: 2, imported: 1, skipped: 1, refs: []string{"JWT100234"},
		},
		{
			name: "an order the store refuses is reported with its line",
			input: func(t *testing.T) string {
				return withRef(t, "JWT1") + "\n" + withRef(t, "JWT2") + "\n" + withRef(t, "JWT3") + "\n"
			},
			refuse: map[string]error{"JWT2": domain.Conflictf("the activation key is already used by another order")},
			read:   3, imported: 2,
			rejected: []wantRejected{{line: 2, reason: "activation key is already used"}},
			refs:     []string{"JWT1", "JWT3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			for ref, err := range tc.refuse {
				store.refuse[ref] = err
			}
			keys := &keySource{}
			report, err := domain.Import(context.Background(), strings.NewReader(tc.input(t)), store, keys.newKey)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			checkReport(t, report, tc.read, tc.imported, tc.skipped, tc.rejected)
			if got := store.refs(); !slices.Equal(got, tc.refs) {
				t.Errorf("orders stored: %v, want %v", got, tc.refs)
			}
			if len(store.products) != tc.products {
				t.Errorf("%d products stored, want %d", len(store.products), tc.products)
			}
		})
	}
}

func TestImportActivationKey(t *testing.T) {
	tests := []struct {
		name      string
		key       any // nil: no activation_key on the line
		wantKey   string
		wantCalls int
	}{
		{name: "made with newKey when the line has none", key: nil, wantKey: "NEWKEY000000000000000001", wantCalls: 1},
		{name: "made with newKey when the line's is empty", key: "", wantKey: "NEWKEY000000000000000001", wantCalls: 1},
		{name: "kept from the line, normalised", key: "k7qx-3mpa-9zzr-4tbc-hd2e-0wns", wantKey: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantCalls: 0},
		{name: "kept from the line with spaces", key: "K7QX 3MPA 9ZZR 4TBC HD2E 0WNS", wantKey: "K7QX3MPA9ZZR4TBCHD2E0WNS", wantCalls: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := orderLine(t, func(m map[string]any) {
				if tc.key != nil {
					m["activation_key"] = tc.key
				}
			})
			store := newFakeStore()
			keys := &keySource{}
			report, err := domain.Import(context.Background(), strings.NewReader(line+"\n"), store, keys.newKey)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			checkReport(t, report, 1, 1, 0, nil)
			if got := store.orders["JWT100234"].Order.ActivationKey; got != tc.wantKey {
				t.Errorf("stored activation key %q, want %q", got, tc.wantKey)
			}
			if keys.calls != tc.wantCalls {
				t.Errorf("newKey called %d times, want %d", keys.calls, tc.wantCalls)
			}
		})
	}
}

func TestImportTwice(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{name: "example product and order", input: exampleProduct + "\n" + exampleOrder + "\n"},
		{name: "order only", input: exampleOrder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			keys := &keySource{}
			first, err := domain.Import(context.Background(), strings.NewReader(tc.input), store, keys.newKey)
			if err != nil {
				t.Fatal(err)
			}
			n := first.Read
			checkReport(t, first, n, n, 0, nil)
			key := store.orders["JWT100234"].Order.ActivationKey

			second, err := domain.Import(context.Background(), strings.NewReader(tc.input), store, keys.newKey)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, second, n, 0, n, nil)
			if second.Failed() {
				t.Errorf("a second import that skipped everything reports Failed()")
			}
			if got := store.orders["JWT100234"].Order.ActivationKey; got != key {
				t.Errorf("activation key changed from %q to %q on the second import", key, got)
			}
		})
	}
}
