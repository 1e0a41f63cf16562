package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/handlers"
	"portal/mail"
	"portal/mail/mailtest"
)

// mailPortal is a test portal that mails through a real SMTP conversation
// with an in-process server.
type mailPortal struct {
	*testPortal
	smtp     *mailtest.Server
	dispatch *mail.Dispatcher
}

// lateOutbox lets the dispatcher be made before the portal's store exists.
type lateOutbox struct{ mail.OutboxStore }

func newMailPortal(t *testing.T) *mailPortal {
	t.Helper()
	p := newMailPortalStill(t)
	runDispatcher(t, p)
	return p
}

// runDispatcher sends p's outbox every 20 ms until the test ends, and has
// stopped before the store closes (cleanups run last first): a send under
// way when the store closed panicked in Badger ("DB Closed").
func runDispatcher(t *testing.T, p *mailPortal) {
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		p.dispatch.Run(ctx, 20*time.Millisecond)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
}

// newMailPortalStill is a mail portal whose outbox is sent only when the test
// calls SendDue (and by SendNow).
func newMailPortalStill(t *testing.T) *mailPortal {
	t.Helper()
	m := newMailSetup(t)
	return m.attach(newTestPortal(t, m.configure))
}

// mailSetup mails through an in-process SMTP server. Its option goes to the
// portal's Config; attach then points the dispatcher at the portal's store.
type mailSetup struct {
	smtp     *mailtest.Server
	sender   mail.Sender
	outbox   *lateOutbox
	dispatch *mail.Dispatcher
}

func newMailSetup(t *testing.T) *mailSetup {
	t.Helper()
	server := mailtest.Start(t)
	sender, err := mail.NewSMTP(server.URL(), "Test Portal <portal@vendor.example>")
	if err != nil {
		t.Fatal(err)
	}
	return &mailSetup{smtp: server, sender: sender, outbox: &lateOutbox{}}
}

// configure is the portalOption that gives the portal its mail.
func (m *mailSetup) configure(cfg *handlers.Config) {
	cfg.BaseURL = "https://licenses.vendor.example"
	m.dispatch = mail.NewDispatcher(m.outbox, m.sender, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg.Now)
	cfg.Mail = m.dispatch
}

func (m *mailSetup) attach(p *testPortal) *mailPortal {
	m.outbox.OutboxStore = p.store
	return &mailPortal{testPortal: p, smtp: m.smtp, dispatch: m.dispatch}
}

// mailTo waits for the nth mail (counting from 1) to address to, whatever
// else the server received, and answers it.
func (p *mailPortal) mailTo(t *testing.T, n int, to string) mailtest.Message {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var found []mailtest.Message
		for _, m := range p.smtp.Messages() {
			if len(m.EnvelopeTo) == 1 && m.EnvelopeTo[0] == to {
				found = append(found, m)
			}
		}
		if len(found) >= n {
			return found[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail %d to %s did not arrive (%d did)", n, to, len(found))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settled waits until the server has received want mails and the outbox has
// nothing more due, and answers how many it received in all.
func (p *mailPortal) settled(t *testing.T, want int) int {
	t.Helper()
	if want > 0 {
		p.smtp.WaitFor(t, want, 5*time.Second)
	}
	p.dispatch.SendDue(context.Background())
	time.Sleep(50 * time.Millisecond) // a send the dispatcher had begun
	return len(p.smtp.Messages())
}

var linkIn = regexp.MustCompile(`https://licenses\.vendor\.example(/[a-z/]+/[A-Za-z0-9_-]{40,})`)

// linkOf is the path of the mailed link that begins with prefix.
func linkOf(t *testing.T, m mailtest.Message, prefix string) string {
	t.Helper()
	for _, l := range linkIn.FindAllStringSubmatch(m.Text, -1) {
		if strings.HasPrefix(l[1], prefix) {
			return l[1]
		}
	}
	t.Fatalf("no %s link in the mail:\n%s", prefix, m.Text)
	return ""
}

// pressButton opens a mailed link's page and presses its one button.
func pressButton(t *testing.T, c *client, path string) response {
	t.Helper()
	page := c.get(path)
	if page.StatusCode != 200 || !strings.Contains(page.body, `data-testid="mail-link-button"`) {
		t.Fatalf("GET %s: %d, no button", path, page.StatusCode)
	}
	action := path[:strings.LastIndexByte(path, '/')]
	token := path[strings.LastIndexByte(path, '/')+1:]
	return c.post(action, url.Values{"token": {token}})
}
