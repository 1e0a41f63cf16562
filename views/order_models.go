package views

import (
	"time"

	"portal/domain"
)

// OrderRowData is one order: a row of the customer's Orders page or of a staff
// search, and the facts at the top of the order's own page.
type OrderRowData struct {
	Reference   string
	Date        time.Time
	Name        string
	Country     string
	City        string
	ContactName string
	Email       string
	Total       string
	// InvoicePDF downloads the order's invoice (its latest version).
	InvoicePDF string
	// UpgradeLicenseID is the order's first license that can be upgraded, if any.
	UpgradeLicenseID string
	// ForStaff marks a row of a staff search: it opens the staff order page, and
	// Matched says what the search matched.
	ForStaff bool
	Matched  string
}

// NewOrderRowData shapes an order for display.
func NewOrderRowData(o domain.Order) OrderRowData {
	return OrderRowData{
		Reference:   o.Reference,
		Date:        o.Date,
		Name:        o.Name,
		Country:     o.Country,
		City:        o.City,
		ContactName: o.ContactName,
		Email:       o.Email,
		Total:       o.TotalMoney().String(),
		InvoicePDF:  invoicePDF(o),
	}
}

func invoicePDF(o domain.Order) string {
	if len(o.Invoices) == 0 {
		return ""
	}
	return "/orders/" + o.Reference + "/invoice.pdf"
}

// FoundBy makes the row one of a staff search that matched the order by matched.
func (r OrderRowData) FoundBy(matched string) OrderRowData {
	r.ForStaff, r.Matched = true, matched
	return r
}

// testID tells a customer's order row from a staff search result, for tests.
func (r OrderRowData) testID() string {
	if r.ForStaff {
		return "result"
	}
	return "order-row"
}

// OrderDetailsData is an order with its items and licenses.
type OrderDetailsData struct {
	Order    OrderRowData
	Source   string
	Items    []ItemRowData
	Licenses []LicenseRowData
	// Net, TaxLabel and Tax are shown above the total when the order carries tax.
	Net, TaxLabel, Tax string
	TaxNote            string
	// Invoices are the versions of the order's invoice, newest first.
	Invoices []InvoiceVersionData
	// Billing is the billing details as lines; BillingURL edits them (customers only).
	Billing    []string
	BillingURL string
	Flash      FlashData
}

// ItemRowData is one item of an order, its amounts formatted with the currency.
type ItemRowData struct {
	Description string
	Quantity    int64
	UnitAmount  string
	Amount      string
}

// NewOrderDetailsData shapes an order and its licenses for display at now.
func NewOrderDetailsData(o domain.Order, licenses []domain.License, now time.Time) OrderDetailsData {
	d := OrderDetailsData{Order: NewOrderRowData(o), Source: string(o.Source)}
	for _, it := range o.Items {
		d.Items = append(d.Items, ItemRowData{
			Description: it.Description,
			Quantity:    it.Quantity,
			UnitAmount:  domain.Money{Amount: it.UnitAmount, Currency: o.Currency}.String(),
			Amount:      domain.Money{Amount: it.Amount, Currency: o.Currency}.String(),
		})
	}
	for _, l := range licenses {
		d.Licenses = append(d.Licenses, NewLicenseRowData(l, now))
	}
	if t := o.Tax; t != nil {
		d.Net = money(o.NetTotal(), o.Currency)
		d.TaxLabel, d.Tax, d.TaxNote = "VAT "+domain.FormatRate(t.RateBP), money(t.Amount, o.Currency), t.Note
	}
	d.Invoices = invoiceVersions(o, "/orders/"+o.Reference)
	d.Billing = billingLines(o.Billing)
	d.BillingURL = "/orders/" + o.Reference + "/billing"
	return d
}

// ForStaff points the order's invoice links at the staff routes; staff read
// billing details but do not edit them.
func (d OrderDetailsData) ForStaff(o domain.Order) OrderDetailsData {
	d.Invoices = invoiceVersions(o, "/staff/orders/"+o.Reference)
	d.BillingURL = ""
	return d
}
