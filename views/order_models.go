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
	Total       domain.Money
	// InvoicePDF downloads the order's invoice (its latest version).
	InvoicePDF string
	// UpgradeLicenseID is the order's first license that can be upgraded, if any.
	UpgradeLicenseID string
	// ForStaff marks a row of a staff search: it opens the staff order page, and
	// Matched says what the search matched.
	ForStaff bool
	Matched  domain.SearchMatch
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
		Total:       o.TotalMoney(),
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
func (r OrderRowData) FoundBy(matched domain.SearchMatch) OrderRowData {
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
	// Tax, with Net and the rate, is shown above the total when the order
	// carries tax; TaxNote is a mention such as "Reverse charge".
	Tax     *TaxData
	TaxNote string
	// Invoices are the versions of the order's invoice, newest first.
	Invoices []InvoiceVersionData
	// Billing is the billing details; BillingURL edits them (customers only).
	Billing    BillingLinesData
	BillingURL string
	Flash      FlashData
}

// ItemRowData is one item of an order, its amounts with the currency.
type ItemRowData struct {
	Description string
	Quantity    int64
	UnitAmount  domain.Money
	Amount      domain.Money
}

// TaxData is an order's tax: its rate (basis points), amount, and the net
// amount it is on.
type TaxData struct {
	RateBP   int
	Net, Tax domain.Money
}

// BillingLinesData is billing details to show: the lines of the address,
// then the VAT number and the PO number, each labelled by the page.
type BillingLinesData struct {
	Lines []string
	// Country is an ISO code, named in the reader's language on the page.
	Country         string
	VATID, PONumber string
}

// Given reports whether any billing detail was given.
func (b BillingLinesData) Given() bool { return b.hasAddress() || b.VATID != "" || b.PONumber != "" }

func (b BillingLinesData) hasAddress() bool { return len(b.Lines) > 0 || b.Country != "" }

// NewOrderDetailsData shapes an order and its licenses for display at now.
func NewOrderDetailsData(o domain.Order, licenses []domain.License, now time.Time) OrderDetailsData {
	d := OrderDetailsData{Order: NewOrderRowData(o), Source: string(o.Source)}
	for _, it := range o.Items {
		d.Items = append(d.Items, ItemRowData{
			Description: it.Description,
			Quantity:    it.Quantity,
			UnitAmount:  domain.Money{Amount: it.UnitAmount, Currency: o.Currency},
			Amount:      domain.Money{Amount: it.Amount, Currency: o.Currency},
		})
	}
	for _, l := range licenses {
		d.Licenses = append(d.Licenses, NewLicenseRowData(l, now))
	}
	if t := o.Tax; t != nil {
		d.Tax = &TaxData{RateBP: t.RateBP, Net: domain.Money{Amount: o.NetTotal(), Currency: o.Currency},
			Tax: domain.Money{Amount: t.Amount, Currency: o.Currency}}
		d.TaxNote = t.Note
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
