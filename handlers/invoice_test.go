package handlers_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portal/domain"
)

// invoiceSeller is the vendor of the invoice tests: accents in its address,
// as a French vendor's has.
var invoiceSeller = domain.Seller{Name: "Télésoft Systèmes SAS", Address: []string{"5 place Bellecour", "Boîte 3", "69002 Lyon", "France"},
	VATID: "FR40303265045", InvoicePrefix: "INV-"}

// Marie's order of a French company with VAT, and one of a German branch
// invoiced under the reverse charge, as a vendor's previous system exports them.
const taxedOrders = `{"kind":"order","reference":"JWT100950","date":"2026-05-02T09:00:00Z","name":"Acme SARL","country":"FR","city":"Lyon","contact_name":"Marie Dupont","email":"marie@acme.example","currency":"EUR","items":[{"description":"Remote Work Standard, 5 workstations","quantity":5,"unit_amount":9000},{"description":"Setup – 2 heures à 75,00 €","quantity":2,"unit_amount":7500}],"total":72000,"invoice_number":"F-2026-77","billing":{"company":"Acme SARL","address":["12 rue Mercière","Boîte 3"],"postcode":"69002","city":"Lyon","country":"FR","vat_id":"FR 40 303 265 045","po_number":"PO-118"},"tax":{"rate_bp":2000,"amount":12000},"licenses":[{"software":"Remote Work","edition":"Standard","users":5,"serial":"","support_start":"2026-05-02","support_end":"2027-05-02"}]}
{"kind":"order","reference":"JWT100951","date":"2026-05-03T09:00:00Z","name":"Acme GmbH","country":"DE","city":"Köln","contact_name":"Marie Dupont","email":"marie@acme.example","currency":"EUR","items":[{"description":"Remote Work Standard, 2 workstations","quantity":2,"unit_amount":9000}],"billing":{"company":"Acme GmbH","address":["Hohe Straße 1"],"postcode":"50667","city":"Köln","country":"DE","vat_id":"DE129273398"},"tax":{"rate_bp":0,"amount":0,"note":"Reverse charge"},"licenses":[{"software":"Remote Work","edition":"Standard","users":2,"serial":"","support_start":"2026-05-03","support_end":"2027-05-03"}]}
`

