package domain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

// The example lines of section 9 of the product contract, one object per line.
const (
	exampleProduct = `{"kind":"product","software":"Remote Work","edition":"Standard","upgradable":true,` +
		`"currency":"EUR","seat_price":0,"support_price_per_seat_year":9000}`
	exampleOrder = `{"kind":"order","reference":"JWT100234","date":"2026-03-14T10:22:00Z",` +
		`"name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont",` +
		`"email":"marie@acme.example","currency":"EUR",` +
		`"items":[{"description":"Remote Work Standard, 5 workstations","quantity":1,"unit_amount":45000}],` +
		`"licenses":[{"software":"Remote Work","edition":"Standard","users":5,` +
		`"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]}`
)

// orderLine is the example order with changes made to its JSON object.
func orderLine(t *testing.T, modify func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(exampleOrder), &m); err != nil {
		t.Fatal(err)
	}
	modify(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func withRef(t *testing.T, ref string) string {
	return orderLine(t, func(m map[string]any) { m["reference"] = ref })
}

func firstLicense(m map[string]any) map[string]any {
	return m["licenses"].([]any)[0].(map[string]any)
}

// keySource hands out fixed keys and counts the calls.
type keySource struct{ calls int }

func (k *keySource) newKey() string {
	k.calls++
	return fmt.Sprintf("NEWKEY%018d", k.calls)
}

// fakeStore is an in-memory test double for domain.ImportStore.
type fakeStore struct {
	products map[string]domain.Product
	orders   map[string]domain.OrderWithLicenses
	refuse   map[string]error // reference → the domain error the store answers
	fail     error            // a failure of the store itself
	batches  []int            // size of each ImportOrders call
}

func newFakeStore() *fakeStore {
	return &fakeStore{products: map[string]domain.Product{}, orders: map[string]domain.OrderWithLicenses{}, refuse: map[string]error{}}
}

func (s *fakeStore) SaveProduct(_ context.Context, p domain.Product) (bool, error) {
	if s.fail != nil {
		return false, s.fail
	}
	key := p.Software + "\x00" + p.Edition
	if old, ok := s.products[key]; ok && old == p {
		return false, nil
	}
	s.products[key] = p
	return true, nil
}

func (s *fakeStore) ImportOrders(_ context.Context, orders []domain.OrderWithLicenses) ([]error, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	s.batches = append(s.batches, len(orders))
	results := make([]error, len(orders))
	for i, o := range orders {
		ref := o.Order.Reference
		switch {
		case s.refuse[ref] != nil:
			results[i] = s.refuse[ref]
		case s.orders[ref].Order.Reference != "":
			results[i] = domain.ErrAlreadyImported
		default:
			s.orders[ref] = o
		}
	}
	return results, nil
}

func (s *fakeStore) refs() []string {
	var refs []string
	for r := range s.orders {
		refs = append(refs, r)
	}
	sort.Strings(refs)
	return refs
}

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

func TestParseImportLineRejects(t *testing.T) {
	tests := []struct {
		name    string
		line    func(t *testing.T) string
		wantErr []string // words the reason must hold
	}{
		{name: "total differs from the items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["total"] = 50000 }) }, wantErr: []string{"total", "50000", "45000"}},
		{name: "total of zero with paid items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["total"] = 0 }) }, wantErr: []string{"total"}},
		{name: "unknown field", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["colour"] = "red" }) }, wantErr: []string{"unknown field", `"colour"`}},
		{name: "unknown field in a license", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["seats"] = 5 })
		}, wantErr: []string{`"seats"`}},
		{name: "unknown field in an item", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["vat"] = 20 })
		}, wantErr: []string{`"vat"`}},
		{name: "unknown kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["kind"] = "invoice" }) }, wantErr: []string{"kind", `"invoice"`}},
		{name: "missing kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "kind") }) }, wantErr: []string{"kind"}},
		{name: "empty kind", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["kind"] = "" }) }, wantErr: []string{"kind"}},
		{name: "kind is a number", line: func(t *testing.T) string { return `{"kind":1}` }, wantErr: []string{"kind"}},
		{name: "truncated JSON", line: func(t *testing.T) string { return exampleOrder[:60] }, wantErr: []string{"JSON"}},
		{name: "not JSON at all", line: func(t *testing.T) string { return "reference;date;name" }, wantErr: []string{"JSON"}},
		{name: "JSON array", line: func(t *testing.T) string { return "[" + exampleOrder + "]" }, wantErr: []string{"JSON"}},
		{name: "two objects on a line", line: func(t *testing.T) string { return exampleOrder + " " + exampleOrder }, wantErr: []string{"JSON"}},
		{name: "quantity as a string", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["items"].([]any)[0].(map[string]any)["quantity"] = "1" })
		}, wantErr: []string{"quantity"}},
		{name: "date without a time", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["date"] = "2026-03-14" }) }, wantErr: []string{"date", "2026-03-14"}},
		{name: "date in another format", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["date"] = "14/03/2026 10:22" })
		}, wantErr: []string{"date"}},
		{name: "missing date", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "date") }) }, wantErr: []string{"date"}},
		{name: "support start not a date", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_start"] = "14.03.2026" })
		}, wantErr: []string{"license 1", "support_start"}},
		{name: "support end on a day that does not exist", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_end"] = "2027-02-30" })
		}, wantErr: []string{"license 1", "support_end"}},
		{name: "support end before its start", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["support_end"] = "2026-03-13" })
		}, wantErr: []string{"license 1", "support_end"}},
		{name: "zero licenses", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["licenses"] = []any{} }) }, wantErr: []string{"license"}},
		{name: "licenses missing", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { delete(m, "licenses") }) }, wantErr: []string{"license"}},
		{name: "license with zero users", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { firstLicense(m)["users"] = 0 })
		}, wantErr: []string{"license 1", "users"}},
		{name: "bad reference", line: func(t *testing.T) string { return withRef(t, "100234") }, wantErr: []string{"reference", "100234"}},
		{name: "bad email", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["email"] = "marie" }) }, wantErr: []string{"email"}},
		{name: "bad country", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["country"] = "France" }) }, wantErr: []string{"country"}},
		{name: "no items", line: func(t *testing.T) string { return orderLine(t, func(m map[string]any) { m["items"] = []any{} }) }, wantErr: []string{"item"}},
		{name: "activation key too short", line: func(t *testing.T) string {
			return orderLine(t, func(m map[string]any) { m["activation_key"] = "K7QX-3MPA" })
		}, wantErr: []string{"activation_key"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := &keySource{}
			line := tc.line(t)
			p, o, err := domain.ParseImportLine([]byte(line), keys.newKey)
			if err == nil {
				t.Fatalf("ParseImportLine(%s) = %v, %v, nil; want an error", line, p, o)
			}
			if p != nil || o != nil {
				t.Errorf("rejected line still gave product %v, order %v", p, o)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("reason %q does not mention %s", err, w)
				}
			}
		})
	}
}

