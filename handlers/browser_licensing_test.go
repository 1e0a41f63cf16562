package handlers_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portal/domain"
)

func (p page) login(base, email, order string) {
	p.t.Helper()
	p.do(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#order"), order),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#licenses")),
	)
}

func (p page) waitFor(jsCondition string) {
	p.t.Helper()
	run(p, chromedp.Poll[chromedp.Void](jsCondition))
}

// TestBrowserKeyCopyFileAndRefresh: the customer shows the activation key, copies
// it, downloads the license file, and after the software activates with the key,
// refreshes the row and sees the new serial appear in place.
func TestBrowserKeyCopyFileAndRefresh(t *testing.T) {
	ctx, base, p := browser(t)
	b := page{t, ctx}
	b.login(base, "marie@acme.example", "JWT100234")
	origin := base

	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:    cdpbrowser.PermissionSettingGranted, Origin: origin,
		}); err != nil {
			t.Fatal(err)
		}
	}

	// Show the key in place and copy it.
	b.do(
		chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=show-key]")),
		chromedp.WaitVisible(chromedp.CSS("#panel-JWT100234-1 [data-testid=key]")),
	)
	shown := b.text("#panel-JWT100234-1 [data-testid=key]")
	if want := p.activationKey(t, "JWT100234"); shown != want {
		t.Fatalf("key shown %q, want %q", shown, want)
	}
	if help := b.text("#panel-JWT100234-1 [data-testid=activation-key]"); !strings.Contains(help, "License tab") || !strings.Contains(help, "Activate your license") {
		t.Errorf("the key partial does not say where to paste it: %q", help)
	}
	b.do(chromedp.Click(chromedp.CSS("#panel-JWT100234-1 button[data-copy]")))
	b.waitFor(`document.querySelector('#panel-JWT100234-1 button[data-copy]').dataset.copied === '1'`)
	copied := run(b, chromedp.Evaluate[string](`navigator.clipboard.readText()`, func(p *runtime.EvaluateParams) { p.AwaitPromise = ptr(true) }))
	if copied != shown {
		t.Errorf("clipboard holds %q, want %q", copied, shown)
	}

	// Download the license file from the license's details.
	dir := t.TempDir()
	if _, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: ptr(true),
	}); err != nil {
		t.Fatal(err)
	}
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	b.do(
		chromedp.Click(chromedp.CSS("#license-JWT100234-2 [data-testid=details]")),
		chromedp.WaitVisible(chromedp.CSS("#panel-JWT100234-2 [data-testid=license-file]")),
		chromedp.Click(chromedp.CSS("#panel-JWT100234-2 [data-testid=license-file]")),
	)
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			break
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "JWT100234-2-license.lic"))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := domain.Verify(p.publicKey, raw)
	if err != nil || payload.Serial != "ACME-SRV-01" || payload.Licenses[0].ID != "JWT100234-2" {
		t.Fatalf("downloaded file: %v %+v", err, payload)
	}

	// The software activates with the copied key; the customer refreshes the row.
	if status, out, _ := p.api(t, "POST", "/api/v1/activate", keyBody(copied, "PC-BROWSER-1")); status != 200 {
		t.Fatalf("activation with the copied key: %d %v", status, out)
	}
	if serial := b.text("#license-JWT100234-1 .serial"); serial != "Not activated yet" {
		t.Fatalf("row changed before refresh: %q", serial)
	}
	before := b.location()
	b.do(chromedp.Click(chromedp.CSS("#license-JWT100234-1 [data-testid=refresh]")))
	b.waitFor(`(document.querySelector('#license-JWT100234-1 [data-testid=sync-note]') || {}).textContent !== undefined`)
	if serial := b.text("#license-JWT100234-1 .serial"); serial != "PC-BROWSER-1" {
		t.Errorf("serial after refresh: %q", serial)
	}
	if note := b.text("#license-JWT100234-1 [data-testid=sync-note]"); !strings.Contains(note, "serial (none) → PC-BROWSER-1") {
		t.Errorf("sync note: %q", note)
	}
	if after := b.location(); after != before {
		t.Errorf("refresh left the page: %s", after)
	}
	if n := b.count("#licenses tr[data-testid=license-row]"); n != 3 {
		t.Errorf("%d license rows after the swap, want 3", n)
	}
	// The key panel of the row is still there: only the row was swapped.
	if n := b.count("#panel-JWT100234-1 [data-testid=key]"); n != 1 {
		t.Errorf("the key panel went away with the refresh")
	}
}

func ptr[T any](v T) *T { return &v }
