package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/domain"
	"portal/handlers"
	"portal/payments"
	"portal/storage"
)

var update = flag.Bool("update", false, "rewrite the README's screenshots in docs/ from the demo data")

// screenshotNow is the demo's today, so that the pictures change only with the pages.
var screenshotNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// screenshots are the README's pictures, each a page of the demo.
var screenshots = []struct{ file, what string }{
	{"docs/licenses.png", "a customer's licenses page"},
	{"docs/upgrade-quote.png", "the upgrade page with a live quote for 3 workstations"},
	{"docs/staff-order.png", "an order as support staff read it"},
	{"docs/invoice.png", "the invoice page of the demo's order JWT100234 (seller, billing details, 20% VAT)"},
	{"docs/licenses-fr.png", "the licenses page in French, chosen from the language menu"},
}

// samplePDF is the README's sample invoice: the PDF of the same demo invoice.
const samplePDF = "docs/sample-invoice.pdf"

// TestScreenshots checks the README's screenshots; with -update it makes them
// again from the demo data in headless Chromium:
//
//	go test . -run TestScreenshots -update
func TestScreenshots(t *testing.T) {
	if *update {
		makeScreenshots(t)
	}
	for _, s := range screenshots {
		b, err := os.ReadFile(s.file)
		if err != nil {
			t.Errorf("%s (%s): %v; make it with go test . -run TestScreenshots -update", s.file, s.what, err)
			continue
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%s is not a PNG", s.file)
		}
		if len(b) > 400<<10 {
			t.Errorf("%s is %d KiB: keep the README's pictures small", s.file, len(b)>>10)
		}
	}
	b, err := os.ReadFile(samplePDF)
	if err != nil {
		t.Errorf("%s (the sample invoice): %v; make it with go test . -run TestScreenshots -update", samplePDF, err)
	} else if !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) > 400<<10 {
		t.Errorf("%s is not a PDF of at most 400 KiB (%d KiB)", samplePDF, len(b)>>10)
	}
}

func makeScreenshots(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Fatal("chromium is not installed (scripts/test.sh installs it)")
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := storage.Open(t.TempDir(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := loadDemo(ctx, store, io.Discard, screenshotNow); err != nil {
		t.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app := handlers.New(handlers.Config{
		BaseURL: base, OrderPrefix: "JWT", Payments: payments.Demo{BaseURL: base},
		Brand: "Customer Portal", SupportEmail: "support@example.com", SigningKey: key,
		Rehost: domain.RehostPolicy{Limit: 3, Window: 365 * 24 * time.Hour},
		Log:    log, Now: func() time.Time { return screenshotNow },
	}, store).App()
	go app.Listener(ln)
	defer app.ShutdownWithTimeout(5 * time.Second)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	bctx, cancelTimeout := context.WithTimeout(bctx, 60*time.Second)
	defer cancelTimeout()

	shoot := func(file string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return chromedp.Void{}, err
			}
			return chromedp.Void{}, os.WriteFile(file, png, 0o644)
		}
	}
	// savePDF saves the invoice PDF at path as the signed-in browser gets it.
	savePDF := func(path, file string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			b64, err := chromedp.Evaluate[string](`fetch(`+strconv.Quote(path)+`).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status))
				.then(b => { let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s); })`, chromedp.EvalAwaitPromise)(ctx, tg)
			if err != nil {
				return chromedp.Void{}, err
			}
			pdf, err := base64.StdEncoding.DecodeString(b64)
			if err != nil {
				return chromedp.Void{}, err
			}
			return chromedp.Void{}, os.WriteFile(file, pdf, 0o644)
		}
	}
	// blur takes the focus ring and caret off the picture.
	blur := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(document.activeElement.blur(), true)`)(ctx, tg)
		return chromedp.Void{}, err
	}
	if err := os.MkdirAll(filepath.Dir(screenshots[0].file), 0o755); err != nil {
		t.Fatal(err)
	}
	// The demo's Marie: her licenses, then the upgrade of her Remote Work license.
	err = chromedp.Do(bctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "marie@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#order"), "JWT100234"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
		shoot(screenshots[0].file),
		chromedp.Navigate(base+"/licenses/JWT100234-1/upgrade"),
		chromedp.WaitVisible(chromedp.CSS("#add")),
		chromedp.SetValue(chromedp.CSS("#add"), ""),
		chromedp.SendKeys(chromedp.CSS("#add"), "3"),
		chromedp.Poll[chromedp.Void](`(document.querySelector('[data-testid=quote-add]') || {}).textContent === '3'`),
		blur,
		shoot(screenshots[1].file),
		// Her order's invoice, as a page (the Print button shows once app.js ran) and as a PDF.
		chromedp.Navigate(base+"/orders/JWT100234/invoice"),
		chromedp.WaitVisible(chromedp.CSS("button[data-print]")),
		shoot(screenshots[3].file),
		savePDF("/orders/JWT100234/invoice.pdf", samplePDF),
		// The same order as the demo's admin reads it.
		chromedp.Navigate(base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "admin@demo.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), demoStaffPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.Navigate(base+"/staff/orders/JWT100234"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=order-details]")),
		shoot(screenshots[2].file),
		// Marie's licenses again, in French from the menu.
		chromedp.Navigate(base+"/licenses"),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
		chromedp.Click(chromedp.CSS(`[data-testid=lang-menu] a[data-lang=fr]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=fr] #licenses`)),
		shoot(screenshots[4].file),
	)
	if err != nil {
		t.Fatal(err)
	}
}