func newInvoicePortal(t *testing.T) *testPortal {
	t.Helper()
	p := newTestPortal(t)
	ctx := context.Background()
	report, err := domain.Import(ctx, strings.NewReader(taxedOrders), p.store, domain.NewActivationKey)
	if err != nil || len(report.Rejected) > 0 {
		t.Fatalf("import: %v %s", err, report)
	}
	if err := p.store.SaveSeller(ctx, invoiceSeller, domain.AuditEntry{At: fixedNow, Staff: "test", Action: "seller details saved"}); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfText reads a PDF back as text with pdftotext (poppler-utils, which the
// test command installs), its runs of spaces made one.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing: scripts/test.sh installs poppler-utils")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// mandatory are the fields art. 226 of the VAT Directive asks of order
// JWT100950's invoice, as they read.
var mandatory = []string{
	"F-2026-77", "May 2, 2026", // number, date of issue (in the reader's language)
	"Télésoft Systèmes SAS", "5 place Bellecour", "Boîte 3", "69002 Lyon", "FR40303265045", // seller
	"Acme SARL", "12 rue Mercière", "69002 Lyon", "FR40303265045", "PO-118", // buyer
	"Remote Work Standard, 5 workstations", "EUR 90.00", "EUR 450.00", // an item: description, unit price, amount
	"Setup – 2 heures à 75,00 €", "EUR 75.00", "EUR 150.00",
	"VAT 20%", "EUR 120.00", // tax rate and amount
	"Net", "EUR 600.00", "Total", "EUR 720.00", // net and gross
}

func TestInvoicePageAndPDFCarryEveryMandatoryField(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	page := c.get("/orders/JWT100950/invoice")
	if page.StatusCode != 200 {
		t.Fatalf("invoice page: %d", page.StatusCode)
	}
	text := visibleText(page.body)
	pdf := c.get("/orders/JWT100950/invoice.pdf")
	if pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(pdf.Header.Get("Content-Disposition"), `filename="invoice-F-2026-77.pdf"`) {
		t.Fatalf("invoice PDF: %d %v", pdf.StatusCode, pdf.Header)
	}
	pdfLines := pdfText(t, []byte(pdf.body))
	for _, field := range mandatory {
		if !strings.Contains(text, field) {
			t.Errorf("the invoice page lacks %q", field)
		}
		if !strings.Contains(pdfLines, field) {
			t.Errorf("the invoice PDF lacks %q", field)
		}
	}
	for _, quantity := range []string{"Remote Work Standard, 5 workstations 5 EUR 90.00", "Setup – 2 heures à 75,00 € 2 EUR 75.00"} {
		if !strings.Contains(pdfLines, quantity) {
			t.Errorf("the PDF's item line %q is missing (quantity beside its item)", quantity)
		}
	}

	// The reverse charge, said on page and PDF, with the buyer's VAT number.
	rc := c.get("/orders/JWT100951/invoice.pdf")
	for _, field := range []string{"Reverse charge", "DE129273398", "VAT 0%", "EUR 0.00", "EUR 180.00"} {
		if !strings.Contains(pdfText(t, []byte(rc.body)), field) {
			t.Errorf("the reverse-charge PDF lacks %q", field)
		}
		if !strings.Contains(visibleText(c.get("/orders/JWT100951/invoice").body), field) {
			t.Errorf("the reverse-charge page lacks %q", field)
		}
	}
}

// visibleText is a page without its tags, its runs of spaces made one.
func visibleText(html string) string {
	var b strings.Builder
	inTag := false
	for _, r := range html {
		switch {
		case r == '<':
			inTag = true
			b.WriteByte(' ')
		case r == '>':
			inTag = false
		case r == '\u00ad': // a soft hyphen shows only where a line breaks
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(b.String(), "&amp;", "&"), "&#39;", "'")), " ")
}

func TestInvoicesOfAnotherCustomerAreNotFound(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	for _, path := range []string{"/orders/JWT100412/invoice", "/orders/JWT100412/invoice.pdf", "/orders/JWT100412/billing",
		"/orders/JWT100950/invoice?number=INV-2025-0002", "/orders/JWT999999/invoice.pdf"} {
		if res := c.get(path); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	c.get("/orders/JWT100234/billing")
	if res := c.post("/orders/JWT100412/billing", url.Values{"company": {"Stolen Ltd"}}); res.StatusCode != 404 {
		t.Errorf("POST another customer's billing: %d, want 404", res.StatusCode)
	}
	if o, _, _ := p.store.Order(context.Background(), "JWT100412"); len(o.Invoices) != 1 || !o.Billing.IsZero() {
		t.Errorf("John's order changed: %+v", o)
	}
	if res := p.client(t).get("/orders/JWT100950/invoice.pdf"); res.StatusCode != 303 {
		t.Errorf("the PDF without a session: %d, want a redirect to the login", res.StatusCode)
	}
}

func TestBillingEditIssuesACorrectedInvoice(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	form := c.get("/orders/JWT100234/billing")
	if form.StatusCode != 200 || !strings.Contains(form.body, "replaces INV-2026-0001") {
		t.Fatalf("billing form: %d", form.StatusCode)
	}
	details := url.Values{"company": {"Acme SARL"}, "address": {"12 rue Mercière\r\nBoîte 3\r\n"}, "postcode": {"69002"},
		"city": {"Lyon"}, "country": {"fr"}, "vat_id": {"fr40 303 265 045"}, "po_number": {"PO-9"}}
	saved := c.post("/orders/JWT100234/billing", details)
	if saved.StatusCode != 200 || !strings.Contains(saved.body, "Corrected invoice INV-2026-0001-R1 replaces INV-2026-0001") {
		t.Fatalf("save: %d %s", saved.StatusCode, visibleText(saved.body))
	}
	r1 := visibleText(c.get("/orders/JWT100234/invoice").body)
	for _, want := range []string{"Corrected invoice", "INV-2026-0001-R1", "Replaces INV-2026-0001", "Boîte 3", "FR40303265045", "PO-9", "EUR 601.00"} {
		if !strings.Contains(r1, want) {
			t.Errorf("the corrected invoice lacks %q", want)
		}
	}
	original := visibleText(c.get("/orders/JWT100234/invoice?number=INV-2026-0001").body)
	if strings.Contains(original, "12 rue Mercière") || !strings.Contains(original, "INV-2026-0001") || strings.Contains(original, "Corrected") {
		t.Errorf("the original version changed: %s", original)
	}
	if res := c.get("/orders/JWT100234/invoice.pdf?number=INV-2026-0001"); res.StatusCode != 200 {
		t.Errorf("the original's PDF: %d", res.StatusCode)
	}
	c.get("/orders/JWT100234/billing")
	again := c.post("/orders/JWT100234/billing", details)
	if !strings.Contains(again.body, "Nothing changed") {
		t.Errorf("saving the same details: %s", visibleText(again.body))
	}
	o, _, _ := p.store.Order(context.Background(), "JWT100234")
	if len(o.Invoices) != 2 || o.Total != 60100 || o.Billing.VATID != "FR40303265045" || o.Billing.Country != "FR" || len(o.Billing.Address) != 2 {
		t.Errorf("stored after two saves of the same details: %+v", o)
	}
	// Both versions, newest first, in the order's details.
	detailsPage := c.get("/orders/JWT100234")
	if i, j := strings.Index(detailsPage.body, "INV-2026-0001-R1"), strings.Index(detailsPage.body, "(replaced)"); i < 0 || j < i {
		t.Errorf("the order's details do not list both versions, newest first")
	}
}

func TestBadBillingDetailsAreRefusedAndChangeNothing(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"company": {"Acme"}, "country": {"FR"}, "vat_id": {"FR123"}}, "FR followed by 2 letters or digits and 9 digits"},
		{url.Values{"company": {"Acme"}, "country": {"DE"}, "vat_id": {"123456789"}}, "DE followed by 9 digits"},
		{url.Values{"company": {"Acme"}, "country": {"France"}}, "two-letter country code"},
		{url.Values{"address": {"1\n2\n3\n4\n5"}}, "at most 4 lines"},
		{url.Values{"company": {strings.Repeat("x", 201)}}, "at most 200"},
	} {
		c.get("/orders/JWT100234/billing")
		res := c.post("/orders/JWT100234/billing", tc.form)
		if res.StatusCode != 422 || !strings.Contains(res.body, tc.want) {
			t.Errorf("%v: %d, want 422 saying %q", tc.form, res.StatusCode, tc.want)
		}
		if tc.form.Get("vat_id") != "" && !strings.Contains(res.body, `value="`+tc.form.Get("vat_id")+`"`) {
			t.Errorf("%v: the form does not keep what was typed", tc.form)
		}
	}
	if o, _, _ := p.store.Order(context.Background(), "JWT100234"); len(o.Invoices) != 1 || !o.Billing.IsZero() {
		t.Errorf("refused details changed the order: %+v", o)
	}
}

