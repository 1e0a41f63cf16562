package domain

import "strings"

// Product is a catalog entry. Upgradable products let customers add users or
// workstations from the portal at SeatPrice each, plus support prorated from
// SupportPricePerSeatYear; both in minor units of Currency.
type Product struct {
	Software                string `json:"software"`
	Edition                 string `json:"edition"`
	Upgradable              bool   `json:"upgradable"`
	Currency                string `json:"currency"`
	SeatPrice               int64  `json:"seat_price"`
	SupportPricePerSeatYear int64  `json:"support_price_per_seat_year"`
	// Retired products are no longer sold: their licenses can be neither upgraded
	// nor renewed from the portal.
	Retired bool `json:"retired,omitempty"`
}

// Validate checks the product's fields.
func (p *Product) Validate() error {
	p.Software = strings.TrimSpace(p.Software)
	p.Edition = strings.TrimSpace(p.Edition)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	switch {
	case p.Software == "" || !plainText(p.Software, maxTextLen):
		return Invalid("catalog.bad_software", "The software must be plain text of 1 to {{.Max}} characters.", "Max", maxTextLen)
	case p.Edition == "" || !plainText(p.Edition, maxTextLen):
		return Invalid("catalog.bad_edition", "The edition must be plain text of 1 to {{.Max}} characters.", "Max", maxTextLen)
	case !ValidCurrency(p.Currency):
		return Invalid("catalog.bad_currency", `The currency "{{.Currency}}" is not an ISO 4217 code.`, "Currency", p.Currency)
	case p.SeatPrice < 0 || p.SeatPrice > maxUnitAmount:
		return Invalid("catalog.bad_seat_price", "The price per added user (seat_price) must be between 0 and {{.Max}} minor units.",
			"Max", int64(maxUnitAmount))
	case p.SupportPricePerSeatYear < 0 || p.SupportPricePerSeatYear > maxUnitAmount:
		return Invalid("catalog.bad_support_price",
			"The support per user and year (support_price_per_seat_year) must be between 0 and {{.Max}} minor units.", "Max", int64(maxUnitAmount))
	}
	return nil
}
