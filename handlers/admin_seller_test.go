package handlers_test

import (
	"context"
	"html"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"portal/domain"
	"portal/handlers"
)

// envSeller is the seller of the server's settings, with no invoice prefix.
var envSeller = domain.Seller{Name: "Env Vendor GmbH", Address: []string{"Hauptstraße 1", "10115 Berlin"}, VATID: "DE123456789"}

func withSeller(s domain.Seller) portalOption {
	return func(c *handlers.Config) { c.Seller = s }
}

func sellerForm(name, address, vatID, prefix string) url.Values {
	return url.Values{"name": {name}, "address": {address}, "vat_id": {vatID}, "invoice_prefix": {prefix}}
}

// TestAdminSellerDetails: the form shows the server's settings until an admin
// saves other details; refused details change nothing and say why; saved ones
// are what the page shows next, audited with what changed; the same details
// again write nothing.
func TestAdminSellerDetails(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t, withSeller(envSeller))
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	admin := p.staff(t, "ada@vendor.example")
	auditCount := func() int { return len(must(p.store.Audit(ctx, 1000))) }

	page := admin.get("/admin/seller")
	body := html.UnescapeString(page.body)
	for _, want := range []string{`name="name" value="Env Vendor GmbH"`, ">Hauptstraße 1\n10115 Berlin</textarea>",
		`name="vat_id" value="DE123456789"`, `name="invoice_prefix" value="INV-"`, `data-testid="seller-source"`, `href="/admin/seller" aria-current`} {
		if page.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("the form before any save (%d) lacks %s", page.StatusCode, want)
		}
	}

	audits := auditCount()
	for _, tc := range []struct {
		name string
		form url.Values
		says string
	}{
		{"a VAT number of the wrong form", sellerForm("Étoile SAS", "Boîte 3", "FR123", "FAC-"),
			"is not a VAT number of France: it is FR followed by 2 letters or digits and 9 digits, such as FR12345678901"},
		{"no name", sellerForm("  ", "Boîte 3", "", "FAC-"), "The seller's name must be plain text"},
		{"a prefix with a space", sellerForm("Étoile SAS", "", "", "FA C"), "must be 1 to 12 letters, digits, - or /"},
		{"seven address lines", sellerForm("Étoile SAS", "1\n2\n3\n4\n5\n6\n7", "", ""), "at most 6 lines"},
	} {
		res := admin.post("/admin/seller", tc.form)
		body := html.UnescapeString(res.body)
		if res.StatusCode != 422 || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d, want 422 saying %q: %.400s", tc.name, res.StatusCode, tc.says, body)
		}
		// The form comes back as typed.
		if !strings.Contains(body, `name="vat_id" value="`+tc.form.Get("vat_id")+`"`) || !strings.Contains(body, ">"+tc.form.Get("address")+"</textarea>") {
			t.Errorf("%s: the form is not filled with what was typed", tc.name)
		}
		if _, saved, _ := p.store.Seller(ctx); saved {
			t.Errorf("%s: seller details were saved", tc.name)
		}
	}
	if n := auditCount(); n != audits {
		t.Errorf("refused forms wrote %d audit entries", n-audits)
	}

	// Saved: typed loosely, kept normalised.
	res := admin.post("/admin/seller", sellerForm(" Logiciels Étoile SAS ", "12 rue de la Forêt\r\nBoîte 3\r\n\r\n69002 Lyon\r\n", "fr 40 123456789", "fac-"))
	if res.StatusCode != 200 || !strings.Contains(res.body, "Saved the seller details.") {
		t.Fatalf("save: %d %.400s", res.StatusCode, res.body)
	}
	want := domain.Seller{Name: "Logiciels Étoile SAS", Address: []string{"12 rue de la Forêt", "Boîte 3", "69002 Lyon"}, VATID: "FR40123456789", InvoicePrefix: "FAC-"}
	if got, saved, err := p.store.Seller(ctx); err != nil || !saved || !reflect.DeepEqual(got, want) {
		t.Errorf("stored seller = %+v, %v, %v; want %+v", got, saved, err, want)
	}
	entries := must(p.store.Audit(ctx, 1))
	if len(entries) != 1 || entries[0].Staff != "ada@vendor.example" || entries[0].Action != "seller details saved" {
		t.Fatalf("audit after the save: %+v", entries)
	}
	for _, change := range []string{"first saved here", "name Env Vendor GmbH → Logiciels Étoile SAS",
		"VAT number DE123456789 → FR40123456789", "invoice number prefix INV- → FAC-"} {
		if !strings.Contains(entries[0].Detail, change) {
			t.Errorf("the audit entry %q does not say %q", entries[0].Detail, change)
		}
	}

	// A later page shows the saved details, no longer the settings.
	body = html.UnescapeString(admin.get("/admin/seller").body)
	for _, want := range []string{`name="name" value="Logiciels Étoile SAS"`, ">12 rue de la Forêt\nBoîte 3\n69002 Lyon</textarea>",
		`name="vat_id" value="FR40123456789"`, `name="invoice_prefix" value="FAC-"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form after the save lacks %s", want)
		}
	}
	if strings.Contains(body, `data-testid="seller-source"`) {
		t.Error("the form still says the details come from the settings")
	}

	// The same details again, however typed: nothing written.
	audits = auditCount()
	res = admin.post("/admin/seller", sellerForm("Logiciels Étoile SAS", "12 rue de la Forêt\nBoîte 3\n69002 Lyon", "FR40123456789", "FAC-"))
	if res.StatusCode != 200 || !strings.Contains(res.body, "Nothing changed") {
		t.Errorf("unchanged save: %d %.300s", res.StatusCode, res.body)
	}
	if n := auditCount(); n != audits {
		t.Errorf("an unchanged save wrote %d audit entries", n-audits)
	}

	// One change: the audit says only that one.
	admin.post("/admin/seller", sellerForm("Logiciels Étoile SAS", "12 rue de la Forêt\nBoîte 3\n69002 Lyon", "", "FAC-"))
	if e := must(p.store.Audit(ctx, 1)); e[0].Detail != "VAT number FR40123456789 → (none)" {
		t.Errorf("audit of a removed VAT number: %q", e[0].Detail)
	}
	// And the admin's audit log shows it.
	if log := html.UnescapeString(admin.get("/admin/data").body); !strings.Contains(log, "seller details saved: VAT number FR40123456789 → (none)") {
		t.Error("the audit log on /admin/data does not show the seller change")
	}
}

// TestAdminSellerOnlyForAdmins: support staff and customers can neither read
// nor change the seller details, even with a well-formed form and token.
func TestAdminSellerOnlyForAdmins(t *testing.T) {
	ctx := context.Background()
	p := newTestPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	sam := p.staff(t, "sam@vendor.example")
	if res := sam.get("/admin/seller"); res.StatusCode != 403 {
		t.Errorf("support reads /admin/seller: %d", res.StatusCode)
	}
	sam.get("/staff/orders")
	if res := sam.post("/admin/seller", sellerForm("Sam Ltd", "", "", "SAM-")); res.StatusCode != 403 {
		t.Errorf("support posts /admin/seller: %d", res.StatusCode)
	}
	marie := p.signedIn(t)
	if res := marie.get("/admin/seller"); res.StatusCode != 303 || res.Header.Get("Location") != "/staff/login" {
		t.Errorf("a customer reads /admin/seller: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	marie.get("/licenses")
	if res := marie.post("/admin/seller", sellerForm("Marie SARL", "", "", "")); res.StatusCode != 303 {
		t.Errorf("a customer posts /admin/seller: %d", res.StatusCode)
	}
	if _, saved, _ := p.store.Seller(ctx); saved {
		t.Error("seller details were saved by someone who is not an admin")
	}
	// Without settings or a save, the form is empty but for the default prefix.
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	if body := p.staff(t, "ada@vendor.example").get("/admin/seller").body; !strings.Contains(body, `name="name" value=""`) ||
		!strings.Contains(body, `name="invoice_prefix" value="INV-"`) {
		t.Errorf("the form with no settings: %.400s", body)
	}
}
