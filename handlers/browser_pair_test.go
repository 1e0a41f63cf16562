package handlers_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/handlers"
	"portal/pairclient"
)

// lockedBuffer is the reference client's terminal, read by the test while the
// client writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var pairLink = regexp.MustCompile(`https?://\S+/pair\?code=([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})`)

// TestBrowserPairingWithTheReferenceClient: the reference client (what the
// licensed software does) asks and waits, showing its link; a customer opens
// the link in Chromium, signs in, comes back to the code, approves; the
// client receives the key and a license it verifies for its serial.
func TestBrowserPairingWithTheReferenceClient(t *testing.T) {
	// The real clock: the client paces its polls by it, and so must the portal.
	ctx, base, p := browser(t, func(cfg *handlers.Config) { cfg.Now = time.Now })
	b := page{t, ctx}
	var terminal lockedBuffer
	type outcome struct {
		res pairclient.Result
		err error
	}
	done := make(chan outcome, 1)
	clientCtx, stop := context.WithTimeout(context.Background(), 45*time.Second)
	defer stop()
	go func() {
		res, err := pairclient.Pair(clientCtx, pairclient.Request{Base: base, Software: "Remote Work", Serial: "PAIR-PC-77",
			Hostname: "atelier-namur", PublicKey: p.publicKey}, &terminal)
		done <- outcome{res, err}
	}()
	var link []string
	for deadline := time.Now().Add(10 * time.Second); link == nil; time.Sleep(20 * time.Millisecond) {
		if link = pairLink.FindStringSubmatch(terminal.String()); link == nil && time.Now().After(deadline) {
			select {
			case o := <-done:
				t.Fatalf("the client ended: %v\n%s", o.err, terminal.String())
			default:
			}
			t.Fatalf("the client showed no link:\n%s", terminal.String())
		}
	}
	if !strings.Contains(terminal.String(), link[1]) {
		t.Errorf("the client does not show the code %s by itself", link[1])
	}

	b.do(
		chromedp.Navigate(link[0]),
		chromedp.WaitVisible(chromedp.CSS("#email")), // not signed in: the login first
		chromedp.SendKeys(chromedp.CSS("#email"), "marie@acme.example"),
		chromedp.SendKeys(chromedp.CSS("#order"), "JWT100234"),
		chromedp.Click(chromedp.CSS("main button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=pair-request]")),
	)
	if h2 := b.text("[data-testid=pair-request] h2"); h2 != "Remote Work on atelier-namur asks for a license" {
		t.Errorf("the request reads %q", h2)
	}
	select {
	case o := <-done:
		t.Fatalf("the client ended before the approval: %v", o.err)
	default:
	}
	b.do(
		chromedp.Click(chromedp.CSS("[data-testid=pair-approve]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash], .flash")),
	)
	if !strings.Contains(b.text("main"), "Approved") {
		t.Errorf("after Approve the page says: %s", b.text("main"))
	}

	o := <-done
	if o.err != nil {
		t.Fatalf("the client: %v\n%s", o.err, terminal.String())
	}
	order, _, _ := p.store.Order(context.Background(), "JWT100234")
	if o.res.ActivationKey != order.ActivationKey || o.res.License.Serial != "PAIR-PC-77" ||
		len(o.res.License.Licenses) != 1 || o.res.License.Licenses[0].ID != upgradeLicense {
		t.Errorf("the client received %+v", o.res)
	}
	if strings.Contains(terminal.String(), order.ActivationKey) {
		t.Error("the client printed the whole activation key")
	}
}
