package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"portal/domain"
)

// TestBrowserSupportFindsAnOrder: a support user types part of an email, sees the
// results appear as they type, and opens the order it finds.
func TestBrowserSupportFindsAnOrder(t *testing.T) {
	ctx, base, p := browser(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	b := page{t, ctx}
	b.do(
		chromedp.Navigate(base+"/staff/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "sam@vendor.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), staffPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#q")),
	)
	run(b, chromedp.Evaluate[bool](`window.notReloaded = true`))
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "north"))
	b.waitFor(`document.querySelectorAll('[data-testid=result]').length === 1`)
	if row := b.text("[data-testid=result]"); !strings.Contains(row, "JWT100412") || !strings.Contains(row, "john@northwind.example") {
		t.Errorf("result %q", row)
	}
	if !run(b, chromedp.Evaluate[bool](`window.notReloaded === true`)) {
		t.Error("the page reloaded while typing")
	}
	b.do(
		chromedp.Click(chromedp.CSS(`[data-testid=result] a`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=order-details]")),
	)
	if h1 := b.text("h1"); h1 != "Order JWT100412" {
		t.Errorf("opened %q", h1)
	}
	if body := b.text("main"); !strings.Contains(body, "Remote Access Standard, 3 users") || !strings.Contains(body, "NW-TS-2019") {
		t.Errorf("order page: %q", body)
	}
}
