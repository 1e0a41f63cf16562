package handlers_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"portal/domain"
)

// billingTyped is what the customer types into the billing form, field by field.
type billingTyped struct {
	Company  string `json:"company"`
	Address  string `json:"address"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
	Country  string `json:"country"`
	VATID    string `json:"vat_id"`
}

// billingFormJS reads the billing form's fields as the browser holds them.
const billingFormJS = `(() => {
	const f = document.querySelector('[data-testid=billing-form] form').elements;
	return {company: f.company.value, address: f.address.value, postcode: f.postcode.value,
		city: f.city.value, country: f.country.value, vat_id: f.vat_id.value};
})()`

// saveBilling clicks the billing form's Save button and waits until htmx has
// swapped its answer in; it returns the answer's status.
func (p page) saveBilling(ref string) int64 {
	p.t.Helper()
	res := run(p, chromedp.WaitEvent(network.ResponseReceived, func(e network.EventResponseReceived) bool {
		return strings.HasSuffix(e.Response.URL, "/orders/"+ref+"/billing")
	}, chromedp.Click(chromedp.CSS("[data-testid=billing-save]"))))
	p.waitFor(`document.querySelector('#order-details-` + ref + ` .flash') !== null`)
	p.htmxSettled()
	return res.Response.Status
}

// TestBrowserBillingDetailsAndCorrectedInvoice walks a customer's path to a
// corrected invoice: from the orders list, the order's details open in place,
// Edit billing details puts the form there; a malformed VAT number is refused
// with the reason and the typed details kept, nothing saved; the right one
// saves, says which invoice replaces which and lists both versions. The PDF
// downloaded through the Invoice (PDF) link holds the new details, and the View
// link opens the invoice as a sheet of its own, with a Print button.
func TestBrowserBillingDetailsAndCorrectedInvoice(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	if err := p.store.SaveSeller(context.Background(), invoiceSeller, domain.AuditEntry{At: fixedNow, Staff: "test", Action: "seller details saved"}); err != nil {
		t.Fatal(err)
	}
	b.login(base, "marie@acme.example", "JWT100234")
	b.do(
		chromedp.Click(chromedp.CSS(`a[href="/orders"]`)),
		chromedp.WaitVisible(chromedp.CSS("#orders")),
		chromedp.Click(chromedp.CSS("#order-JWT100234 a[hx-get]")),
		chromedp.WaitVisible(chromedp.CSS("#details-JWT100234 [data-testid=edit-billing]")),
	)
	b.htmxSettled()
	b.do(
		chromedp.Click(chromedp.CSS("#details-JWT100234 [data-testid=edit-billing]")),
		chromedp.WaitVisible(chromedp.CSS("#details-JWT100234 [data-testid=billing-form] input[name=company]")),
	)
	b.htmxSettled()
	if loc := b.location(); loc != base+"/orders" {
		t.Fatalf("the billing form left the orders list: %s", loc)
	}

	// A VAT number that is not one: refused, with the reason, as typed.
	typed := billingTyped{Company: "Acme Lyon SARL", Address: "12 rue Mercière\nBoîte 3", Postcode: "69002",
		City: "Lyon", Country: "FR", VATID: "FR123"}
	form := "#details-JWT100234 [data-testid=billing-form] "
	b.do(
		chromedp.SendKeys(chromedp.CSS(form+"input[name=company]"), typed.Company),
		chromedp.SendKeys(chromedp.CSS(form+"textarea[name=address]"), typed.Address),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=postcode]"), typed.Postcode),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=city]"), typed.City),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=country]"), typed.Country),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=vat_id]"), typed.VATID),
	)
	if status := b.saveBilling("JWT100234"); status != 422 {
		t.Errorf("a malformed VAT number answered %d, want 422", status)
	}
	// The answer took the panel's place: one form, not a form nested in the old one.
	if n, m := b.count("[id=order-details-JWT100234]"), b.count("#details-JWT100234 [data-testid=billing-form]"); n != 1 || m != 1 {
		t.Errorf("after the refusal the panel holds %d order-details-JWT100234 and %d billing forms, want 1 and 1", n, m)
	}
	if msg := b.text(form + ".flash"); !strings.Contains(msg, "FR followed by 2 letters or digits and 9 digits") {
		t.Errorf("the form says %q about a malformed VAT number", msg)
	}
	if kept := run(b, chromedp.Evaluate[billingTyped](billingFormJS)); kept != typed {
		t.Errorf("the refused form holds %+v, want what was typed: %+v", kept, typed)
	}
	if invalid := b.attr(form+"input[name=vat_id]", "aria-invalid"); invalid != "true" {
		t.Errorf("the VAT field's aria-invalid is %q", invalid)
	}
	if o, _, _ := p.store.Order(context.Background(), "JWT100234"); len(o.Invoices) != 1 || !o.Billing.IsZero() {
		t.Fatalf("the refused details changed the order: %d invoices, billing %+v", len(o.Invoices), o.Billing)
	}

	// The right number: saved, a corrected invoice issued, both versions listed.
	b.do(
		chromedp.Clear(chromedp.CSS(form+"input[name=vat_id]")),
		chromedp.SendKeys(chromedp.CSS(form+"input[name=vat_id]"), "FR 40 303 265 045"),
	)
	if status := b.saveBilling("JWT100234"); status != 200 {
		t.Fatalf("the corrected details answered %d", status)
	}
	if loc := b.location(); loc != base+"/orders" {
		t.Errorf("saving left the orders list: %s", loc)
	}
	details := "#details-JWT100234 [data-testid=order-details] "
	if n, m := b.count("[id=order-details-JWT100234]"), b.count("#details-JWT100234 [data-testid=billing-form]"); n != 1 || m != 0 {
		t.Errorf("after saving the panel holds %d order-details-JWT100234 and %d billing forms, want the order's details alone", n, m)
	}
	if flash := b.text(details + ".flash"); flash != "Saved. Corrected invoice INV-2026-0001-R1 replaces INV-2026-0001." {
		t.Errorf("flash after saving: %q", flash)
	}
	versions := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#details-JWT100234 [data-testid=invoice-version]')].map(li => li.textContent.replace(/\s+/g, ' ').trim())`))
	if len(versions) != 2 || !strings.HasPrefix(versions[0], "INV-2026-0001-R1, issued") || !strings.Contains(versions[0], "(replaces INV-2026-0001)") ||
		!strings.HasPrefix(versions[1], "INV-2026-0001 (replaced), issued") {
		t.Errorf("invoice versions listed, want the correction first, then the original: %q", versions)
	}
	if billing := b.text(details + "[data-testid=billing-details]"); !strings.Contains(billing, "Acme Lyon SARL") ||
		!strings.Contains(billing, "Boîte 3") || !strings.Contains(billing, "FR40303265045") {
		t.Errorf("the details show the billing details %q", billing)
	}
	o, _, _ := p.store.Order(context.Background(), "JWT100234")
	if len(o.Invoices) != 2 || o.Billing.Company != "Acme Lyon SARL" || len(o.Billing.Address) != 2 || o.Billing.VATID != "FR40303265045" {
		t.Errorf("stored: %d invoices, billing %+v", len(o.Invoices), o.Billing)
	}

	// The newest version's PDF, downloaded as a customer does.
	dir := t.TempDir()
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	b.do(chromedp.Click(chromedp.CSS(details + "[data-testid=invoice-version]:first-child [data-testid=invoice-pdf]")))
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("the PDF download was cancelled")
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			break
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "invoice-INV-2026-0001-R1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Corrected invoice", "INV-2026-0001-R1", "Replaces INV-2026-0001", "Acme Lyon SARL", "12 rue Mercière", "Boîte 3",
		"69002 Lyon", "FR40303265045", "Télésoft Systèmes SAS"} {
		if !strings.Contains(text, want) {
			t.Errorf("the downloaded PDF lacks %q: %s", want, text)
		}
	}

	// View opens the invoice in a tab of its own: no site header, a Print button.
	sheet := b.clickIntoNewTab(details+"[data-testid=invoice-version]:first-child [data-testid=invoice-view]", base)
	sheet.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=invoice]")))
	if loc := sheet.location(); loc != base+"/orders/JWT100234/invoice" {
		t.Errorf("View opened %s", loc)
	}
	if n := sheet.count("header.site, a[href='/licenses'], a[href='/orders']"); n != 0 {
		t.Errorf("the invoice page has the site's navigation (%d elements)", n)
	}
	sheet.do(chromedp.WaitVisible(chromedp.CSS("button[data-print]")))
	if got := sheet.text("[data-testid=invoice-replaces]"); got != "INV-2026-0001" {
		t.Errorf("the invoice page replaces %q", got)
	}
	if got := sheet.text("[data-testid=invoice-buyer]"); !strings.Contains(got, "Acme Lyon SARL") || !strings.Contains(got, "Boîte 3") {
		t.Errorf("the invoice page bills %q", got)
	}
}
