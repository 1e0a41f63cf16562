package handlers_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

var htmlLang = regexp.MustCompile(`<html lang="([^"]*)"`)

// langOf is the language a page says it is in.
func langOf(res response) string {
	if m := htmlLang.FindStringSubmatch(res.body); m != nil {
		return m[1]
	}
	return ""
}

// TestLanguageMenuSetsTheCookieAndComesBack: a menu link (?lang=fr) answers
// the same page without the parameter, and the cookie it sets keeps the
// language on every page after; the menu on each page links back to it in
// every language.
func TestLanguageMenuSetsTheCookieAndComesBack(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	res := c.get("/login?lang=fr")
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" || !setsCookie(res, "lang") || c.cookies["lang"] != "fr" {
		t.Fatalf("?lang=fr: %d to %q, cookie %q", res.StatusCode, res.Header.Get("Location"), c.cookies["lang"])
	}
	page := c.get("/login")
	if langOf(page) != "fr" || !strings.Contains(page.body, "Accéder à votre espace personnel") {
		t.Errorf("after the menu, /login is in %q", langOf(page))
	}
	// A page without a query links relatively: this page, in that language.
	for _, code := range []string{"de", "en", "es", "fr"} {
		if !strings.Contains(page.body, `href="?lang=`+code+`"`) {
			t.Errorf("the menu lacks a link to %s", code)
		}
	}
	// A page with one keeps it in its links.
	if withQuery := c.get("/login/remind?x=1"); !strings.Contains(withQuery.body, `href="/login/remind?x=1&amp;lang=de"`) {
		t.Error("the menu of a page with a query drops it")
	}
	if !strings.Contains(page.body, `aria-current="page">Français</a>`) {
		t.Error("the menu does not mark the page's language")
	}
	// The rest of the query stays, and the page comes back with it.
	if res := c.get("/login/remind?lang=de&x=1"); res.Header.Get("Location") != "/login/remind?x=1" {
		t.Errorf("?lang=de&x=1 went to %q", res.Header.Get("Location"))
	}
	if c.cookies["lang"] != "de" || langOf(c.get("/login/remind")) != "de" {
		t.Errorf("the cookie says %q", c.cookies["lang"])
	}
	// A language the portal does not speak sets nothing.
	if res := c.get("/login?lang=xx"); res.StatusCode != 303 || setsCookie(res, "lang") || c.cookies["lang"] != "de" {
		t.Errorf("?lang=xx: %d, cookie %q", res.StatusCode, c.cookies["lang"])
	}
}

// TestLanguageComesFromCookieThenHeaderThenEnglish: the cookie wins over
// Accept-Language, whose quality values decide; anything unknown is English.
func TestLanguageComesFromCookieThenHeaderThenEnglish(t *testing.T) {
	p := newTestPortal(t)
	for _, tc := range []struct {
		cookie, header, want string
	}{
		{"", "", "en"},
		{"", "fr-FR,fr;q=0.9,en;q=0.8", "fr"},
		{"", "en;q=0.3, de-DE;q=0.7, es;q=0.5", "de"},
		{"", "es-MX", "es"},
		{"", "ja, ko;q=0.9", "en"},
		{"de", "fr", "de"},
		{"es", "", "es"},
		{"xx", "fr", "fr"},
		{"xx", "", "en"},
	} {
		c := p.client(t)
		if tc.cookie != "" {
			c.cookies["lang"] = tc.cookie
		}
		res := c.do("GET", "/login", nil, map[string]string{"Accept-Language": tc.header})
		if got := langOf(res); got != tc.want {
			t.Errorf("cookie %q, Accept-Language %q: <html lang=%q>, want %q", tc.cookie, tc.header, got, tc.want)
		}
		if vary := res.Header.Get("Vary"); !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
			t.Errorf("the answer does not vary by Accept-Language and Cookie: %q", vary)
		}
	}
}

