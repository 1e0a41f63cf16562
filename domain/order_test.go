package domain_test

import (
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func validOrder() domain.Order {
	return domain.Order{
		Reference:   "JWT100234",
		Date:        time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC),
		Name:        "Acme SARL",
		Country:     "FR",
		City:        "Lyon",
		ContactName: "Marie Dupont",
		Email:       "marie@acme.example",
		Currency:    "EUR",
		Items:       []domain.Item{{Description: "Remote Work Standard, 5 workstations", Quantity: 1, UnitAmount: 45000}},
	}
}

func repeatItems(n int, it domain.Item) []domain.Item {
	items := make([]domain.Item, n)
	for i := range items {
		items[i] = it
	}
	return items
}

func TestOrderValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		modify func(o *domain.Order)
		check  func(t *testing.T, o domain.Order)
	}{
		{
			name:   "example order gets its item amount and total",
			modify: func(o *domain.Order) {},
			check: func(t *testing.T, o domain.Order) {
				if o.Items[0].Amount != 45000 || o.Total != 45000 {
					t.Errorf("item amount %d, total %d; want 45000 and 45000", o.Items[0].Amount, o.Total)
				}
			},
		},
		{
			name: "amounts are quantity times unit amount and the total their sum",
			modify: func(o *domain.Order) {
				o.Items = []domain.Item{
					{Description: "Workstations", Quantity: 3, UnitAmount: 1500},
					{Description: "Support", Quantity: 1, UnitAmount: 45000},
					{Description: "Free training", Quantity: 2, UnitAmount: 0},
				}
			},
			check: func(t *testing.T, o domain.Order) {
				wantAmounts := []int64{4500, 45000, 0}
				for i, it := range o.Items {
					if it.Amount != wantAmounts[i] {
						t.Errorf("item %d amount = %d, want %d", i+1, it.Amount, wantAmounts[i])
					}
				}
				if o.Total != 49500 {
					t.Errorf("total = %d, want 49500", o.Total)
				}
			},
		},
		{
			name:   "a stale total is replaced by the sum of the items",
			modify: func(o *domain.Order) { o.Total = 1 },
			check: func(t *testing.T, o domain.Order) {
				if o.Total != 45000 {
					t.Errorf("total = %d, want 45000", o.Total)
				}
			},
		},
		{
			name: "an item amount that matches is kept",
			modify: func(o *domain.Order) {
				o.Items[0] = domain.Item{Description: "x", Quantity: 2, UnitAmount: 100, Amount: 200}
			},
			check: func(t *testing.T, o domain.Order) {
				if o.Items[0].Amount != 200 || o.Total != 200 {
					t.Errorf("amount %d, total %d; want 200 and 200", o.Items[0].Amount, o.Total)
				}
			},
		},
		{
			name:   "email is trimmed and lower-cased",
			modify: func(o *domain.Order) { o.Email = "  Marie@ACME.Example " },
			check: func(t *testing.T, o domain.Order) {
				if o.Email != "marie@acme.example" {
					t.Errorf("email = %q, want %q", o.Email, "marie@acme.example")
				}
			},
		},
		{
			name:   "country is trimmed and upper-cased",
			modify: func(o *domain.Order) { o.Country = " fr " },
			check: func(t *testing.T, o domain.Order) {
				if o.Country != "FR" {
					t.Errorf("country = %q, want FR", o.Country)
				}
			},
		},
		{
			name:   "currency is upper-cased",
			modify: func(o *domain.Order) { o.Currency = "eur" },
			check: func(t *testing.T, o domain.Order) {
				if o.Currency != "EUR" {
					t.Errorf("currency = %q, want EUR", o.Currency)
				}
			},
		},
		{
			name: "text fields are trimmed",
			modify: func(o *domain.Order) {
				o.Name, o.City, o.ContactName = " Acme SARL ", "\tLyon ", " Marie Dupont"
				o.Items[0].Description = " Remote Work "
			},
			check: func(t *testing.T, o domain.Order) {
				if o.Name != "Acme SARL" || o.City != "Lyon" || o.ContactName != "Marie Dupont" || o.Items[0].Description != "Remote Work" {
					t.Errorf("got name %q, city %q, contact %q, description %q", o.Name, o.City, o.ContactName, o.Items[0].Description)
				}
			},
		},
		{
			name:   "date is stored in UTC",
			modify: func(o *domain.Order) { o.Date = time.Date(2026, 3, 14, 12, 22, 0, 0, time.FixedZone("CEST", 2*3600)) },
			check: func(t *testing.T, o domain.Order) {
				want := time.Date(2026, 3, 14, 10, 22, 0, 0, time.UTC)
				if !o.Date.Equal(want) || o.Date.Location() != time.UTC {
					t.Errorf("date = %s, want %s", o.Date, want)
				}
			},
		},
		{
			name:   "city and contact name may be empty",
			modify: func(o *domain.Order) { o.City, o.ContactName = "", "" },
			check:  func(t *testing.T, o domain.Order) {},
		},
		{
			name: "200 bytes of text is the longest",
			modify: func(o *domain.Order) {
				o.Name = strings.Repeat("n", 200)
				o.Items[0].Description = strings.Repeat("d", 200)
			},
			check: func(t *testing.T, o domain.Order) {
				if len(o.Name) != 200 {
					t.Errorf("name has %d bytes, want 200", len(o.Name))
				}
			},
		},
		{
			name:   "accented text is fine",
			modify: func(o *domain.Order) { o.Name = "Société Générale d'Équipement"; o.City = "Besançon" },
			check: func(t *testing.T, o domain.Order) {
				if o.Name != "Société Générale d'Équipement" {
					t.Errorf("name = %q", o.Name)
				}
			},
		},
		{
			name:   "activation key is normalised",
			modify: func(o *domain.Order) { o.ActivationKey = "k7qx-3mpa-9zzr-4tbc-hd2e-0wns" },
			check: func(t *testing.T, o domain.Order) {
				if o.ActivationKey != "K7QX3MPA9ZZR4TBCHD2E0WNS" {
					t.Errorf("activation key = %q, want K7QX3MPA9ZZR4TBCHD2E0WNS", o.ActivationKey)
				}
			},
		},
		{
			name: "100 items at the largest quantity and unit amount of one item",
			modify: func(o *domain.Order) {
				o.Items = repeatItems(100, domain.Item{Description: "x", Quantity: 1, UnitAmount: 1_000_000_000_000})
			},
			check: func(t *testing.T, o domain.Order) {
				if o.Total != 100_000_000_000_000 {
					t.Errorf("total = %d, want 100000000000000", o.Total)
				}
			},
		},
		{
			name: "largest quantity times largest unit amount",
			modify: func(o *domain.Order) {
				o.Items = []domain.Item{{Description: "x", Quantity: 1_000_000, UnitAmount: 1_000_000_000_000}}
			},
			check: func(t *testing.T, o domain.Order) {
				if o.Total != 1_000_000_000_000_000_000 {
					t.Errorf("total = %d, want 1e18", o.Total)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := validOrder()
			tc.modify(&o)
			if err := o.Validate(); err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			tc.check(t, o)
		})
	}
}

