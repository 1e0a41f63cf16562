package views

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"portal/domain"
	"portal/i18n"
)

// InvoiceData is one version of an order's invoice, every text ready to print:
// the HTML page (invoice.templ) and the PDF (package views/invoicepdf) show the
// same fields, in the same order.
type InvoiceData struct {
	// Lang is the language of the labels, dates and amounts (the reader's);
	// the data stays as stored.
	Lang   string
	Labels InvoiceLabelsData
	// Title is "Invoice", or "Corrected invoice" for a version that replaces another.
	Title    string
	Number   string
	Replaces string // the number this version replaces, if any
	Issued   string // the date of issue, as the language writes it
	// IssuedISO is the date of issue as 2026-11-27, for <time datetime>.
	IssuedISO string
	OrderRef  string
	// OrderDate is the date of supply (the order's date), shown when it is not
	// the date of issue; OrderDateISO as 2026-11-20.
	OrderDate, OrderDateISO string
	Seller                  PartyData
	// SellerMissing says that no seller details were set: the invoice lacks what
	// the law asks, and says so rather than pass for complete.
	SellerMissing bool
	Buyer         PartyData
	PONumber      string
	Currency      string
	Items         []InvoiceItemData
	Net           string // the items' sum
	// TaxLabel is "VAT 20%"; empty when the order carries no tax.
	TaxLabel string
	Tax      string
	// TaxNote is a mention the law asks for, such as "Reverse charge".
	TaxNote string
	Gross   string // what was paid
}

// InvoiceLabelsData are an invoice's words in the reader's language, for
// the page and the PDF alike.
type InvoiceLabelsData struct {
	Number, Issued, Replaces, Order, Supplied, PONumber, YourPONumber string
	Seller, BillTo, SellerMissing, VATID                              string
	Description, Quantity, UnitPrice, Amount, Net, Total              string
	Download, Print, Page                                             string
}

// InvoiceLabels are an invoice's words in language l.
func InvoiceLabels(l *i18n.Lang) InvoiceLabelsData {
	return InvoiceLabelsData{
		Number: l.T("invoice.number"), Issued: l.T("invoice.issued"), Replaces: l.T("invoice.replaces"),
		Order: l.T("invoice.order"), Supplied: l.T("invoice.supplied"), PONumber: l.T("invoice.po_number"),
		YourPONumber: l.T("invoice.your_po_number"), Seller: l.T("invoice.seller"), BillTo: l.T("invoice.bill_to"),
		SellerMissing: l.T("invoice.seller_missing"), VATID: l.T("invoice.vat_id"),
		Description: l.T("invoice.item_description"), Quantity: l.T("invoice.quantity"), UnitPrice: l.T("order.unit_price"),
		Amount: l.T("order.amount"), Net: l.T("order.net"), Total: l.T("orders.total"),
		Download: l.T("invoice.download"), Print: l.T("invoice.print"), Page: l.T("invoice.page"),
	}
}

// PartyData is a seller or buyer: a name, address lines and a VAT number.
type PartyData struct {
	Name  string
	Lines []string
	VATID string
}

// InvoiceItemData is one line of an invoice: amounts with their currency's decimals.
type InvoiceItemData struct {
	Description string
	Quantity    string
	UnitPrice   string
	Amount      string
}

// NewInvoiceData shapes a version of the order's invoice in language l (its
// labels, dates and amounts; the data stays as stored). seller stands in for
// the version's own seller when it has none (an invoice imported from another
// system).
func NewInvoiceData(l *i18n.Lang, o domain.Order, inv domain.Invoice, seller domain.Seller) InvoiceData {
	if inv.Seller.Name != "" {
		seller = inv.Seller
	}
	money := func(amount int64) string { return l.Money(amount, o.Currency, domain.MinorUnits(o.Currency)) }
	d := InvoiceData{
		Lang:      l.Code,
		Labels:    InvoiceLabels(l),
		Title:     l.T("invoice.title"),
		Number:    inv.Number,
		Replaces:  inv.Replaces,
		Issued:    l.Date(inv.Issued),
		IssuedISO: isoDate(inv.Issued),
		OrderRef:  o.Reference,
		Seller:    PartyData{Name: seller.Name, Lines: seller.Address, VATID: seller.VATID},
		Buyer:     buyer(l, o, inv.Billing),
		PONumber:  inv.Billing.PONumber,
		Currency:  o.Currency,
		Net:       money(o.NetTotal()),
		Gross:     money(o.Total),
	}
	d.SellerMissing = seller.Name == ""
	if inv.Replaces != "" {
		d.Title = l.T("invoice.corrected_title")
	}
	if !sameDay(o.Date, inv.Issued) {
		d.OrderDate, d.OrderDateISO = l.Date(o.Date), isoDate(o.Date)
	}
	for _, it := range o.Items {
		d.Items = append(d.Items, InvoiceItemData{
			Description: it.Description,
			Quantity:    strconv.FormatInt(it.Quantity, 10),
			UnitPrice:   money(it.UnitAmount),
			Amount:      money(it.Amount),
		})
	}
	if t := o.Tax; t != nil {
		d.TaxLabel = l.T("order.vat", "Rate", l.Rate(t.RateBP))
		d.Tax = money(t.Amount)
		d.TaxNote = langTaxNote(l, t.Note)
	}
	return d
}

