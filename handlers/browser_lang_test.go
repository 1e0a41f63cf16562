package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSwitchesLanguageAndKeepsIt: on the licenses page a person picks
// Français from the menu, reads the page in French (the dates the script
// rewrites agree with the server's), reloads and stays in French, then picks
// Deutsch.
func TestBrowserSwitchesLanguageAndKeepsIt(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	b.do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "marie@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#order"), "JWT100234"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
	if h1 := b.text("h1"); h1 != "Licenses and support" {
		t.Fatalf("the licenses page starts in English, h1 %q", h1)
	}
	for _, tc := range []struct {
		lang, h1, refresh, date string
	}{
		{"fr", "Licences et support", "Actualiser votre licence", "14 mars 2026"},
		{"de", "Lizenzen und Support", "Ihre Lizenz aktualisieren", "14. März 2026"},
	} {
		b.do(
			chromedp.Click(chromedp.CSS(`[data-testid=lang-menu] a[data-lang=`+tc.lang+`]`)),
			chromedp.WaitVisible(chromedp.CSS(`html[lang=`+tc.lang+`] #licenses`)),
		)
		for range 2 {
			if loc := b.location(); !strings.HasSuffix(loc, "/licenses") {
				t.Errorf("after choosing %s the browser is at %s", tc.lang, loc)
			}
			if h1 := b.text("h1"); h1 != tc.h1 {
				t.Errorf("in %s the h1 is %q", tc.lang, h1)
			}
			if refresh := b.text("#license-JWT100234-1 [data-testid=refresh]"); refresh != tc.refresh {
				t.Errorf("in %s the refresh button says %q", tc.lang, refresh)
			}
			b.waitFor(`document.querySelector('#license-JWT100234-1 time').dataset.localized === '1'`)
			if date := b.text("#license-JWT100234-1 time"); date != tc.date {
				t.Errorf("in %s the script shows the date as %q, the server as %q", tc.lang, date, tc.date)
			}
			// A reload keeps the language: the cookie holds it.
			b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`html[lang=`+tc.lang+`] #licenses`)))
		}
	}
}

// TestBrowserTablesFitADesktopInEveryLanguage: on a 1280 px window the
// licenses and orders tables show every column in every language, German's
// long words included, without scrolling sideways.
func TestBrowserTablesFitADesktopInEveryLanguage(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	for _, lang := range []string{"de", "en", "es", "fr"} {
		for _, path := range []string{"/licenses", "/orders"} {
			b.do(chromedp.Navigate(base+path+"?lang="+lang), chromedp.WaitReady(chromedp.CSS(`html[lang=`+lang+`] main`)))
			if f := run(b, chromedp.Evaluate[layoutFacts](layoutFactsJS)); f.InnerScroll > 0 || f.Width > 1280 {
				t.Errorf("%s in %s: %d tables scroll sideways, page %d px wide", path, lang, f.InnerScroll, f.Width)
			}
		}
	}
}
