package handlers_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/i18n"
)

// browser starts the portal on a loopback port and a headless Chromium pointed at it.
func browser(t *testing.T, opts ...portalOption) (ctx context.Context, baseURL string, p *testPortal) {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; the test command installs it")
		}
		t.Skip("chromium is not installed (scripts/test.sh installs it)")
	}
	p = newTestPortal(t, opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go p.app.Listener(ln)
	t.Cleanup(func() { p.app.ShutdownWithTimeout(5 * time.Second) })

	browserOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), browserOpts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx, "http://" + ln.Addr().String(), p
}

// page wraps a chromedp context with helpers that fail the test on error.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func run[T any](p page, a chromedp.Action[T]) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, a)
	if err != nil {
		p.t.Fatal(err)
	}
	return v
}

func (p page) text(sel string) string { return run(p, chromedp.Text(chromedp.CSS(sel))) }
func (p page) location() string       { return run(p, chromedp.Location()) }
func (p page) count(sel string) int {
	return run(p, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// TestBrowserLoginLicensesAndOrderDetails walks the customer's path: log in as a
// person would, read the licenses, open an order's details and see its items
// appear in place.
func TestBrowserLoginLicensesAndOrderDetails(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}

	b.do(
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), " Marie@Acme.example"),
		chromedp.SendKeys(chromedp.CSS("#order"), "jwt 100234"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
	if loc := b.location(); !strings.HasSuffix(loc, "/licenses") {
		t.Errorf("after login the browser is at %s", loc)
	}
	if n := b.count("#licenses tbody tr[data-testid=license-row]"); n != 3 {
		t.Errorf("%d license rows, want 3", n)
	}
	firstRow := b.text("#license-JWT100234-1")
	for _, want := range []string{"Remote Work", "Standard", "5", "workstations", "JWT100234", "Not activated yet", "1 year"} {
		if !strings.Contains(firstRow, want) {
			t.Errorf("first license row %q lacks %q", firstRow, want)
		}
	}
	if state := b.text("#license-JWT100234-2 .state"); state != "Expired" {
		t.Errorf("support state %q, want Expired", state)
	}

	b.do(
		chromedp.Click(chromedp.CSS(`a[href="/orders"]`)),
		chromedp.WaitVisible(chromedp.CSS("#orders")),
	)
	before := b.location()
	b.do(
		chromedp.Click(chromedp.CSS("#order-JWT100234 a[hx-get]")),
		chromedp.WaitVisible(chromedp.CSS("#details-JWT100234 [data-testid=order-item]")),
	)
	if after := b.location(); before != after {
		t.Errorf("opening details left the page: %s -> %s", before, after)
	}
	details := b.text("#details-JWT100234")
	if n := b.count("#details-JWT100234 [data-testid=order-item]"); n != 2 {
		t.Errorf("details show %d items, want 2", n)
	}
	for _, want := range []string{"Remote Work Standard, 5 workstations", "Setup assistance", "EUR 601.00"} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	if n := b.count("#details-JWT100391 [data-testid=order-item]"); n != 0 {
		t.Errorf("another order's details opened too")
	}
}

// TestBrowserOrderPageWithoutHTMX: with JavaScript switched off in the browser,
// the pages still work as plain links and forms: the login form signs in, the
// Orders link opens the orders, and the Details button (an htmx link) opens the
// order's own page.
func TestBrowserOrderPageWithoutHTMX(t *testing.T) {
	ctx, base, _ := browser(t)
	b := page{t, ctx}
	withoutJavaScript(t, ctx)
	b.do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "marie@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#order"), "JWT100391"),
		chromedp.Submit(chromedp.CSS("#order")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
	// No script ran: app.js marks <html> and rewrites every date it sees.
	if js := run(b, chromedp.Evaluate[bool](`document.documentElement.classList.contains('js') || typeof window.htmx !== 'undefined'`)); js {
		t.Fatal("scripts ran although JavaScript is off")
	}
	// The server wrote the date in the page's language, the ISO date beside it.
	iso := b.attr("#license-JWT100234-1 time", "datetime")
	day, err := time.Parse(time.DateOnly, iso)
	if got, want := b.text("#license-JWT100234-1 time"), i18n.Builtin().English.Date(day); err != nil || got != want {
		t.Errorf("a date shows as %q (datetime %q), not as %q, which the server wrote", got, iso, want)
	}
	b.do(
		chromedp.Click(chromedp.CSS(`a[href="/orders"]`)),
		chromedp.WaitVisible(chromedp.CSS("#orders")),
		chromedp.Click(chromedp.CSS("#order-JWT100234 a[hx-get]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=order-details]")),
	)
	if loc := b.location(); !strings.HasSuffix(loc, "/orders/JWT100234") {
		t.Errorf("the Details button led to %s, want the order's page", loc)
	}
	if title := b.text("h1"); title != "Order JWT100234" {
		t.Errorf("order page title %q", title)
	}
	if body := b.text("main"); !strings.Contains(body, "Setup assistance") {
		t.Errorf("order page lacks its items: %q", body)
	}
}