// TestStaffPagesFollowTheStaffMembersLanguage: staff pick a language of their
// own, whatever the customers' orders are; an error page speaks it too.
func TestStaffPagesFollowTheStaffMembersLanguage(t *testing.T) {
	p := newTestPortal(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	admin := p.staff(t, "ada@vendor.example")
	admin.cookies["lang"] = "de"
	for path, want := range map[string]string{"/staff/orders/JWT100234": "Aktivierungsschlüssel", "/admin/products": "Produkt speichern",
		"/admin/webhooks": "Endpunkt hinzufügen", "/staff/orders/JWT999999": "Nicht gefunden"} {
		if res := admin.get(path); langOf(res) != "de" || !strings.Contains(visibleText(res.body), want) {
			t.Errorf("%s: lang %q, lacks %q", path, langOf(res), want)
		}
	}
}

// TestOnePagePerLanguageIsTranslated: the licenses and orders pages in each
// language share few words with English (the data: names, references,
// products), and write money and dates the language's way.
func TestOnePagePerLanguageIsTranslated(t *testing.T) {
	p := newTestPortal(t)
	words := func(lang, path string) (map[string]bool, string) {
		c := p.signedIn(t)
		c.cookies["lang"] = lang
		res := c.get(path)
		if langOf(res) != lang {
			t.Fatalf("%s in %s says lang %q", path, lang, langOf(res))
		}
		text := visibleText(res.body)
		set := map[string]bool{}
		for _, w := range regexp.MustCompile(`\pL{3,}`).FindAllString(text, -1) {
			set[strings.ToLower(w)] = true
		}
		return set, text
	}
	for _, page := range []struct {
		path string
		says map[string][]string
	}{
		{"/licenses", map[string][]string{
			"fr": {"Actualiser votre licence", "Clé d'activation", "Numéro de commande", "14 mars 2026", "1 an, jusqu'au 14 mars 2027"},
			"de": {"Ihre Lizenz aktualisieren", "Aktivierungsschlüssel", "Bestellnummer", "14. März 2026", "1 Jahr, bis 14. März 2027"},
			"es": {"Actualizar su licencia", "Clave de activación", "Número de pedido", "14 de marzo de 2026", "1 año, hasta el 14 de marzo de 2027"},
		}},
		{"/orders", map[string][]string{
			"fr": {"Commandes", "Nom du contact", "601,00 €", "France"},
			"de": {"Bestellungen", "Ansprechpartner", "601,00 €", "Frankreich"},
			"es": {"Pedidos", "Persona de contacto", "601,00 €", "Francia"},
		}},
	} {
		english, _ := words("en", page.path)
		for lang, says := range page.says {
			other, text := words(lang, page.path)
			shared := 0
			for w := range english {
				if other[w] {
					shared++
				}
			}
			if shared*100 > len(english)*40 {
				t.Errorf("%s in %s shares %d of English's %d words", page.path, lang, shared, len(english))
			}
			for _, want := range says {
				if !strings.Contains(text, want) {
					t.Errorf("%s in %s lacks %q", page.path, lang, want)
				}
			}
		}
	}
}

// TestChoosingALanguageWritesNothing: the menu's cookie is the whole of the
// choice; nothing is stored for it (PRODUCT.md section 14).
func TestChoosingALanguageWritesNothing(t *testing.T) {
	base := newTestPortal(t)
	counter := &writeCounter{Store: base.store}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	cfg := handlers.Config{Payments: payments.Demo{}, SigningKey: key, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: base.clock.Now}
	p := &testPortal{app: handlers.New(cfg, counter).App(), store: base.store, clock: base.clock}
	c := p.signedIn(t)
	counter.take()
	for _, path := range []string{"/licenses?lang=fr", "/licenses", "/orders?lang=es", "/orders/JWT100234", "/login?lang=de"} {
		c.get(path)
	}
	if writes := counter.take(); len(writes) > 0 {
		t.Errorf("choosing a language wrote: %v", writes)
	}
}

// TestLanguageLinksStayOnTheSite: a path that a browser reads as another
// site's address (//evil.example, /\evil.example) is neither where ?lang=
// sends the browser nor where the menu of its 404 page links.
func TestLanguageLinksStayOnTheSite(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	for _, path := range []string{"//evil.example/x", "/\\evil.example/x", "///evil.example/x"} {
		res := c.get(path + "?lang=fr")
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != "/evil.example/x" {
			t.Errorf("GET %s?lang=fr: %d to %q, want 303 to /evil.example/x", path, res.StatusCode, loc)
		}
		page := c.get(path + "?q=1") // a query: the menu's links are absolute
		for _, m := range regexp.MustCompile(`<a href="([^"]*)" hreflang=`).FindAllStringSubmatch(page.body, -1) {
			// "?lang=fr" is relative to the page's own address, on this site.
			if !strings.HasPrefix(m[1], "?lang=") && (!strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") || strings.HasPrefix(m[1], "/\\")) {
				t.Errorf("GET %s: the language menu links to %q", path, m[1])
			}
		}
		if !strings.Contains(page.body, `hreflang="fr"`) {
			t.Errorf("GET %s: no language menu to check", path)
		}
	}
}
