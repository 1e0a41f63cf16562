package domain_test

import (
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestNormalizeVATID(t *testing.T) {
	for _, tc := range []struct {
		in, country, want, refused string
	}{
		{"fr 40 303 265 045", "FR", "FR40303265045", ""},
		{"DE-129.273.398", "DE", "DE129273398", ""},
		{"ATU12345678", "AT", "ATU12345678", ""},
		{"EL123456789", "GR", "EL123456789", ""},
		{"NL123456789B01", "NL", "NL123456789B01", ""},
		{"ESX1234567X", "ES", "ESX1234567X", ""},
		{"IE1234567WA", "IE", "IE1234567WA", ""},
		{"DE129273398", "FR", "DE129273398", ""},      // a German number of a company billed in France
		{"CHE-123.456.789", "CH", "CHE123456789", ""}, // outside the EU: kept as typed
		{"", "FR", "", ""},
		{"FR123", "FR", "", "FR followed by 2 letters or digits and 9 digits, such as FR12345678901"},
		{"DE12345678", "DE", "", "Germany: it is DE followed by 9 digits"},
		{"123456789", "DE", "", "DE followed by 9 digits"},
		{"GR123456789", "GR", "", "EL followed by 9 digits"},
		{"SE123456789012", "SE", "", "the last two 01"},
		{"FR4030326504<", "FR", "", "letters and digits only"},
	} {
		got, err := domain.NormalizeVATID(tc.in, tc.country)
		switch {
		case tc.refused == "" && (err != nil || got != tc.want):
			t.Errorf("NormalizeVATID(%q, %s) = %q, %v; want %q", tc.in, tc.country, got, err, tc.want)
		case tc.refused != "" && (err == nil || !strings.Contains(domain.MessageOf(err), tc.refused)):
			t.Errorf("NormalizeVATID(%q, %s) = %q, %v; want a refusal saying %q", tc.in, tc.country, got, err, tc.refused)
		}
	}
}

// line is an import line of an order with what extra holds.
func line(extra string) []byte {
	return []byte(`{"kind":"order","reference":"JWT1","date":"2026-03-14T10:22:00Z","name":"Acme","country":"FR","city":"Lyon",` +
		`"contact_name":"M","email":"m@acme.example","currency":"EUR","items":[{"description":"A","quantity":3,"unit_amount":3333}],` +
		`"licenses":[{"software":"S","edition":"E","users":1,"serial":"","support_start":"2026-03-14","support_end":"2027-03-14"}]` + extra + `}`)
}

func TestImportLineInvoiceFields(t *testing.T) {
	for _, tc := range []struct {
		extra, refused string
		total          int64
		number         string
	}{
		{`,"tax":{"rate_bp":2000,"amount":2000}`, "", 11999, ""},               // 9999 × 20% = 1999.8, rounded
		{`,"tax":{"rate_bp":2000,"amount":1999},"total":11998`, "", 11998, ""}, // a minor unit per item of rounding
		{`,"tax":{"rate_bp":2000,"amount":2500}`, "is not 20% of the net 9999", 0, ""},
		{`,"tax":{"rate_bp":2000,"amount":2000},"total":9999`, "plus the tax (11999)", 0, ""},
		{`,"tax":{"rate_bp":550,"amount":550}`, "", 10549, ""},
		{`,"tax":{"rate_bp":-1,"amount":0}`, "between 0 and 10000", 0, ""},
		{`,"tax":{"rate_bp":0,"amount":0,"note":"Reverse charge"}`, "", 9999, ""},
		{`,"invoice_number":"F-77"`, "", 9999, "F-77"},
		{`,"invoice_number":" F-77"`, "without spaces at either end", 0, ""},
		{`,"billing":{"company":"Acme","country":"FR","vat_id":"FR1"}`, "billing: \"FR1\" is not a VAT number", 0, ""},
		{`,"billing":{"compagny":"Acme"}`, `unknown field "compagny" in billing`, 0, ""},
		{`,"invoice_number":"F-1","invoices":[{"number":"F-1","issued":"2026-03-14T10:22:00Z"},{"number":"F-1-R1","issued":"2026-04-01T00:00:00Z","replaces":"F-1","billing":{"company":"New"}}]`, "", 9999, "F-1"},
		{`,"invoices":[{"number":"F-1","issued":"2026-03-14T10:22:00Z"},{"number":"F-1-R2","issued":"2026-04-01T00:00:00Z","replaces":"F-1"}]`, "version 2 must be F-1-R1", 0, ""},
	} {
		_, o, err := domain.ParseImportLine(line(tc.extra), func() string { return "KEYKEYKEYKEYKEYKEYKEYKEY" })
		if tc.refused != "" {
			if err == nil || !strings.Contains(domain.MessageOf(err), tc.refused) {
				t.Errorf("%s: %v, want a refusal saying %q", tc.extra, err, tc.refused)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.extra, err)
			continue
		}
		if o.Order.Total != tc.total || o.Order.InvoiceNumber() != tc.number || !o.Order.Invoices[0].Issued.Equal(o.Order.Date) {
			t.Errorf("%s: total %d, invoice %+v; want total %d, number %q", tc.extra, o.Order.Total, o.Order.Invoices, tc.total, tc.number)
		}
	}
}

func TestExportLineBringsBackEveryInvoiceVersion(t *testing.T) {
	_, o, err := domain.ParseImportLine(line(`,"tax":{"rate_bp":2000,"amount":2000},"billing":{"company":"Acme","vat_id":"FR40303265045"},"invoice_number":"F-1"`), domain.NewActivationKey)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.OrderUpdate{Order: o.Order}
	if issued, err := u.ChangeBilling(domain.Billing{Company: "Acme Lyon"}, domain.Seller{Name: "V", InvoicePrefix: "INV-"}, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); !issued || err != nil {
		t.Fatalf("ChangeBilling: %v %v", issued, err)
	}
	exported := domain.NewOrderLine(u.Order, o.Licenses)
	if exported.InvoiceNumber != "F-1" || len(exported.Invoices) != 2 || exported.Tax.Amount != 2000 || exported.Billing.Company != "Acme Lyon" {
		t.Fatalf("export line: %+v", exported)
	}
}

func TestChangeBillingIssuesOneCorrectionPerChange(t *testing.T) {
	o := domain.Order{Reference: "JWT1", Total: 100, Invoices: []domain.Invoice{{Number: "INV-2026-0042"}}}
	u := &domain.OrderUpdate{Order: o}
	seller := domain.Seller{Name: "Vendor", InvoicePrefix: "INV-"}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for i, b := range []domain.Billing{{Company: "A"}, {Company: "A "}, {Company: "B"}} {
		issued, err := u.ChangeBilling(b, seller, now)
		if err != nil || issued != (i != 1) {
			t.Fatalf("change %d: issued %v, %v", i, issued, err)
		}
	}
	got := u.Order.Invoices
	if len(got) != 3 || got[1].Number != "INV-2026-0042-R1" || got[2].Number != "INV-2026-0042-R2" || got[2].Replaces != "INV-2026-0042-R1" ||
		got[2].Seller.Name != "Vendor" || u.Order.Total != 100 {
		t.Errorf("versions %+v", got)
	}
	if _, err := u.ChangeBilling(domain.Billing{VATID: "FR1"}, seller, now); domain.KindOf(err) != domain.KindInvalid || len(u.Order.Invoices) != 3 {
		t.Errorf("a bad VAT number: %v, %d versions", err, len(u.Order.Invoices))
	}
	for i := range 30 {
		u.ChangeBilling(domain.Billing{Company: strings.Repeat("x", i+1)}, seller, now)
	}
	if n := len(u.Order.Invoices); n != 21 {
		t.Errorf("after many changes: %d versions, want at most 21", n)
	}
}

// TestReverseChargeKeepsTheBuyersVATNumber: the billing details of a
// reverse-charge order may change, but never to details without the buyer's
// VAT number, which such an invoice must name.
func TestReverseChargeKeepsTheBuyersVATNumber(t *testing.T) {
	vat := domain.Billing{Company: "Acme GmbH", Country: "DE", VATID: "DE129273398"}
	o := domain.Order{Reference: "JWT1", Total: 100, Tax: &domain.Tax{Note: domain.ReverseCharge}, Billing: vat,
		Invoices: []domain.Invoice{{Number: "INV-2026-0042", Billing: vat}}}
	u := &domain.OrderUpdate{Order: o}
	seller := domain.Seller{Name: "Vendor", InvoicePrefix: "INV-"}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, b := range []domain.Billing{{}, {Company: "Acme GmbH", Country: "DE"}} {
		if _, err := u.ChangeBilling(b, seller, now); domain.KindOf(err) != domain.KindInvalid || len(u.Order.Invoices) != 1 {
			t.Errorf("billing %+v without the VAT number: %v, %d versions", b, err, len(u.Order.Invoices))
		}
	}
	moved := vat
	moved.City = "Köln"
	if issued, err := u.ChangeBilling(moved, seller, now); !issued || err != nil {
		t.Errorf("a new address with the VAT number: %v, %v", issued, err)
	}
}
