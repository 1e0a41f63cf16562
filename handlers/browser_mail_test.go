package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// browserWithMail is the browser harness over a portal that mails through a
// real SMTP conversation with an in-process server, as mail_test.go's portals do.
func browserWithMail(t *testing.T) (context.Context, string, *mailPortal) {
	t.Helper()
	m := newMailSetup(t)
	ctx, base, tp := browser(t, m.configure)
	p := m.attach(tp)
	runDispatcher(t, p)
	return ctx, base, p
}

// openMailedLink opens a mailed link's path in the browser and answers the
// page's HTTP status. Opening it must not act: the browser stays on the link's
// page, whatever it says.
func (p page) openMailedLink(base, path string) int64 {
	p.t.Helper()
	p.do(chromedp.Navigate(base + path))
	if loc := p.location(); loc != base+path {
		p.t.Fatalf("opening the mailed link %s led to %s", path, loc)
	}
	p.do(chromedp.WaitVisible(chromedp.CSS("[data-testid=mail-link]")))
	return run(p, chromedp.Evaluate[int64](`performance.getEntriesByType('navigation')[0].responseStatus`))
}

// mainButtons counts the buttons of the page's content, the header's aside.
const mainButtons = "main button, main input[type=submit]"

// TestBrowserReminderLinkSignsInOnce walks the path of a customer who lost
// their order number: from the login page to the reminder's form, the answer
// that says to look in the mailbox; the mail's link opens a page with one
// button, which signs in; the same link opened again is used up.
func TestBrowserReminderLinkSignsInOnce(t *testing.T) {
	ctx, base, p := browserWithMail(t)
	b := page{t, ctx}
	b.do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=lost-order]")),
		chromedp.Click(chromedp.CSS(`[data-testid=lost-order] a[href="/login/remind"]`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	if h1 := b.text("h1"); h1 != "Send me my order numbers" {
		t.Errorf("the reminder's form is titled %q", h1)
	}
	b.do(
		chromedp.SendKeys(chromedp.CSS("#email"), "Marie@Acme.example"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=remind-sent]")),
	)
	if h1 := b.text("h1"); h1 != "Check your mailbox" {
		t.Errorf("the answer is titled %q", h1)
	}

	m := p.mailTo(t, 1, "marie@acme.example")
	if !strings.Contains(m.Text, "JWT100234") || !strings.Contains(m.Text, "JWT100391") {
		t.Errorf("the reminder lacks the order numbers:\n%s", m.Text)
	}
	link := linkOf(t, m, "/login/link/")
	if status := b.openMailedLink(base, link); status != 200 {
		t.Fatalf("the mailed link's page answered %d", status)
	}
	if n := b.count(mainButtons); n != 1 {
		t.Errorf("the link's page has %d buttons, want one", n)
	}
	if n := b.count("#licenses"); n != 0 {
		t.Fatal("opening the link signed in before the button was pressed")
	}
	b.do(
		chromedp.Click(chromedp.CSS("[data-testid=mail-link-button]")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
	if loc := b.location(); loc != base+"/licenses" {
		t.Errorf("the button led to %s", loc)
	}
	if who := b.text("header .signed-in"); who != "marie@acme.example" {
		t.Errorf("signed in as %q", who)
	}
	if n := b.count("#licenses tbody tr[data-testid=license-row]"); n != 3 {
		t.Errorf("%d license rows, want Marie's 3", n)
	}

	// Used once: the same link shows no button any more, and says why.
	if status := b.openMailedLink(base, link); status != 404 {
		t.Errorf("the used link's page answered %d, want 404", status)
	}
	if n := b.count("[data-testid=mail-link-button]"); n != 0 {
		t.Error("the used link's page still offers its button")
	}
	if msg := b.text("[data-testid=mail-link] .flash"); !strings.Contains(msg, "has been used already or has expired") {
		t.Errorf("the used link's page says %q", msg)
	}
}

// TestBrowserEmailChangeConfirmedInAnotherBrowser: a signed-in customer asks,
// from Account, to move their orders to a new address; the confirmation link
// mailed there is opened in another browser (no cookies of the first), whose
// button moves the orders and signs that browser in as the new address. The
// old address is told twice: at the request, with a cancel link, and when done.
func TestBrowserEmailChangeConfirmedInAnotherBrowser(t *testing.T) {
	const oldEmail, newEmail = "marie@acme.example", "marie.dupont@acme-lyon.example"
	ctx, base, p := browserWithMail(t)
	b := page{t, ctx}
	b.login(base, oldEmail, "JWT100234")
	b.do(
		chromedp.Click(chromedp.CSS(`header nav a[href="/account/email"]`)),
		chromedp.WaitVisible(chromedp.CSS("#new-email")),
	)
	if current := b.attr(`header nav a[href="/account/email"]`, "aria-current"); current != "page" {
		t.Errorf("the Account link's aria-current is %q on its page", current)
	}
	if shown := b.text("[data-testid=current-email]"); shown != oldEmail {
		t.Errorf("the page names the current email %q", shown)
	}
	b.do(
		chromedp.SendKeys(chromedp.CSS("#new-email"), newEmail),
		chromedp.Click(chromedp.CSS("[data-testid=account-email-submit]")),
		chromedp.WaitVisible(chromedp.CSS("main .flash")),
	)
	if msg := b.text("main .flash"); !strings.Contains(msg, "We sent a confirmation link to "+newEmail) {
		t.Errorf("after asking the page says %q", msg)
	}

	confirm := linkOf(t, p.mailTo(t, 1, newEmail), "/account/email/confirm/")
	request := p.mailTo(t, 1, oldEmail)
	linkOf(t, request, "/account/email/cancel/")
	if !strings.Contains(request.Text, newEmail) {
		t.Errorf("the old address's first mail does not name the new one:\n%s", request.Text)
	}

	// Another browser: a context of its own, with none of the first one's cookies.
	other, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	o := page{t, other}
	o.do(chromedp.Navigate(base+"/licenses"), chromedp.WaitVisible(chromedp.CSS("#order")))
	if status := o.openMailedLink(base, confirm); status != 200 {
		t.Fatalf("the confirmation link's page answered %d", status)
	}
	if n := o.count(mainButtons); n != 1 {
		t.Errorf("the confirmation page has %d buttons, want one", n)
	}
	if button := o.text("[data-testid=mail-link-button]"); button != "Move my orders to "+newEmail {
		t.Errorf("the button says %q", button)
	}
	o.do(
		chromedp.Click(chromedp.CSS("[data-testid=mail-link-button]")),
		chromedp.WaitVisible(chromedp.CSS("main .flash")),
	)
	if h1 := o.text("h1"); h1 != "Your orders have moved" {
		t.Errorf("after the button the page is titled %q", h1)
	}
	o.do(
		chromedp.Click(chromedp.CSS(`main a[href="/licenses"]`)),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
	if who := o.text("header .signed-in"); who != newEmail {
		t.Errorf("the other browser is signed in as %q", who)
	}
	if n := o.count("#licenses tbody tr[data-testid=license-row]"); n != 3 {
		t.Errorf("the new email has %d license rows, want Marie's 3", n)
	}

	done := p.mailTo(t, 2, oldEmail)
	if !strings.Contains(done.Text, newEmail) || strings.Contains(done.Text, "/account/email/cancel/") {
		t.Errorf("the old address's second mail should tell the move is done, with no cancel link:\n%s", done.Text)
	}
	if n := p.settled(t, 3); n != 3 {
		t.Errorf("%d mails in all, want 3: the confirmation, and two to the old address", n)
	}
}
