package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Invoice is one issued version of an order's invoice. The first is issued with
// the order; each change of the billing details issues a corrected one that
// names the version it replaces (art. 219 of the VAT Directive treats such a
// document as an invoice). Versions are never changed or removed.
type Invoice struct {
	Number   string    `json:"number"`
	Issued   time.Time `json:"issued"`
	Replaces string    `json:"replaces,omitempty"`
	Billing  Billing   `json:"billing,omitzero"`
	// Seller is who issued this version, as on that day; empty for an invoice
	// imported from another system, shown with the seller details of today.
	Seller Seller `json:"seller,omitzero"`
}

// maxInvoiceNumberLen bounds an imported invoice number.
const maxInvoiceNumberLen = 40

// ValidInvoiceNumber reports whether n can be an invoice number: 1 to 40
// printable characters without spaces at either end.
func ValidInvoiceNumber(n string) bool {
	if n == "" || len(n) > maxInvoiceNumberLen || strings.TrimSpace(n) != n || !utf8.ValidString(n) {
		return false
	}
	for _, r := range n {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// InvoiceSeries is the beginning shared by the invoice numbers that prefix
// gives in the year of issued: "INV-2026-". Each series counts from 1.
func InvoiceSeries(prefix string, issued time.Time) string {
	if prefix == "" {
		prefix = DefaultInvoicePrefix
	}
	return prefix + strconv.Itoa(issued.UTC().Year()) + "-"
}

// InvoiceNumber is the nth number of a series: "INV-2026-0042".
func InvoiceNumber(series string, n uint64) string {
	return fmt.Sprintf("%s%04d", series, n)
}

// CounterInvoiceSeries names the counter of a series' last number.
func CounterInvoiceSeries(series string) string { return "invoice:" + series }

// InvoiceNumber is the number of the order's first invoice, "" before it is issued.
func (o Order) InvoiceNumber() string {
	if len(o.Invoices) == 0 {
		return ""
	}
	return o.Invoices[0].Number
}

// Invoice answers the version of the order's invoice numbered n, or the
// latest one when n is "".
func (o Order) Invoice(n string) (Invoice, bool) {
	if len(o.Invoices) == 0 {
		return Invoice{}, false
	}
	if n == "" {
		return o.Invoices[len(o.Invoices)-1], true
	}
	for _, inv := range o.Invoices {
		if inv.Number == n {
			return inv, true
		}
	}
	return Invoice{}, false
}

// NetTotal is the sum of the order's items: its total without tax.
func (o Order) NetTotal() int64 {
	if o.Tax == nil {
		return o.Total
	}
	return o.Total - o.Tax.Amount
}

// ChangeBilling sets the buyer's billing details and, when they differ from
// those of the latest invoice, issues a corrected invoice (the original's
// number with -R1, -R2, ...) that replaces it, issued by seller as of now. It
// answers whether an invoice was issued. Amounts never change.
func (u *OrderUpdate) ChangeBilling(b Billing, seller Seller, now time.Time) (issued bool, err error) {
	b, err = b.Normalize()
	if err != nil {
		return false, err
	}
	o := &u.Order
	latest, ok := o.Invoice("")
	if !ok {
		return false, Conflict("billing.no_invoice", "Order {{.Order}} has no invoice yet.", "Order", o.Reference)
	}
	if latest.Billing.Equal(b) {
		return false, nil
	}
	// A reverse-charge invoice charges no VAT because the buyer accounts for
	// it: it must name the buyer's VAT number (art. 226(4) of the VAT
	// Directive), so that number cannot be taken off it.
	if o.Tax != nil && o.Tax.Note == ReverseCharge && b.VATID == "" {
		return false, Invalid("billing.reverse_charge_vat", "This order's invoice applies the reverse charge, so it must name the buyer's VAT number.")
	}
	if len(o.Invoices) > maxInvoiceVersions {
		return false, Conflict("billing.too_many_versions", "Order {{.Order}} has had {{.Count}} corrected invoices; ask support for another.",
			"Order", o.Reference, "Count", maxInvoiceVersions)
	}
	o.Billing = b
	// Clip: the versions may share their array with a store's cached copy.
	o.Invoices = append(slices.Clip(o.Invoices), Invoice{
		Number:   fmt.Sprintf("%s-R%d", o.Invoices[0].Number, len(o.Invoices)),
		Issued:   now.UTC(),
		Replaces: latest.Number,
		Billing:  b,
		Seller:   seller,
	})
	return true, nil
}

// maxInvoiceVersions bounds the corrections of one order: a customer cannot
// grow an order without end by saving details over and over.
const maxInvoiceVersions = 20

// Numbering is what a fulfilment numbers its new order and invoice with.
type Numbering struct {
	// OrderPrefix begins the new order's reference ("JWT").
	OrderPrefix string
	// Seller issues the new order's invoice; its InvoicePrefix begins the number.
	Seller Seller
}
