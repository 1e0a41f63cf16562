package domain_test

import (
	"testing"

	"portal/domain"
)

func TestValidCurrency(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{name: "euro", code: "EUR", want: true},
		{name: "US dollar", code: "USD", want: true},
		{name: "yen", code: "JPY", want: true},
		{name: "Kuwaiti dinar", code: "KWD", want: true},
		{name: "pound sterling", code: "GBP", want: true},
		{name: "Swiss franc", code: "CHF", want: true},
		{name: "lower case is not the code", code: "eur", want: false},
		{name: "mixed case", code: "Eur", want: false},
		{name: "padded", code: " EUR", want: false},
		{name: "empty", code: "", want: false},
		{name: "two letters", code: "EU", want: false},
		{name: "four letters", code: "EURO", want: false},
		{name: "symbol", code: "€", want: false},
		{name: "no currency code XXX", code: "XXX", want: false},
		{name: "made up", code: "ABC", want: false},
		{name: "numeric code", code: "978", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.ValidCurrency(tc.code); got != tc.want {
				t.Errorf("ValidCurrency(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func TestValidCountry(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{name: "France", code: "FR", want: true},
		{name: "Germany", code: "DE", want: true},
		{name: "United States", code: "US", want: true},
		{name: "United Kingdom", code: "GB", want: true},
		{name: "Japan", code: "JP", want: true},
		{name: "first in the list", code: "AD", want: true},
		{name: "last in the list", code: "ZW", want: true},
		{name: "lower case", code: "fr", want: false},
		{name: "UK is not the ISO code", code: "UK", want: false},
		{name: "EU is not a country", code: "EU", want: false},
		{name: "alpha-3", code: "FRA", want: false},
		{name: "one letter", code: "F", want: false},
		{name: "empty", code: "", want: false},
		{name: "padded", code: "FR ", want: false},
		{name: "unassigned", code: "XX", want: false},
		{name: "numeric", code: "25", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.ValidCountry(tc.code); got != tc.want {
				t.Errorf("ValidCountry(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}

	t.Run("all 249 ISO 3166-1 alpha-2 codes and no others", func(t *testing.T) {
		n := 0
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				if domain.ValidCountry(string([]rune{a, b})) {
					n++
				}
			}
		}
		if n != 249 {
			t.Errorf("ValidCountry accepts %d two-letter codes, want the 249 of ISO 3166-1", n)
		}
	})
}
