package domain_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestParseImportLineProduct(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    domain.Product
		wantErr string
	}{
		{
			name: "example product",
			line: exampleProduct,
			want: domain.Product{Software: "Remote Work", Edition: "Standard", Upgradable: true, Currency: "EUR", SeatPrice: 0, SupportPricePerSeatYear: 9000},
		},
		{
			name: "currency in lower case and padded text",
			line: `{"kind":"product","software":" Remote Work ","edition":"Pro","currency":"eur","seat_price":2500,"support_price_per_seat_year":0}`,
			want: domain.Product{Software: "Remote Work", Edition: "Pro", Currency: "EUR", SeatPrice: 2500},
		},
		{name: "missing seat_price", line: `{"kind":"product","software":"RW","edition":"S","currency":"EUR","support_price_per_seat_year":9000}`, wantErr: "seat_price"},
		{name: "missing support price", line: `{"kind":"product","software":"RW","edition":"S","currency":"EUR","seat_price":0}`, wantErr: "support_price_per_seat_year"},
		{name: "negative seat price", line: `{"kind":"product","software":"RW","edition":"S","currency":"EUR","seat_price":-1,"support_price_per_seat_year":0}`, wantErr: "seat_price"},
		{name: "bad currency", line: `{"kind":"product","software":"RW","edition":"S","currency":"EURO","seat_price":0,"support_price_per_seat_year":0}`, wantErr: "currency"},
		{name: "missing software", line: `{"kind":"product","edition":"S","currency":"EUR","seat_price":0,"support_price_per_seat_year":0}`, wantErr: "software"},
		{name: "unknown field", line: `{"kind":"product","software":"RW","edition":"S","currency":"EUR","seat_price":0,"support_price_per_seat_year":0,"colour":"red"}`, wantErr: `"colour"`},
		{name: "price as a string", line: `{"kind":"product","software":"RW","edition":"S","currency":"EUR","seat_price":"0","support_price_per_seat_year":0}`, wantErr: "seat_price"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := &keySource{}
			p, o, err := domain.ParseImportLine([]byte(tc.line), keys.newKey)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseImportLine = %+v, nil; want an error naming %s", p, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %q does not name %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseImportLine: %v", err)
			}
			if o != nil || p == nil {
				t.Fatalf("got product %v, order %v; want a product only", p, o)
			}
			if *p != tc.want {
				t.Errorf("product = %+v, want %+v", *p, tc.want)
			}
			if keys.calls != 0 {
				t.Errorf("a product line made %d activation keys", keys.calls)
			}
		})
	}
}

