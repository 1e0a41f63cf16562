package handlers_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
)

// TestBrowserBuyWithoutPaymentsSetUp: on a portal without Stripe and without a
// demo flag, the upgrade page says that payments are not set up and offers no
// Buy button.
func TestBrowserBuyWithoutPaymentsSetUp(t *testing.T) {
	ctx, base, p := browser(t, func(c *handlers.Config) { c.Payments = payments.Off{} })
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	b.do(chromedp.Navigate(base+"/licenses/JWT100234-1/upgrade"), chromedp.WaitVisible(chromedp.CSS("[data-testid=payments-off]")))
	if note := b.text("[data-testid=payments-off]"); !strings.Contains(note, "Payments are not set up") {
		t.Errorf("note: %q", note)
	}
	if n := b.count("[data-testid=buy]"); n != 0 {
		t.Errorf("%d Buy buttons on a portal that sells nothing", n)
	}
	// The quote still shows what an upgrade would cost.
	if total := b.text("[data-testid=quote-total]"); !strings.HasPrefix(total, "EUR ") {
		t.Errorf("quote total %q", total)
	}
	if ps, _ := p.store.PurchasesByEmail(context.Background(), "marie@acme.example"); len(ps) != 0 {
		t.Errorf("%d purchases", len(ps))
	}
}

// TestBrowserActivateOffline: the row of a license on no computer offers
// Activate offline; the customer types the computer's serial, the license file
// for that computer downloads, and the row shows the serial after a refresh.
func TestBrowserActivateOffline(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	dir := t.TempDir()
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	if n := b.count("#license-JWT100234-2 [data-testid=activate-offline]"); n != 0 {
		t.Error("a license on a computer offers Activate offline")
	}
	b.do(
		chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=activate-offline]")),
		chromedp.WaitVisible(chromedp.CSS("#panel-JWT100234-1 input[name=serial]")),
	)
	b.htmxSettled()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	b.do(
		chromedp.SendKeys(chromedp.CSS("#panel-JWT100234-1 input[name=serial]"), "PC-OFFLINE-9"),
		chromedp.Click(chromedp.CSS("#panel-JWT100234-1 [data-testid=activate-offline-submit]")),
	)
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			break
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "JWT100234-1-license.lic"))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := domain.Verify(p.publicKey, raw)
	if err != nil || payload.Serial != "PC-OFFLINE-9" || payload.Licenses[0].ID != "JWT100234-1" {
		t.Fatalf("downloaded file: %v %+v", err, payload)
	}
	b.do(chromedp.Navigate(base+"/licenses"), chromedp.WaitVisible(chromedp.CSS("#licenses")))
	if serial := b.text("#license-JWT100234-1 .serial"); serial != "PC-OFFLINE-9" {
		t.Errorf("serial shown after activating offline: %q", serial)
	}
	if n := b.count("#license-JWT100234-1 [data-testid=activate-offline]"); n != 0 {
		t.Error("the row still offers Activate offline")
	}
}

// TestBrowserOwnerIsNotLockedOutByStrangers: after Marie signed in once from her
// browser, strangers' wrong guesses against her email lock strangers out, not her.
func TestBrowserOwnerIsNotLockedOutByStrangers(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	b.do(chromedp.Click(chromedp.CSS("form[action='/logout'] button")), chromedp.WaitVisible(chromedp.CSS("#email")))
	// Strangers, elsewhere, guess against her email until it is locked for them.
	for i := range 6 {
		p.client(t).login("marie@acme.example", "JWT10090"+string(rune('0'+i)))
	}
	if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode != 429 {
		t.Fatalf("a stranger with the right pair after the guesses: %d, want 429", res.StatusCode)
	}
	// Her own browser signs in.
	b.login(base, "marie@acme.example", "JWT100234")
	if !strings.HasSuffix(b.location(), "/licenses") {
		t.Errorf("Marie's browser is at %s", b.location())
	}
}