func TestStaffSeeBillingDetailsAndEveryInvoiceVersion(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	c.get("/orders/JWT100950/billing")
	c.post("/orders/JWT100950/billing", url.Values{"company": {"Acme Lyon SARL"}, "country": {"FR"}, "vat_id": {"FR40303265045"}})
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	staff := p.staff(t, "sam@vendor.example")
	page := staff.get("/staff/orders/JWT100950")
	text := visibleText(page.body)
	for _, want := range []string{"Acme Lyon SARL", "F-2026-77-R1", "F-2026-77 (replaced)", "/staff/orders/JWT100950/invoice.pdf?number=F-2026-77"} {
		if !strings.Contains(text, want) && !strings.Contains(page.body, want) {
			t.Errorf("the staff order page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "Edit billing details") {
		t.Error("staff are offered the customer's billing form")
	}
	pdf := staff.get("/staff/orders/JWT100950/invoice.pdf?number=F-2026-77")
	if pdf.StatusCode != 200 || !strings.Contains(pdfText(t, []byte(pdf.body)), "12 rue Mercière") {
		t.Errorf("staff's PDF of the original version: %d", pdf.StatusCode)
	}
	if res := staff.get("/staff/orders/JWT100950/invoice?number=nope"); res.StatusCode != 404 {
		t.Errorf("an unknown version: %d, want 404", res.StatusCode)
	}
}
