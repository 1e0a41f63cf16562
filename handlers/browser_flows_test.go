package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// acceptDialogs answers OK to every confirm() of the tab, as a customer who
// means it would (hx-confirm asks before a rehost or a key reissue).
func acceptDialogs(t *testing.T, ctx context.Context) {
	t.Helper()
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			if _, err := chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true}); err != nil {
				return
			}
		}
	}()
}

// htmxSettled waits until htmx has finished a swap, new content included: htmx
// wires up the forms of swapped-in content only when it settles, and a click
// before that would submit the form as a plain page.
func (p page) htmxSettled() {
	p.t.Helper()
	p.waitFor(`document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null`)
}

// clickIntoNewTab clicks a link that opens a new tab and returns that tab, once
// it has loaded a page of the portal.
func (p page) clickIntoNewTab(sel, base string) page {
	p.t.Helper()
	opened := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool { return strings.HasPrefix(info.URL, base) })
	p.do(chromedp.Click(chromedp.CSS(sel)))
	select {
	case id, ok := <-opened:
		if !ok {
			p.t.Fatalf("clicking %s opened no tab", sel)
		}
		tab, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(id))
		p.t.Cleanup(cancel)
		return page{p.t, tab}
	case <-time.After(30 * time.Second):
		p.t.Fatalf("clicking %s opened no new tab within 30 s", sel)
	}
	return page{}
}

// TestBrowserUpgradeAndRenewLinksOpenANewTab clicks the Upgrade and Renew links as
// a customer would: each opens its page in a new tab, signed in, priced, while
// the licenses page stays where it was.
func TestBrowserUpgradeAndRenewLinksOpenANewTab(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")

	upgrade := b.clickIntoNewTab("#license-JWT100234-1 [data-testid=upgrade]", base)
	upgrade.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=quote-total]")))
	if loc := upgrade.location(); loc != base+"/licenses/JWT100234-1/upgrade" {
		t.Errorf("the Upgrade link opened %s", loc)
	}
	if total := upgrade.text("[data-testid=quote-total]"); total != "EUR 26.38" {
		t.Errorf("the upgrade tab quotes %q, want EUR 26.38 for one workstation", total)
	}

	renew := b.clickIntoNewTab("#license-JWT100234-2 [data-testid=renew]", base)
	renew.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=renewal-total]")))
	if loc := renew.location(); loc != base+"/licenses/JWT100234-2/renew" {
		t.Errorf("the Renew link opened %s", loc)
	}
	if total := renew.text("[data-testid=renewal-total]"); total != "EUR 750.00" {
		t.Errorf("the renewal tab asks %q, want EUR 750.00", total)
	}

	if loc := b.location(); loc != base+"/licenses" {
		t.Errorf("the licenses tab moved to %s", loc)
	}

	// The Upgrade column of the orders page does the same.
	b.do(chromedp.Navigate(base+"/orders"), chromedp.WaitVisible(chromedp.CSS("#orders")))
	fromOrders := b.clickIntoNewTab("#order-JWT100234 [data-testid=upgrade]", base)
	fromOrders.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=quote-total]")))
	if loc := fromOrders.location(); loc != base+"/licenses/JWT100234-1/upgrade" {
		t.Errorf("the orders page's Upgrade link opened %s", loc)
	}
}

// TestBrowserRehostUntilTheLimit: the customer frees a license from its computer
// from the license's details, the row shows it freed at once; after the third
// rehost in a year the details say when the next one becomes possible, and offer
// no Rehost button.
func TestBrowserRehostUntilTheLimit(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	acceptDialogs(t, ctx)
	key := p.activationKey(t, "JWT100234")
	details := "#panel-JWT100234-2 [data-testid=license-details]"

	for i, serial := range []string{"ACME-SRV-01", "PC-1", "PC-2"} {
		b.do(
			chromedp.Click(chromedp.CSS("#license-JWT100234-2 [data-testid=details]")),
			chromedp.WaitVisible(chromedp.CSS(details+" [data-testid=rehost]")),
		)
		b.htmxSettled()
		if text := b.text(details); !strings.Contains(text, "Activated on "+serial) || !strings.Contains(text, string(rune('3'-i))+" of 3 rehosts left") {
			t.Fatalf("details before rehost %d: %q", i+1, text)
		}
		b.do(chromedp.Click(chromedp.CSS(details + " [data-testid=rehost]")))
		b.waitFor(`(document.querySelector('#panel-JWT100234-2') || {}).textContent.includes('The license was freed')`)
		b.htmxSettled()
		if row := b.text("#license-JWT100234-2 .serial"); row != "Not activated yet" {
			t.Errorf("after rehost %d the row shows serial %q", i+1, row)
		}
		if l, _, _ := p.store.License(context.Background(), "JWT100234-2"); l.Serial != "" {
			t.Fatalf("rehost %d left serial %q", i+1, l.Serial)
		}
		// The software activates on the next computer.
		if status, out, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-"+string(rune('1'+i)))); status != 200 {
			t.Fatalf("activation after rehost %d: %d %v", i+1, status, out)
		}
	}
	b.do(
		chromedp.Click(chromedp.CSS("#license-JWT100234-2 [data-testid=details]")),
		chromedp.WaitVisible(chromedp.CSS(details)),
	)
	b.waitFor(`(document.querySelector('#panel-JWT100234-2') || {}).textContent.includes('PC-3')`)
	text := b.text(details)
	if !strings.Contains(text, "0 of 3 rehosts left") || !strings.Contains(text, "The next rehost is possible on") {
		t.Errorf("details past the limit: %q", text)
	}
	if when := b.attr(details+" form time", "datetime"); when != "2027-11-27" {
		t.Errorf("the next rehost is possible on %q, want 2027-11-27, a year after the first", when)
	}
	if n := b.count(details + " [data-testid=rehost]"); n != 0 {
		t.Error("a fourth rehost is offered")
	}
}