func TestOrderValidateRejects(t *testing.T) {
	maxItem := domain.Item{Description: "x", Quantity: 1_000_000, UnitAmount: 1_000_000_000_000}
	tests := []struct {
		name    string
		modify  func(o *domain.Order)
		wantMsg string // a word the message must hold, so the user knows what to fix
	}{
		{name: "empty reference", modify: func(o *domain.Order) { o.Reference = "" }, wantMsg: "reference"},
		{name: "reference without letters", modify: func(o *domain.Order) { o.Reference = "100234" }, wantMsg: "reference"},
		{name: "reference with a letter at the end", modify: func(o *domain.Order) { o.Reference = "JWT12A" }, wantMsg: "reference"},
		{name: "missing date", modify: func(o *domain.Order) { o.Date = time.Time{} }, wantMsg: "date"},
		{name: "empty email", modify: func(o *domain.Order) { o.Email = "" }, wantMsg: "email"},
		{name: "email without domain", modify: func(o *domain.Order) { o.Email = "marie@" }, wantMsg: "email"},
		{name: "email without at sign", modify: func(o *domain.Order) { o.Email = "marie.acme.example" }, wantMsg: "email"},
		{name: "missing name", modify: func(o *domain.Order) { o.Name = "  " }, wantMsg: "name"},
		{name: "name of 201 bytes", modify: func(o *domain.Order) { o.Name = strings.Repeat("n", 201) }, wantMsg: "name"},
		{name: "city of 201 bytes", modify: func(o *domain.Order) { o.City = strings.Repeat("c", 201) }, wantMsg: "city"},
		{name: "contact name of 201 bytes", modify: func(o *domain.Order) { o.ContactName = strings.Repeat("c", 201) }, wantMsg: "contact_name"},
		{name: "control character in the name", modify: func(o *domain.Order) { o.Name = "Acme\x00SARL" }, wantMsg: "name"},
		{name: "newline in the city", modify: func(o *domain.Order) { o.City = "Lyon\nParis" }, wantMsg: "city"},
		{name: "invalid UTF-8 in the name", modify: func(o *domain.Order) { o.Name = "Acme \xff" }, wantMsg: "name"},
		{name: "unknown country", modify: func(o *domain.Order) { o.Country = "XX" }, wantMsg: "country"},
		{name: "UK instead of GB", modify: func(o *domain.Order) { o.Country = "UK" }, wantMsg: "country"},
		{name: "alpha-3 country", modify: func(o *domain.Order) { o.Country = "FRA" }, wantMsg: "country"},
		{name: "missing country", modify: func(o *domain.Order) { o.Country = "" }, wantMsg: "country"},
		{name: "unknown currency", modify: func(o *domain.Order) { o.Currency = "EURO" }, wantMsg: "currency"},
		{name: "missing currency", modify: func(o *domain.Order) { o.Currency = "" }, wantMsg: "currency"},
		{name: "no items", modify: func(o *domain.Order) { o.Items = nil }, wantMsg: "item"},
		{name: "empty item list", modify: func(o *domain.Order) { o.Items = []domain.Item{} }, wantMsg: "item"},
		{name: "101 items", modify: func(o *domain.Order) {
			o.Items = repeatItems(101, domain.Item{Description: "x", Quantity: 1, UnitAmount: 1})
		}, wantMsg: "100"},
		{name: "quantity 0", modify: func(o *domain.Order) { o.Items[0].Quantity = 0 }, wantMsg: "quantity"},
		{name: "negative quantity", modify: func(o *domain.Order) { o.Items[0].Quantity = -1 }, wantMsg: "quantity"},
		{name: "quantity above a million", modify: func(o *domain.Order) { o.Items[0].Quantity = 1_000_001 }, wantMsg: "quantity"},
		{name: "negative unit amount", modify: func(o *domain.Order) { o.Items[0].UnitAmount = -1 }, wantMsg: "unit_amount"},
		{name: "unit amount too large", modify: func(o *domain.Order) { o.Items[0].UnitAmount = 1_000_000_000_001 }, wantMsg: "unit_amount"},
		{name: "item amount that is not quantity times unit", modify: func(o *domain.Order) { o.Items[0].Amount = 40000 }, wantMsg: "amount"},
		{name: "item without description", modify: func(o *domain.Order) { o.Items[0].Description = " " }, wantMsg: "description"},
		{name: "description of 201 bytes", modify: func(o *domain.Order) { o.Items[0].Description = strings.Repeat("d", 201) }, wantMsg: "description"},
		{name: "problem in the second item names it", modify: func(o *domain.Order) {
			o.Items = append(o.Items, domain.Item{Description: "Support", Quantity: 0, UnitAmount: 100})
		}, wantMsg: "item 2"},
		{name: "activation key too short", modify: func(o *domain.Order) { o.ActivationKey = "K7QX-3MPA" }, wantMsg: "activation_key"},
		{name: "activation key with odd characters", modify: func(o *domain.Order) { o.ActivationKey = "K7QX_3MPA_9ZZR_4TBC_HD2E_0WNS" }, wantMsg: "activation_key"},
		// Every item is within its own limits, but their sum does not fit in an int64.
		{name: "total that overflows int64", modify: func(o *domain.Order) { o.Items = repeatItems(10, maxItem) }, wantMsg: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := validOrder()
			tc.modify(&o)
			err := o.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want an error (total now %d)", o.Total)
			}
			if k := domain.KindOf(err); k != domain.KindInvalid {
				t.Errorf("KindOf(err) = %v, want KindInvalid", k)
			}
			if msg := domain.MessageOf(err); !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("message %q does not mention %q", msg, tc.wantMsg)
			}
		})
	}
}