type wantRejected struct {
	line   int
	reason string // a word the reason must hold
}

func checkReport(t *testing.T, got domain.ImportReport, read, imported, skipped int, rejected []wantRejected) {
	t.Helper()
	if got.Read != read || got.Imported != imported || got.Skipped != skipped || len(got.Rejected) != len(rejected) {
		t.Errorf("report: read %d, imported %d, skipped %d, rejected %d; want %d, %d, %d, %d\n%s",
			got.Read, got.Imported, got.Skipped, len(got.Rejected), read, imported, skipped, len(rejected), got)
	}
	rej := slices.Clone(got.Rejected)
	sort.SliceStable(rej, func(i, j int) bool { return rej[i].Line < rej[j].Line })
	for i := range min(len(rej), len(rejected)) {
		if rej[i].Line != rejected[i].line || !strings.Contains(rej[i].Reason, rejected[i].reason) {
			t.Errorf("rejected line %d: %q; want line %d mentioning %q", rej[i].Line, rej[i].Reason, rejected[i].line, rejected[i].reason)
		}
		if s := got.String(); !strings.Contains(s, fmt.Sprintf("line %d: ", rejected[i].line)) {
			t.Errorf("printed report does not name line %d:\n%s", rejected[i].line, s)
		}
	}
}

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

type failingReader struct{ data io.Reader }

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.data.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestImportFailures(t *testing.T) {
	storeErr := errors.New("store is closed")
	tests := []struct {
		name   string
		reader io.Reader
		fail   error
		want   string
	}{
		{name: "reader error", reader: &failingReader{strings.NewReader(exampleOrder + "\n")}, want: "disk on fire"},
		{name: "store error on a product", reader: strings.NewReader(exampleProduct + "\n"), fail: storeErr, want: storeErr.Error()},
		{name: "store error on an order", reader: strings.NewReader(exampleOrder + "\n"), fail: storeErr, want: storeErr.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newFakeStore()
			store.fail = tc.fail
			_, err := domain.Import(context.Background(), tc.reader, store, (&keySource{}).newKey)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestImportReportFailed(t *testing.T) {
	rejected := func(n int) []domain.RejectedLine {
		var r []domain.RejectedLine
		for i := range n {
			r = append(r, domain.RejectedLine{Line: i + 1, Reason: "bad"})
		}
		return r
	}
	tests := []struct {
		name   string
		report domain.ImportReport
		want   bool
	}{
		{name: "nothing read", report: domain.ImportReport{}, want: false},
		{name: "everything imported", report: domain.ImportReport{Read: 3, Imported: 3}, want: false},
		{name: "everything skipped", report: domain.ImportReport{Read: 3, Skipped: 3}, want: false},
		{name: "some rejected", report: domain.ImportReport{Read: 3, Imported: 2, Rejected: rejected(1)}, want: false},
		{name: "all but one rejected", report: domain.ImportReport{Read: 3, Skipped: 1, Rejected: rejected(2)}, want: false},
		{name: "every line rejected", report: domain.ImportReport{Read: 3, Rejected: rejected(3)}, want: true},
		{name: "the only line rejected", report: domain.ImportReport{Read: 1, Rejected: rejected(1)}, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.report.Failed(); got != tc.want {
				t.Errorf("Failed() = %v, want %v for %+v", got, tc.want, tc.report)
			}
		})
	}

	imports := []struct {
		name  string
		input string
		want  bool
	}{
		{name: "import of bad lines only", input: "{\n\n" + `{"kind":"invoice"}` + "\n", want: true},
		{name: "import of blank lines only", input: "\n  \n\n", want: false},
		{name: "import with one good line", input: "{\n" + exampleOrder + "\n", want: false},
	}
	for _, tc := range imports {
		t.Run(tc.name, func(t *testing.T) {
			report, err := domain.Import(context.Background(), strings.NewReader(tc.input), newFakeStore(), (&keySource{}).newKey)
			if err != nil {
				t.Fatal(err)
			}
			if got := report.Failed(); got != tc.want {
				t.Errorf("Failed() = %v, want %v for\n%s", got, tc.want, report)
			}
		})
	}
}
