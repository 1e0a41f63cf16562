package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"portal/domain"
)

// phoneWidth is the width of a small phone in CSS pixels (an iPhone 12 to 15).
const phoneWidth = 390

// layoutFacts are what a page's layout must get right whatever its content.
type layoutFacts struct {
	// Width is the page's scroll width: wider than the window means the reader
	// scrolls sideways.
	Width int `json:"width"`
	// InnerScroll counts the scrolling boxes (tables' .overflow-auto wrappers)
	// whose content is wider than they are: sideways scrolling within the page.
	InnerScroll int `json:"innerScroll"`
	// HeadingJump names the first heading that skips a level ("h1 → h3").
	HeadingJump string `json:"headingJump"`
	// EmptyCards counts visible details rows with nothing in them.
	EmptyCards int `json:"emptyCards"`
	// Contact tells whether the customers' contact footer is on the page.
	Contact bool `json:"contact"`
}

const layoutFactsJS = `(() => {
	let jump = "", last = 0;
	for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
		const level = Number(h.tagName[1]);
		if (!jump && level > last + 1) jump = (last ? "h" + last : "start") + " → " + h.tagName.toLowerCase() + " " + h.textContent.trim();
		last = level;
	}
	const empty = [...document.querySelectorAll("tr.details-row")]
		.filter(r => r.textContent.trim() === "" && r.getBoundingClientRect().height > 0).length;
	const inner = [...document.querySelectorAll(".overflow-auto")]
		.filter(e => e.scrollWidth > e.clientWidth).length;
	return {width: document.documentElement.scrollWidth, innerScroll: inner, headingJump: jump, emptyCards: empty,
		contact: document.querySelector("#contact") !== null};
})()`

// checkLayout measures the page the browser shows now.
func (p page) checkLayout(name string, staff bool) {
	p.t.Helper()
	f := run(p, chromedp.Evaluate[layoutFacts](layoutFactsJS))
	if f.Width > phoneWidth {
		p.t.Errorf("%s: %d px wide on a %d px phone", name, f.Width, phoneWidth)
	}
	if f.InnerScroll > 0 {
		p.t.Errorf("%s: %d tables scroll sideways on a %d px phone", name, f.InnerScroll, phoneWidth)
	}
	if f.HeadingJump != "" {
		p.t.Errorf("%s: headings skip a level: %s", name, f.HeadingJump)
	}
	if f.EmptyCards > 0 {
		p.t.Errorf("%s: %d empty details rows show", name, f.EmptyCards)
	}
	if f.Contact == staff {
		p.t.Errorf("%s: customer contact footer shown = %v on a page for staff = %v", name, f.Contact, staff)
	}
}

// visit opens path and measures it.
func (p page) visit(base, path string, staff bool) {
	p.t.Helper()
	p.do(chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("main")))
	p.checkLayout(path, staff)
}

// TestBrowserPagesFitAPhone opens every page, customer and staff, in a 390 px
// wide window: none scrolls sideways, headings go down one level at a time, no
// empty card shows, and only customer pages end with the customers' contact.
func TestBrowserPagesFitAPhone(t *testing.T) {
	ctx, base, p := browser(t)
	p.addStaff(t, "ada@vendor.example", domain.RoleAdmin)
	b := page{t, ctx}
	b.do(chromedp.EmulateViewport(phoneWidth, 844))

	b.visit(base, "/login", false)
	b.visit(base, "/login/remind", false)
	b.visit(base, "/staff/login", true)
	b.visit(base, "/no-such-page", false)

	b.login(base, "marie@acme.example", "JWT100234")
	b.checkLayout("/licenses", false)
	// The panels open inside the license's card.
	b.do(chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=show-key]")))
	b.waitFor(`document.querySelector('#panel-JWT100234-1 [data-testid=key]') !== null`)
	b.do(chromedp.Click(chromedp.CSS("#license-JWT100234-2 [data-testid=details]")))
	b.waitFor(`document.querySelector('#panel-JWT100234-2 [data-testid=license-details]') !== null`)
	b.checkLayout("/licenses with the key and details open", false)

	b.visit(base, "/orders", false)
	b.do(chromedp.Click(chromedp.CSS("#order-JWT100234 a[hx-get]")))
	b.waitFor(`document.querySelector('#details-JWT100234 [data-testid=order-details]') !== null`)
	b.checkLayout("/orders with details open", false)

	for _, path := range []string{
		"/account/email",
		"/orders/JWT100234",
		"/orders/JWT100234/activation-key",
		"/licenses/JWT100234-2",
		"/licenses/JWT100234-2/renew",
		"/licenses/JWT100234-1/upgrade", // last: its Buy button is pressed next
	} {
		b.visit(base, path, false)
	}
	b.do(chromedp.Click(chromedp.CSS("[data-testid=buy]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=demo-pay]")))
	b.checkLayout("demo payment page", false)
	id := b.location()[strings.LastIndex(b.location(), "/")+1:]
	b.visit(base, "/purchases/"+id+"/success", false)

	b.do(
		chromedp.Navigate(base+"/staff/login"),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#email"), "ada@vendor.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), staffPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#q")),
	)
	for _, path := range []string{
		"/staff/orders?q=acme",
		"/staff/orders/JWT100234",
		"/admin/products",
		"/admin/staff",
		"/admin/seller",
		"/admin/data",
	} {
		b.visit(base, path, true)
	}
	if n := b.count("[data-testid=audit] tbody tr"); n == 0 {
		t.Error("the audit log is empty: the data page was measured without its table")
	}
}
