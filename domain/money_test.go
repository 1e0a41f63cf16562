package domain_test

import (
	"math"
	"testing"

	"portal/domain"
)

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		name     string
		amount   int64
		currency string
		want     string
	}{
		{name: "EUR zero", amount: 0, currency: "EUR", want: "0.00"},
		{name: "EUR one cent", amount: 1, currency: "EUR", want: "0.01"},
		{name: "EUR ten cents", amount: 10, currency: "EUR", want: "0.10"},
		{name: "EUR one euro", amount: 100, currency: "EUR", want: "1.00"},
		{name: "EUR just below a thousand", amount: 99999, currency: "EUR", want: "999.99"},
		{name: "EUR one thousand", amount: 100000, currency: "EUR", want: "1,000.00"},
		{name: "EUR with cents", amount: 123450, currency: "EUR", want: "1,234.50"},
		{name: "EUR millions", amount: 123456789, currency: "EUR", want: "1,234,567.89"},
		{name: "EUR exact millions", amount: 100000000, currency: "EUR", want: "1,000,000.00"},
		{name: "EUR negative cents", amount: -5, currency: "EUR", want: "-0.05"},
		{name: "EUR negative thousands", amount: -123450, currency: "EUR", want: "-1,234.50"},
		{name: "EUR negative hundred thousand", amount: -10000000, currency: "EUR", want: "-100,000.00"},
		{name: "USD", amount: 4599, currency: "USD", want: "45.99"},
		{name: "JPY zero", amount: 0, currency: "JPY", want: "0"},
		{name: "JPY has no decimals", amount: 123, currency: "JPY", want: "123"},
		{name: "JPY thousands", amount: 1234, currency: "JPY", want: "1,234"},
		{name: "JPY millions", amount: 1000000, currency: "JPY", want: "1,000,000"},
		{name: "JPY negative", amount: -1000, currency: "JPY", want: "-1,000"},
		{name: "KWD zero", amount: 0, currency: "KWD", want: "0.000"},
		{name: "KWD one fils", amount: 1, currency: "KWD", want: "0.001"},
		{name: "KWD thousands", amount: 1234567, currency: "KWD", want: "1,234.567"},
		{name: "KWD negative", amount: -1500, currency: "KWD", want: "-1.500"},
		{name: "CLF has four decimals", amount: 12345, currency: "CLF", want: "1.2345"},
		{name: "EUR largest int64", amount: math.MaxInt64, currency: "EUR", want: "92,233,720,368,547,758.07"},
		{name: "EUR smallest int64", amount: math.MinInt64, currency: "EUR", want: "-92,233,720,368,547,758.08"},
		{name: "JPY smallest int64", amount: math.MinInt64, currency: "JPY", want: "-9,223,372,036,854,775,808"},
		{name: "KWD smallest int64", amount: math.MinInt64, currency: "KWD", want: "-9,223,372,036,854,775.808"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("FormatAmount(%d, %q) panicked: %v", tc.amount, tc.currency, r)
					}
				}()
				got = domain.FormatAmount(tc.amount, tc.currency)
			}()
			if got != tc.want {
				t.Errorf("FormatAmount(%d, %q) = %q, want %q", tc.amount, tc.currency, got, tc.want)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		name  string
		money domain.Money
		want  string
	}{
		{name: "EUR", money: domain.Money{Amount: 123450, Currency: "EUR"}, want: "EUR 1,234.50"},
		{name: "EUR zero", money: domain.Money{Amount: 0, Currency: "EUR"}, want: "EUR 0.00"},
		{name: "EUR negative", money: domain.Money{Amount: -13315, Currency: "EUR"}, want: "EUR -133.15"},
		{name: "JPY", money: domain.Money{Amount: 45000, Currency: "JPY"}, want: "JPY 45,000"},
		{name: "KWD", money: domain.Money{Amount: 45000, Currency: "KWD"}, want: "KWD 45.000"},
		{name: "large", money: domain.Money{Amount: 1_000_000_000_000_00, Currency: "USD"}, want: "USD 1,000,000,000,000.00"},
		{name: "smallest int64 does not panic", money: domain.Money{Amount: math.MinInt64, Currency: "EUR"}, want: "EUR -92,233,720,368,547,758.08"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("Money%+v.String() panicked: %v", tc.money, r)
					}
				}()
				got = tc.money.String()
			}()
			if got != tc.want {
				t.Errorf("Money%+v.String() = %q, want %q", tc.money, got, tc.want)
			}
		})
	}

	t.Run("order total", func(t *testing.T) {
		o := domain.Order{Total: 45000, Currency: "EUR"}
		if got, want := o.TotalMoney().String(), "EUR 450.00"; got != want {
			t.Errorf("TotalMoney().String() = %q, want %q", got, want)
		}
	})
}

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		name     string
		currency string
		want     int
	}{
		{name: "EUR", currency: "EUR", want: 2},
		{name: "USD", currency: "USD", want: 2},
		{name: "GBP", currency: "GBP", want: 2},
		{name: "JPY", currency: "JPY", want: 0},
		{name: "KRW", currency: "KRW", want: 0},
		{name: "ISK", currency: "ISK", want: 0},
		{name: "KWD", currency: "KWD", want: 3},
		{name: "BHD", currency: "BHD", want: 3},
		{name: "TND", currency: "TND", want: 3},
		{name: "CLF", currency: "CLF", want: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := domain.MinorUnits(tc.currency); got != tc.want {
				t.Errorf("MinorUnits(%q) = %d, want %d", tc.currency, got, tc.want)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in, currency string
		want         int64
		ok           bool
	}{
		{"90", "EUR", 9000, true},
		{"90.5", "EUR", 9050, true},
		{"90.00", "EUR", 9000, true},
		{"1,234.56", "EUR", 123456, true},
		{"0", "EUR", 0, true},
		{"2980", "JPY", 2980, true},
		{"1.500", "KWD", 1500, true},
		{"90.001", "EUR", 0, false},
		{"1.5", "JPY", 0, false},
		{"-5", "EUR", 0, false},
		{"abc", "EUR", 0, false},
		{"", "EUR", 0, false},
		{"9.", "EUR", 0, false},
		{"1e3", "EUR", 0, false},
		// As the portal's other languages write amounts.
		{"90,00", "EUR", 9000, true},
		{"90,5", "EUR", 9050, true},
		{"0,99", "EUR", 99, true},
		{"1.234,56", "EUR", 123456, true},
		{"1 234,56", "EUR", 123456, true},
		{"1\u202f234,56", "EUR", 123456, true},
		{"1.234.567,89", "EUR", 123456789, true},
		{"1,234,567", "EUR", 123456700, true},
		{"1.500", "JPY", 1500, true},
		{"1,500", "KWD", 1500, true},
		// Never guessed: a sign that may be either, groups of the wrong size.
		{"12,345", "EUR", 0, false},
		{"12.345", "EUR", 0, false},
		{"1,23,456", "EUR", 0, false},
		{"12.34.56", "EUR", 0, false},
		{"1.234.56", "EUR", 0, false},
		{",50", "EUR", 0, false},
		{"90,", "EUR", 0, false},
		{"1.5", "JPY", 0, false},
	}
	for _, tc := range cases {
		got, err := domain.ParseAmount(tc.in, tc.currency)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d ok=%v", tc.in, tc.currency, got, err, tc.want, tc.ok)
		}
	}
}