// buyer is the order's buyer as the invoice names them: the billing details
// where given, else the order's own name and place.
func buyer(l *i18n.Lang, o domain.Order, b domain.Billing) PartyData {
	p := PartyData{Name: o.Name, VATID: b.VATID}
	if b.Company != "" {
		p.Name = b.Company
	}
	if o.ContactName != "" && o.ContactName != p.Name {
		p.Lines = append(p.Lines, l.T("invoice.attn", "Name", o.ContactName))
	}
	p.Lines = append(p.Lines, b.Address...)
	city := strings.TrimSpace(b.Postcode + " " + b.City)
	country := b.Country
	if city == "" && b.Country == "" && len(b.Address) == 0 {
		city, country = o.City, o.Country
	}
	if city != "" {
		p.Lines = append(p.Lines, city)
	}
	if country != "" {
		p.Lines = append(p.Lines, l.Country(country))
	}
	return p
}

func sameDay(a, b time.Time) bool { return isoDate(a) == isoDate(b) }

// InvoiceLinksData are the invoice page's ways out: back to its order, and
// the same version as a PDF.
type InvoiceLinksData struct {
	Back string
	PDF  string
	// Langs is the language menu.
	Langs []LangLinkData
}

// InvoiceVersionData is one version of an order's invoice in the order's
// details, with where to open it.
type InvoiceVersionData struct {
	Number   string
	Issued   time.Time
	Replaces string
	// Current is the latest version: the one the customer's accountant wants.
	Current bool
	Page    string
	PDF     string
}

// invoiceVersions lists the order's invoice versions, newest first, under
// base ("/orders/JWT100234" or "/staff/orders/JWT100234").
func invoiceVersions(o domain.Order, base string) []InvoiceVersionData {
	out := make([]InvoiceVersionData, 0, len(o.Invoices))
	for i := len(o.Invoices) - 1; i >= 0; i-- {
		inv := o.Invoices[i]
		v := InvoiceVersionData{Number: inv.Number, Issued: inv.Issued, Replaces: inv.Replaces, Current: i == len(o.Invoices)-1,
			Page: base + "/invoice", PDF: base + "/invoice.pdf"}
		if !v.Current {
			q := "?number=" + url.QueryEscape(inv.Number)
			v.Page, v.PDF = v.Page+q, v.PDF+q
		}
		out = append(out, v)
	}
	return out
}

// billingLines are billing details to show, empty when none are given.
func billingLines(b domain.Billing) BillingLinesData {
	var lines []string
	if b.Company != "" {
		lines = append(lines, b.Company)
	}
	lines = append(lines, b.Address...)
	if place := strings.TrimSpace(b.Postcode + " " + b.City); place != "" {
		lines = append(lines, place)
	}
	return BillingLinesData{Lines: lines, Country: b.Country, VATID: b.VATID, PONumber: b.PONumber}
}

// BillingFormData is the billing form of an order, filled with what was
// typed (after an error) or what is stored.
type BillingFormData struct {
	Reference string
	// Current is the invoice number a save would replace.
	Current string
	Billing domain.Billing
	// Address is the address lines as the textarea holds them.
	Address    string
	VATInvalid bool
	CSRF       string
	Flash      FlashData
}

// NewBillingFormData fills the form of order o with b.
func NewBillingFormData(o domain.Order, b domain.Billing, csrf string) BillingFormData {
	current, _ := o.Invoice("")
	return BillingFormData{Reference: o.Reference, Current: current.Number, Billing: b,
		Address: strings.Join(b.Address, "\n"), CSRF: csrf}
}
