package handlers_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"portal/handlers"
	"portal/mail"
)

// newDemoOutboxPortal is configured as `serve --demo` without SMTP: the
// dispatcher sends the store's outbox into an in-memory Outbox that
// /demo/outbox shows. Mails go when the test calls SendDue.
func newDemoOutboxPortal(t *testing.T) (*testPortal, *mail.Dispatcher) {
	t.Helper()
	store := &lateOutbox{}
	var d *mail.Dispatcher
	p := newTestPortal(t, func(cfg *handlers.Config) {
		cfg.BaseURL = "https://licenses.vendor.example"
		outbox := &mail.Outbox{}
		d = mail.NewDispatcher(store, outbox, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg.Now)
		cfg.Mail, cfg.DemoOutbox = d, outbox
	})
	store.OutboxStore = p.store
	return p, d
}

func TestDemoOutboxShowsTheMailsWithTheirLinks(t *testing.T) {
	p, d := newDemoOutboxPortal(t)
	c := p.client(t)
	if empty := c.get("/demo/outbox"); empty.StatusCode != 200 || strings.Contains(empty.body, `data-testid="demo-mail"`) {
		t.Fatalf("the outbox before any mail: %d", empty.StatusCode)
	}
	c.get("/login/remind")
	if res := c.post("/login/remind", url.Values{"email": {"marie@acme.example"}}); res.StatusCode != 200 {
		t.Fatalf("remind: %d", res.StatusCode)
	}
	d.SendDue(context.Background())

	outbox := c.get("/demo/outbox")
	if outbox.StatusCode != 200 || strings.Count(outbox.body, `data-testid="demo-mail"`) != 1 {
		t.Fatalf("the outbox after a reminder: %d, %d mails", outbox.StatusCode, strings.Count(outbox.body, `data-testid="demo-mail"`))
	}
	text := html.UnescapeString(visibleText(outbox.body))
	for _, want := range []string{"To marie@acme.example", "JWT100234", "JWT100391"} {
		if !strings.Contains(text, want) {
			t.Errorf("the outbox lacks %q: %s", want, text)
		}
	}
	links := linkIn.FindAllStringSubmatch(outbox.body, -1)
	if len(links) != 1 || !strings.HasPrefix(links[0][1], "/login/link/") {
		t.Fatalf("the outbox shows the links %q, want the reminder's sign-in link", links)
	}
	// The link shown is the one that works.
	visitor := p.client(t)
	if res := pressButton(t, visitor, links[0][1]); res.StatusCode != 303 || res.Header.Get("Location") != "/licenses" {
		t.Errorf("the outbox's link signs in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestDemoOutboxExistsOnlyOnTheDemoWithoutSMTP(t *testing.T) {
	for _, tc := range []struct {
		name   string
		portal func(t *testing.T) *testPortal
	}{
		{"without mail", func(t *testing.T) *testPortal { return newTestPortal(t) }},
		{"with SMTP", func(t *testing.T) *testPortal { return newMailPortalStill(t).testPortal }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.portal(t)
			if res := p.client(t).get("/demo/outbox"); res.StatusCode != 404 || strings.Contains(res.body, "Demo outbox") {
				t.Errorf("GET /demo/outbox: %d, want 404", res.StatusCode)
			}
			if res := p.signedIn(t).get("/demo/outbox"); res.StatusCode != 404 {
				t.Errorf("GET /demo/outbox signed in: %d, want 404", res.StatusCode)
			}
		})
	}
}