// TestBrowserReissueKey: the customer shows the key, reissues it after the
// confirmation, and sees the new one in place; the old one stops working.
func TestBrowserReissueKey(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	acceptDialogs(t, ctx)
	oldKey := p.activationKey(t, "JWT100234")
	b.do(
		chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=show-key]")),
		chromedp.WaitVisible(chromedp.CSS("#panel-JWT100234-1 [data-testid=key]")),
	)
	b.htmxSettled()
	if shown := b.text("#panel-JWT100234-1 [data-testid=key]"); shown != oldKey {
		t.Fatalf("key shown %q, want %q", shown, oldKey)
	}
	before := b.location()
	b.do(chromedp.Click(chromedp.CSS("#panel-JWT100234-1 [data-testid=reissue]")))
	b.waitFor(`(document.querySelector('#panel-JWT100234-1') || {}).textContent.includes('The old key no longer works')`)
	newKey := b.text("#panel-JWT100234-1 [data-testid=key]")
	if newKey == oldKey || newKey != p.activationKey(t, "JWT100234") {
		t.Errorf("after the reissue the page shows %q; old %q, stored %q", newKey, oldKey, p.activationKey(t, "JWT100234"))
	}
	if after := b.location(); after != before {
		t.Errorf("the reissue left the page: %s", after)
	}
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(oldKey, "PC-OLD")); status != 404 {
		t.Errorf("the old key still activates: %d", status)
	}
	if status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(newKey, "PC-NEW")); status != 200 {
		t.Errorf("the key shown does not activate: %d", status)
	}
}

// TestBrowserLoginErrors: a wrong pair gets the one generic message and keeps
// what was typed; too many wrong tries for one email get the wait message, even
// for the right pair, and do not sign in.
func TestBrowserLoginErrors(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	try := func(email, order string) {
		t.Helper()
		b.do(
			chromedp.Navigate(base+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#email")),
			chromedp.SendKeys(chromedp.CSS("#email"), email),
			chromedp.SendKeys(chromedp.CSS("#order"), order),
			chromedp.Click(chromedp.CSS("button[type=submit]")),
		)
		// The form is a plain POST: the answer is a new page, with a message or,
		// signed in, the licenses.
		b.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=login-error], #licenses")))
		if b.count("[data-testid=login-error]") == 0 {
			t.Fatalf("%s with %s signed in", email, order)
		}
	}
	try("marie@acme.example", "JWT100999")
	body := b.text("[data-testid=login-error]")
	if !strings.Contains(body, "We could not find an order with this email address and order number") {
		t.Errorf("wrong pair: %q", body)
	}
	if email := run(b, chromedp.Evaluate[string](`document.querySelector('#email').value`)); email != "marie@acme.example" {
		t.Errorf("the email typed is not kept: %q", email)
	}
	for _, order := range []string{"JWT100998", "JWT100997", "JWT100996", "JWT100995"} {
		try("marie@acme.example", order)
	}
	try("marie@acme.example", "JWT100234")
	body = b.text("[data-testid=login-error]")
	if !strings.Contains(body, "Too many login attempts. Please wait a minute and try again.") {
		t.Errorf("sixth try for one email: %q", body)
	}
	if n := b.count("#licenses"); n != 0 || strings.HasSuffix(b.location(), "/licenses") {
		t.Error("a rate-limited login signed in")
	}
}