func TestParseImportLineOrder(t *testing.T) {
	tests := []struct {
		name  string
		line  func(t *testing.T) string
		check func(t *testing.T, o *domain.OrderWithLicenses, keys *keySource)
	}{
		{
			name: "example order",
			line: func(t *testing.T) string { return exampleOrder },
			check: func(t *testing.T, o *domain.OrderWithLicenses, keys *keySource) {
				ord := o.Order
				date := time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC)
				if ord.Reference != "JWT100234" || !ord.Date.Equal(date) || ord.Name != "Acme SARL" || ord.Country != "FR" ||
					ord.City != "Lyon" || ord.ContactName != "Marie Dupont" || ord.Email != "marie@acme.example" || ord.Currency != "EUR" {
					t.Errorf("order fields = %+v", ord)
				}
				if len(ord.Items) != 1 || ord.Items[0].Amount != 45000 || ord.Total != 45000 {
					t.Errorf("items %+v, total %d; want one item of 45000 and total 45000", ord.Items, ord.Total)
				}
				if ord.Source != domain.SourceImport {
					t.Errorf("source = %q, want %q", ord.Source, domain.SourceImport)
				}
				if keys.calls != 1 || ord.ActivationKey != "NEWKEY000000000000000001" {
					t.Errorf("activation key %q after %d calls of newKey; want the new key", ord.ActivationKey, keys.calls)
				}
				if len(o.Licenses) != 1 {
					t.Fatalf("%d licenses, want 1", len(o.Licenses))
				}
				l := o.Licenses[0]
				if l.ID != "JWT100234-1" || l.OrderRef != "JWT100234" || l.Software != "Remote Work" || l.Edition != "Standard" ||
					l.Users != 5 || l.Serial != "" || l.Version != 1 {
					t.Errorf("license = %+v", l)
				}
				if !l.PurchasedAt.Equal(date) || !l.SupportStart.Equal(date.Truncate(24*time.Hour)) || !l.SupportEnd.Equal(time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("license dates: purchased %s, support %s → %s", l.PurchasedAt, l.SupportStart, l.SupportEnd)
				}
				if got := l.SupportDuration(); got != "1 year" {
					t.Errorf("support duration %q, want 1 year", got)
				}
				if !slices.Equal(ord.LicenseIDs, []string{"JWT100234-1"}) {
					t.Errorf("license ids = %v", ord.LicenseIDs)
				}
			},
		},
		{
			name: "reference as a customer types it is normalised",
			line: func(t *testing.T) string { return withRef(t, "jwt 100234") },
			check: func(t *testing.T, o *domain.OrderWithLicenses, _ *keySource) {
				if o.Order.Reference != "JWT100234" || o.Licenses[0].ID != "JWT100234-1" || o.Licenses[0].OrderRef != "JWT100234" {
					t.Errorf("reference %q, license %q of %q; want JWT100234", o.Order.Reference, o.Licenses[0].ID, o.Licenses[0].OrderRef)
				}
			},
		},
		{
			name: "email and country are normalised",
			line: func(t *testing.T) string {
				return orderLine(t, func(m map[string]any) { m["email"] = " Marie@ACME.example"; m["country"] = "fr" })
			},
			check: func(t *testing.T, o *domain.OrderWithLicenses, _ *keySource) {
				if o.Order.Email != "marie@acme.example" || o.Order.Country != "FR" {
					t.Errorf("email %q, country %q", o.Order.Email, o.Order.Country)
				}
			},
		},
		{
			name: "date with an offset is stored in UTC",
			line: func(t *testing.T) string {
				return orderLine(t, func(m map[string]any) { m["date"] = "2026-03-14T12:22:00+02:00" })
			},
			check: func(t *testing.T, o *domain.OrderWithLicenses, _ *keySource) {
				want := time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC)
				if !o.Order.Date.Equal(want) || o.Order.Date.Location() != time.UTC {
					t.Errorf("date = %s, want %s", o.Order.Date, want)
				}
			},
		},
		{
			name: "total that equals the items is accepted",
			line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["total"] = 45000 }) },
			check: func(t *testing.T, o *domain.OrderWithLicenses, _ *keySource) {
				if o.Order.Total != 45000 {
					t.Errorf("total = %d", o.Order.Total)
				}
			},
		},
		{
			name: "activation key given on the line is kept, normalised",
			line: func(t *testing.T) string {
				return orderLine(t, func(m map[string]any) { m["activation_key"] = "k7qx-3mpa-9zzr-4tbc-hd2e-0wns" })
			},
			check: func(t *testing.T, o *domain.OrderWithLicenses, keys *keySource) {
				if o.Order.ActivationKey != "K7QX3MPA9ZZR4TBCHD2E0WNS" {
					t.Errorf("activation key = %q, want K7QX3MPA9ZZR4TBCHD2E0WNS", o.Order.ActivationKey)
				}
				if keys.calls != 0 {
					t.Errorf("newKey called %d times although the line gives a key", keys.calls)
				}
			},
		},
		{
			name: "several items and licenses",
			line: func(t *testing.T) string {
				return orderLine(t, func(m map[string]any) {
					m["items"] = []any{
						map[string]any{"description": "Remote Work Standard", "quantity": 5, "unit_amount": 9000},
						map[string]any{"description": "Remote Work Pro", "quantity": 2, "unit_amount": 12000, "amount": 24000},
					}
					m["total"] = 69000
					m["licenses"] = []any{
						firstLicense(m),
						map[string]any{"software": "Remote Work", "edition": "Pro", "users": 2, "serial": "PC-42",
							"support_start": "2026-03-14", "support_end": "2026-09-14"},
					}
				})
			},
			check: func(t *testing.T, o *domain.OrderWithLicenses, _ *keySource) {
				if o.Order.Total != 69000 {
					t.Errorf("total = %d, want 69000", o.Order.Total)
				}
				if !slices.Equal(o.Order.LicenseIDs, []string{"JWT100234-1", "JWT100234-2"}) {
					t.Errorf("license ids = %v", o.Order.LicenseIDs)
				}
				if len(o.Licenses) != 2 || o.Licenses[1].ID != "JWT100234-2" || o.Licenses[1].Serial != "PC-42" || o.Licenses[1].Users != 2 {
					t.Errorf("licenses = %+v", o.Licenses)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := &keySource{}
			p, o, err := domain.ParseImportLine([]byte(tc.line(t)), keys.newKey)
			if err != nil {
				t.Fatalf("ParseImportLine: %v", err)
			}
			if p != nil || o == nil {
				t.Fatalf("got product %v, order %v; want an order only", p, o)
			}
			tc.check(t, o, keys)
		})
	}
}
