package payments

import (
	"time"

	"portal/domain"
)

// stripeMinorUnits lists where Stripe's API counts a currency differently from
// ISO 4217, which the portal stores: ISK in hundredths, MGA in whole units.
var stripeMinorUnits = map[string]int{"ISK": 2, "MGA": 0}

func stripeUnits(currency string) int {
	if n, ok := stripeMinorUnits[currency]; ok {
		return n
	}
	return domain.MinorUnits(currency)
}

// toStripeAmount converts the portal's minor units into Stripe's for currency,
// refusing an amount that Stripe cannot charge exactly.
func toStripeAmount(amount int64, currency string) (int64, error) {
	ours, theirs := domain.MinorUnits(currency), stripeUnits(currency)
	for ; theirs > ours; theirs-- {
		amount *= 10
	}
	for ; theirs < ours; theirs++ {
		if amount%10 != 0 {
			return 0, domain.Conflictf("%s cannot be charged exactly through Stripe", domain.Money{Amount: amount, Currency: currency})
		}
		amount /= 10
	}
	// Stripe takes the three-decimal currencies only in whole tens of their minor unit.
	if ours == 3 && amount%10 != 0 {
		return 0, domain.Conflictf("Stripe charges %s only in steps of 0.010; please contact support for this purchase", currency)
	}
	return amount, nil
}

// fromStripeAmount converts Stripe's minor units back into the portal's.
func fromStripeAmount(amount int64, currency string) int64 {
	ours, theirs := domain.MinorUnits(currency), stripeUnits(currency)
	for ; theirs > ours; theirs-- {
		amount /= 10
	}
	for ; theirs < ours; theirs++ {
		amount *= 10
	}
	return amount
}

func eventTime(created int64, fallback time.Time) time.Time {
	if created <= 0 {
		return fallback
	}
	return time.Unix(created, 0).UTC()
}
