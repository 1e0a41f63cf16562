package domain_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"portal/domain"
)

// withLicenses gives the example order the licenses made by each of change, in
// order: the first is the example's own (valid) license, changed as given.
func withLicenses(t *testing.T, ref string, changes ...func(l map[string]any)) string {
	t.Helper()
	return orderLine(t, func(m map[string]any) {
		m["reference"] = ref
		var licenses []any
		for _, change := range changes {
			l := map[string]any{}
			for k, v := range firstLicense(m) {
				l[k] = v
			}
			change(l)
			licenses = append(licenses, l)
		}
		m["licenses"] = licenses
	})
}

func valid(map[string]any) {}

// badLicenses are ways in which one license of an order line can be wrong.
var badLicenses = []struct {
	name, reason string
	change       func(l map[string]any)
}{
	{"no users", "users", func(l map[string]any) { l["users"] = 0 }},
	{"no software", "software", func(l map[string]any) { l["software"] = "" }},
	{"a date that does not exist", "support_end", func(l map[string]any) { l["support_end"] = "2027-02-30" }},
	{"support ending before it starts", "support_end must be after", func(l map[string]any) { l["support_end"] = "2025-01-01" }},
	{"a serial with a control character", "serial", func(l map[string]any) { l["serial"] = "PC\x07" }},
}

// TestImportLineWithABadLaterLicenseIsRejectedWhole: a line is all or nothing, so a
// bad second (or third) license refuses the whole order, the good licenses before it
// included, and the lines around it still import.
func TestImportLineWithABadLaterLicenseIsRejectedWhole(t *testing.T) {
	for _, bad := range badLicenses {
		for _, tc := range []struct {
			name     string
			licenses []func(map[string]any)
			wantWhy  string
		}{
			{"second of two", []func(map[string]any){valid, bad.change}, "license 2"},
			{"third of three", []func(map[string]any){valid, valid, bad.change}, "license 3"},
		} {
			t.Run(bad.name+", "+tc.name, func(t *testing.T) {
				line := withLicenses(t, "JWT200", tc.licenses...)
				product, order, err := domain.ParseImportLine([]byte(line), (&keySource{}).newKey)
				if err == nil || product != nil || order != nil {
					t.Fatalf("ParseImportLine = %v, %+v, %v; want only an error", product, order, err)
				}
				if !strings.Contains(err.Error(), tc.wantWhy) || !strings.Contains(err.Error(), bad.reason) {
					t.Errorf("reason %q does not name %q and %q", err, tc.wantWhy, bad.reason)
				}

				store := newFakeStore()
				input := withRef(t, "JWT100") + "\n" + line + "\n" + withLicenses(t, "JWT300", valid, valid) + "\n"
				report, err := domain.Import(context.Background(), strings.NewReader(input), store, (&keySource{}).newKey)
				if err != nil {
					t.Fatal(err)
				}
				checkReport(t, report, 3, 2, 0, []wantRejected{{line: 2, reason: tc.wantWhy}})
				if got := store.refs(); !slices.Equal(got, []string{"JWT100", "JWT300"}) {
					t.Errorf("orders stored: %v; the bad line must leave nothing", got)
				}
				if n := len(store.orders["JWT300"].Licenses); n != 2 {
					t.Errorf("the good two-license order after it has %d licenses", n)
				}
			})
		}
	}
	// The same licenses, all good, import with every one of them: the test above
	// fails because of the bad license, not because of the line's shape.
	store := newFakeStore()
	report, err := domain.Import(context.Background(), strings.NewReader(withLicenses(t, "JWT200", valid, valid, valid)), store, (&keySource{}).newKey)
	if err != nil || report.Imported != 1 || len(store.orders["JWT200"].Licenses) != 3 {
		t.Errorf("a good three-license line: %v, %s, %d licenses", err, report, len(store.orders["JWT200"].Licenses))
	}
}
