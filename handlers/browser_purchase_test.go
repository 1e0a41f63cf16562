package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func (p page) attr(sel, name string) string {
	p.t.Helper()
	res := run(p, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return res.Value
}

// TestBrowserUpgradeThroughDemoPayment: the customer opens the upgrade page from
// the Upgrade column, types a number, sees the price change in place, buys
// through the demo payment page, and sees the license grow after a refresh.
func TestBrowserUpgradeThroughDemoPayment(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")

	link := "#license-JWT100234-1 [data-testid=upgrade]"
	if target := b.attr(link, "target"); target != "_blank" {
		t.Errorf("the Upgrade link opens in %q, want a new tab", target)
	}
	b.do(chromedp.Navigate(base+b.attr(link, "href")), chromedp.WaitVisible(chromedp.CSS("#add")))
	if total := b.text("[data-testid=quote-total]"); total != "EUR 26.38" {
		t.Errorf("first quote %q, want EUR 26.38 for one workstation", total)
	}
	// A mark on the page survives only if nothing reloads it.
	run(b, chromedp.Evaluate[bool](`window.notReloaded = true`))
	b.do(
		chromedp.SetValue(chromedp.CSS("#add"), ""),
		chromedp.SendKeys(chromedp.CSS("#add"), "3"),
	)
	b.waitFor(`document.querySelector('[data-testid=quote-total]') && document.querySelector('[data-testid=quote-total]').textContent.trim() === 'EUR 79.15'`)
	if lines := b.text("#quote"); !strings.Contains(lines, "Days of support left") || !strings.Contains(lines, "107") {
		t.Errorf("the quote does not show its arithmetic: %q", lines)
	}
	b.do(chromedp.SetValue(chromedp.CSS("#add"), ""), chromedp.SendKeys(chromedp.CSS("#add"), "5000"))
	b.waitFor(`document.querySelector('[data-testid=quote-error]') !== null`)
	if msg := b.text("[data-testid=quote-error]"); !strings.Contains(msg, "from 1 to 1000") {
		t.Errorf("out-of-range message %q", msg)
	}
	b.do(chromedp.SetValue(chromedp.CSS("#add"), ""), chromedp.SendKeys(chromedp.CSS("#add"), "3"))
	b.waitFor(`(document.querySelector('[data-testid=quote-total]') || {}).textContent === 'EUR 79.15'`)
	if !run(b, chromedp.Evaluate[bool](`window.notReloaded === true`)) {
		t.Error("the page reloaded while the price changed")
	}

	b.do(
		chromedp.Click(chromedp.CSS("[data-testid=buy]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=demo-pay]")),
	)
	if body := b.text("main"); !strings.Contains(body, "DEMO PAYMENT PAGE") || !strings.Contains(body, "EUR 79.15") {
		t.Errorf("demo payment page: %q", body)
	}
	b.do(
		chromedp.Click(chromedp.CSS("[data-testid=demo-pay]")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=purchase-status][data-status=fulfilled]`)),
	)
	if users := b.text("[data-testid=license-users]"); users != "8 workstations" {
		t.Errorf("success page shows %q", users)
	}

	b.do(chromedp.Navigate(base+"/licenses"), chromedp.WaitVisible(chromedp.CSS("#licenses")))
	b.do(chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=refresh]")))
	b.waitFor(`document.querySelector('#license-JWT100234-1 [data-testid=sync-note]') !== null`)
	if users := b.text("#license-JWT100234-1 td.num"); !strings.HasPrefix(users, "8") {
		t.Errorf("users after refresh: %q", users)
	}
}

// TestBrowserSuccessPagePollsUntilPaid: the success page updates itself when the
// payment's webhook arrives.
func TestBrowserSuccessPagePollsUntilPaid(t *testing.T) {
	ctx, base, p := browser(t, withStripe(""))
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	pur := p.lockUpgrade(t)
	b.do(
		chromedp.Navigate(base+"/purchases/"+pur.ID+"/success"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=purchase-status][data-status=pending]`)),
	)
	event := stripeEvent("evt_browser", pur.ID, "paid", pur.Amount, "eur", "2023-10-16")
	if status, _ := p.deliver(t, event, sign(event, webhookSecret)); status != 200 {
		t.Fatalf("webhook: %d", status)
	}
	b.waitFor(`document.querySelector('[data-testid=purchase-status][data-status=fulfilled]') !== null`)
	if users := b.text("[data-testid=license-users]"); users != "8 workstations" {
		t.Errorf("after polling: %q", users)
	}
}

// TestBrowserRenewExpiredLicense: an expired license is not a dead end.
func TestBrowserRenewExpiredLicense(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	if state := b.text("#license-JWT100234-2 .state"); state != "Expired" {
		t.Fatalf("state %q", state)
	}
	b.do(
		chromedp.Navigate(base+b.attr("#license-JWT100234-2 [data-testid=renew]", "href")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=renewal-total]")),
	)
	if total := b.text("[data-testid=renewal-total]"); total != "EUR 750.00" {
		t.Errorf("renewal total %q", total)
	}
	b.do(
		chromedp.Click(chromedp.CSS("[data-testid=buy]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=demo-pay]")),
		chromedp.Click(chromedp.CSS("[data-testid=demo-pay]")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=purchase-status][data-status=fulfilled]`)),
	)
	if end := b.attr("[data-testid=license-support-end]", "datetime"); end != "2027-11-27" {
		t.Errorf("new support end %q", end)
	}
	b.do(chromedp.Navigate(base+"/licenses"), chromedp.WaitVisible(chromedp.CSS("#licenses")))
	if state := b.text("#license-JWT100234-2 .state"); state != "Active" {
		t.Errorf("state after renewal %q", state)
	}
}
