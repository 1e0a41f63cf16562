package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/domain"
)

// TestAMailInFrench: the reminder is written in the language of the request
// that asked for it, subject, text and HTML alike.
func TestAMailInFrench(t *testing.T) {
	p := newMailPortal(t)
	visitor := p.client(t)
	visitor.cookies["lang"] = "fr"
	visitor.get("/login/remind")
	res := visitor.post("/login/remind", url.Values{"email": {"marie@acme.example"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "Consultez votre boîte de réception") {
		t.Fatalf("remind in French: %d", res.StatusCode)
	}
	m := p.mailTo(t, 1, "marie@acme.example")
	if m.Subject != "Vos numéros de commande — Test Portal" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Bonjour,", "Vous avez demandé les numéros des commandes", "JWT100234",
		"dans un délai de 30 minutes", "«\u00a0Accéder à votre espace personnel\u00a0»", "help@vendor.example"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the French reminder's text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `<html lang="fr">`) || !strings.Contains(m.HTML, "Se connecter") || strings.Contains(m.Text, "order numbers") {
		t.Errorf("the French reminder's HTML is not French:\n%s", m.HTML)
	}
}

// TestAnInvoiceInFrench: the page and the PDF of an invoice carry French
// labels, dates and amounts; what the order holds (items, names, numbers)
// stays as stored.
func TestAnInvoiceInFrench(t *testing.T) {
	p := newInvoicePortal(t)
	c := p.signedIn(t)
	c.cookies["lang"] = "fr"
	page := c.get("/orders/JWT100950/invoice")
	if langOf(page) != "fr" {
		t.Fatalf("the invoice page says lang %q", langOf(page))
	}
	pdf := c.get("/orders/JWT100950/invoice.pdf")
	if pdf.StatusCode != 200 {
		t.Fatalf("PDF: %d", pdf.StatusCode)
	}
	french := []string{"Facture", "Numéro de facture F-2026-77", "Date d'émission 2 mai 2026", "Votre n° de bon de commande PO-118",
		"Vendeur", "Facturé à", "Désignation", "Prix unitaire", "Remote Work Standard, 5 workstations", "90,00 €", "450,00 €",
		"Setup – 2 heures à 75,00 €", "Total HT", "600,00 €", "TVA 20 %", "120,00 €", "Total", "720,00 €", "N° de TVA : FR40303265045", "69002 Lyon France"}
	text, pdfLines := visibleText(page.body), pdfText(t, []byte(pdf.body))
	// The PDF's label column holds the value apart, and its order differs a little.
	pdfLines = strings.ReplaceAll(pdfLines, "Votre n° de bon de commande", "N° de bon de commande")
	for _, want := range french {
		if !strings.Contains(text, want) {
			t.Errorf("the French invoice page lacks %q", want)
		}
		pdfWant := strings.ReplaceAll(want, "Votre n° de bon de commande", "N° de bon de commande")
		if !strings.Contains(pdfLines, pdfWant) {
			t.Errorf("the French invoice PDF lacks %q", pdfWant)
		}
	}
	for _, english := range []string{"Invoice number", "Date of issue", "Bill to", "Net", "VAT 20%", "EUR 450"} {
		if strings.Contains(text, english) || strings.Contains(pdfLines, english) {
			t.Errorf("the French invoice still says %q", english)
		}
	}
}

// TestErrorsAndLimitsInTheReadersLanguage: domain errors (a quote, a VAT
// number), a limit and a missing page speak the request's language.
func TestErrorsAndLimitsInTheReadersLanguage(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.cookies["lang"] = "es"
	quote := c.do("GET", "/licenses/JWT100234-1/upgrade/quote?add=0", nil, map[string]string{"HX-Request": "true"})
	if quote.StatusCode != 422 || !strings.Contains(quote.body, "Introduzca un número entero de puestos que añadir, de 1 a 1000.") {
		t.Errorf("quote of 0 in Spanish: %d %s", quote.StatusCode, quote.body)
	}
	c.cookies["lang"] = "fr"
	c.get("/orders/JWT100234/billing")
	vat := c.post("/orders/JWT100234/billing", url.Values{"company": {"Acme"}, "country": {"FR"}, "vat_id": {"FR123"}})
	if text := visibleText(vat.body); vat.StatusCode != 422 || !strings.Contains(text, "« FR123 » n'est pas un numéro de TVA valide (pays : France). Format : FR suivi de 2 lettres ou chiffres et de 9 chiffres, par exemple FR12345678901.") {
		t.Errorf("a wrong VAT number in French: %d %s", vat.StatusCode, text)
	}
	c.cookies["lang"] = "de"
	if res := c.get("/orders/JWT999999"); res.StatusCode != 404 || !strings.Contains(res.body, "Nicht gefunden") ||
		!strings.Contains(res.body, "Hier ist nichts zu finden, oder der Inhalt gehört zu einem anderen Konto.") {
		t.Errorf("a missing order in German: %d", res.StatusCode)
	}
	visitor := p.client(t)
	visitor.cookies["lang"] = "de"
	visitor.get("/login")
	var last response
	for range 12 {
		last = visitor.post("/login", url.Values{"email": {"nobody@acme.example"}, "order": {"JWT100234"}})
	}
	if last.StatusCode != 429 || !strings.Contains(visibleText(last.body), "Zu viele Anmeldeversuche. Bitte warten Sie") {
		t.Errorf("the login limit in German: %d %s", last.StatusCode, visibleText(last.body))
	}
}

// TestStaffChooseTheLanguageOfACustomersMails: support reads the portal in
// German, and writes a French customer's email change mails in French; the
// choice defaults to support's own language, and an unknown one changes nothing.
func TestStaffChooseTheLanguageOfACustomersMails(t *testing.T) {
	p := newMailPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	staff := p.staff(t, "sam@vendor.example")
	staff.cookies["lang"] = "de"
	page := staff.get("/staff/orders/JWT100234")
	if !strings.Contains(page.body, `<option value="de" lang="de" selected>Deutsch</option>`) {
		t.Fatalf("the mails' language does not default to the staff member's German:\n%s", page.body)
	}

	if res := staff.post("/staff/orders/JWT100234/email", url.Values{"email": {"neu@acme.example"}, "mail_lang": {"xx"}}); res.StatusCode != 422 ||
		!strings.Contains(res.body, "Wählen Sie die Sprache der E-Mails aus der Liste.") {
		t.Errorf("an unknown language: %d, want 422 with a German message", res.StatusCode)
	}
	res := staff.post("/staff/orders/JWT100234/email", url.Values{"email": {"nouveau@acme.example"}, "mail_lang": {"fr"}})
	if res.StatusCode != 200 || langOf(res) != "de" {
		t.Fatalf("asking in French for a German reader: %d, page lang %q", res.StatusCode, langOf(res))
	}
	confirm := p.mailTo(t, 1, "nouveau@acme.example")
	if confirm.Subject != "Confirmez votre nouvelle adresse e-mail — Test Portal" || !strings.Contains(confirm.HTML, `<html lang="fr">`) {
		t.Errorf("the confirmation is not French: %q", confirm.Subject)
	}
	if notice := p.mailTo(t, 1, "marie@acme.example"); !strings.Contains(notice.HTML, `<html lang="fr">`) {
		t.Errorf("the notice to the old address is not French: %q", notice.Subject)
	}

	// Without a choice (an older form): the staff member's language.
	staff.get("/staff/orders/JWT100234")
	staff.post("/staff/orders/JWT100234/email", url.Values{"email": {"dritte@acme.example"}})
	if m := p.mailTo(t, 1, "dritte@acme.example"); !strings.HasPrefix(m.Subject, "Bestätigen Sie Ihre neue E-Mail-Adresse") {
		t.Errorf("the default mail is not German: %q", m.Subject)
	}
	if got := len(p.smtp.Messages()); got > 4 {
		t.Errorf("%d mails, want 4 (the unknown language sent none)", got)
	}
}

// TestInvoiceLinkNamesTheInvoiceInItsOwnWords: the order's "View" link is
// named, for a screen reader, by one sentence of the language ("Rechnung …
// anzeigen"), not by English word order.
func TestInvoiceLinkNamesTheInvoiceInItsOwnWords(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	for lang, want := range map[string]string{
		"de": `aria-label="Rechnung [A-Z0-9-]+ anzeigen">Anzeigen</a>`,
		"en": `aria-label="View invoice [A-Z0-9-]+">View</a>`,
	} {
		c.cookies["lang"] = lang
		res := c.do("GET", "/orders/JWT100234", nil, map[string]string{"HX-Request": "true"})
		if !regexp.MustCompile(want).MatchString(res.body) {
			t.Errorf("%s: no link matching %s", lang, want)
		}
	}
}

// TestEmptyFieldsAskInTheReadersLanguage: an empty email or webhook address
// asks for one (not "«» is not an address"), and a role is named as the
// form names it.
func TestEmptyFieldsAskInTheReadersLanguage(t *testing.T) {
	p := newMailPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	admin := p.staff(t, "ada@vendor.example")
	admin.cookies["lang"] = "es"
	for _, tc := range []struct {
		page, path string
		form       url.Values
		want       string
	}{
		{"/staff/orders/JWT100234", "/staff/orders/JWT100234/email", url.Values{"email": {" "}}, "Escriba una dirección de correo electrónico."},
		{"/admin/staff", "/admin/staff", url.Values{"email": {""}, "role": {"support"}, "password": {staffPassword}}, "Escriba una dirección de correo electrónico."},
		{"/admin/staff", "/admin/staff", url.Values{"email": {"x@vendor.example"}, "role": {"root"}, "password": {staffPassword}}, "El rol debe ser soporte o administrador."},
		{"/admin/webhooks", "/admin/webhooks", url.Values{"url": {""}}, "Escriba la dirección que recibe los eventos."},
	} {
		admin.get(tc.page)
		res := admin.post(tc.path, tc.form)
		if res.StatusCode < 400 || !strings.Contains(visibleText(res.body), tc.want) {
			t.Errorf("POST %s %v: %d, want %q in %s", tc.path, tc.form, res.StatusCode, tc.want, visibleText(res.body))
		}
	}
}

// TestHistoryNotesInTheReadersLanguage: a note the portal wrote in a
// license's history (stored in English) reads in the page's language.
func TestHistoryNotesInTheReadersLanguage(t *testing.T) {
	p := newTestPortal(t)
	c := p.signedIn(t)
	c.get("/orders/JWT100234/activation-key")
	if res := c.post("/orders/JWT100234/activation-key/reissue", nil); res.StatusCode != 200 {
		t.Fatalf("reissue: %d", res.StatusCode)
	}
	c.cookies["lang"] = "fr"
	text := visibleText(c.get("/licenses/JWT100234-1").body)
	if !strings.Contains(text, "clé d'activation renouvelée (") || strings.Contains(text, "activation key reissued") {
		t.Errorf("the history in French: %s", text)
	}
}
