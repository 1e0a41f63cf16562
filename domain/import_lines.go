package domain

import "time"

// ProductLine is a product line of the import format (and of exports).
type ProductLine struct {
	Kind                    string `json:"kind"`
	Software                string `json:"software"`
	Edition                 string `json:"edition"`
	Upgradable              bool   `json:"upgradable"`
	Currency                string `json:"currency"`
	SeatPrice               *int64 `json:"seat_price"`
	SupportPricePerSeatYear *int64 `json:"support_price_per_seat_year"`
	Retired                 bool   `json:"retired,omitempty"`
}

// OrderLine is an order line of the import format (and of exports). Total,
// ActivationKey, Source and the licenses' Version are optional.
type OrderLine struct {
	Kind          string        `json:"kind"`
	Reference     string        `json:"reference"`
	Date          string        `json:"date"`
	Name          string        `json:"name"`
	Country       string        `json:"country"`
	City          string        `json:"city"`
	ContactName   string        `json:"contact_name"`
	Email         string        `json:"email"`
	Currency      string        `json:"currency"`
	Items         []Item        `json:"items"`
	Total         *int64        `json:"total,omitempty"`
	ActivationKey string        `json:"activation_key,omitempty"`
	Source        Source        `json:"source,omitempty"`
	Licenses      []LicenseLine `json:"licenses"`
	// InvoiceNumber, Billing and Tax are optional (section 11); without an
	// invoice number the order gets the next of the seller's series.
	InvoiceNumber string   `json:"invoice_number,omitempty"`
	Billing       *Billing `json:"billing,omitempty"`
	Tax           *Tax     `json:"tax,omitempty"`
	// Invoices, in exports, are every version of the order's invoice when they
	// say more than InvoiceNumber and Billing: corrections, or who issued them.
	Invoices []Invoice `json:"invoices,omitempty"`
}

// LicenseLine is a license inside an order line.
type LicenseLine struct {
	Software     string `json:"software"`
	Edition      string `json:"edition"`
	Users        int    `json:"users"`
	Serial       string `json:"serial"`
	SupportStart string `json:"support_start"`
	SupportEnd   string `json:"support_end"`
	Version      int    `json:"version,omitempty"`
}

// NewProductLine is p as an import line.
func NewProductLine(p Product) ProductLine {
	return ProductLine{Kind: "product", Software: p.Software, Edition: p.Edition, Upgradable: p.Upgradable,
		Currency: p.Currency, SeatPrice: &p.SeatPrice, SupportPricePerSeatYear: &p.SupportPricePerSeatYear, Retired: p.Retired}
}

// NewOrderLine is o with its licenses as an import line that brings back all of
// it: activation key, source, serials and versions.
func NewOrderLine(o Order, licenses []License) OrderLine {
	line := OrderLine{Kind: "order", Reference: o.Reference, Date: o.Date.UTC().Format(time.RFC3339Nano),
		Name: o.Name, Country: o.Country, City: o.City, ContactName: o.ContactName, Email: o.Email,
		Currency: o.Currency, Items: o.Items, Total: &o.Total, ActivationKey: o.ActivationKey, Source: o.Source,
		Licenses: []LicenseLine{}, InvoiceNumber: o.InvoiceNumber(), Tax: o.Tax}
	if !o.Billing.IsZero() {
		b := o.Billing
		line.Billing = &b
	}
	if len(o.Invoices) > 1 || (len(o.Invoices) == 1 && (o.Invoices[0].Seller.Name != "" || !o.Invoices[0].Issued.Equal(o.Date))) {
		line.Invoices = o.Invoices
	}
	for _, l := range licenses {
		line.Licenses = append(line.Licenses, LicenseLine{Software: l.Software, Edition: l.Edition, Users: l.Users,
			Serial: l.Serial, SupportStart: l.SupportStart.UTC().Format(DateLayout),
			SupportEnd: l.SupportEnd.UTC().Format(DateLayout), Version: l.Version})
	}
	return line
}
