package payments

import "testing"

func TestStripeAmounts(t *testing.T) {
	cases := []struct {
		amount   int64
		currency string
		want     int64
		ok       bool
	}{
		{13315, "EUR", 13315, true},
		{2980, "JPY", 2980, true},
		{5000, "ISK", 500000, true}, // ISK 5,000: Stripe counts hundredths
		{12300, "MGA", 123, true},   // MGA 123.00: Stripe counts whole ariary
		{12345, "MGA", 0, false},    // MGA 123.45 cannot be charged exactly
		{1500, "KWD", 1500, true},
		{1505, "KWD", 0, false}, // Stripe wants the last digit to be 0
	}
	for _, tc := range cases {
		got, err := toStripeAmount(tc.amount, tc.currency)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%d %s: %d, %v; want %d ok=%v", tc.amount, tc.currency, got, err, tc.want, tc.ok)
		}
		if tc.ok && fromStripeAmount(got, tc.currency) != tc.amount {
			t.Errorf("%d %s does not come back from Stripe's units", tc.amount, tc.currency)
		}
	}
}
