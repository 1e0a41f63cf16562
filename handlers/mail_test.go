package handlers_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

func TestReminderMailsTheOrderNumbersAndALinkThatSignsInOnce(t *testing.T) {
	p := newMailPortal(t)
	visitor := p.client(t)
	if login := visitor.get("/login"); !strings.Contains(login.body, `href="/login/remind"`) {
		t.Fatal("the login page does not offer the reminder")
	}
	visitor.get("/login/remind")
	res := visitor.post("/login/remind", url.Values{"email": {" Marie@Acme.example "}})
	if res.StatusCode != 200 || !strings.Contains(res.body, `data-testid="remind-sent"`) {
		t.Fatalf("remind: %d", res.StatusCode)
	}
	m := p.mailTo(t, 1, "marie@acme.example")
	for _, want := range []string{"JWT100234", "JWT100391", "order number", "30 minutes"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the reminder lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "JWT100412") {
		t.Error("the reminder lists another customer's order")
	}
	if m.MessageID == "" || !strings.Contains(m.Text, "help@vendor.example") || !strings.Contains(m.Subject, "Test Portal") {
		t.Errorf("the mail's Message-ID, support address or brand: %q %q", m.MessageID, m.Subject)
	}
	link := linkOf(t, m, "/login/link/")

	// A mail scanner opens the link: nothing is used up, nobody is signed in.
	scanner := p.client(t)
	if page := scanner.get(link); page.StatusCode != 200 || setsCookie(page, "portal_session") {
		t.Fatalf("opening the link: %d", page.StatusCode)
	}
	browser := p.client(t)
	signedIn := pressButton(t, browser, link)
	if signedIn.StatusCode != 303 || signedIn.Header.Get("Location") != "/licenses" {
		t.Fatalf("pressing the button: %d %s", signedIn.StatusCode, signedIn.Header.Get("Location"))
	}
	if licenses := browser.get("/licenses"); licenses.StatusCode != 200 || !strings.Contains(licenses.body, "JWT100234") {
		t.Fatalf("signed in by the link: %d", licenses.StatusCode)
	}
	// Used once: the page and the button both say so.
	again := p.client(t)
	again.get("/login")
	if page := again.get(link); page.StatusCode != 404 || strings.Contains(page.body, "mail-link-button") {
		t.Errorf("the used link's page: %d", page.StatusCode)
	}
	token := link[strings.LastIndexByte(link, '/')+1:]
	if res := again.post("/login/link", url.Values{"token": {token}}); res.StatusCode != 404 || setsCookie(res, "portal_session") {
		t.Errorf("the used link's button: %d", res.StatusCode)
	}
}

// normalized is a page without what differs between any two answers: the
// address typed and the CSRF token.
func normalized(body, email string) string {
	body = strings.ReplaceAll(body, email, "EMAIL")
	return regexp.MustCompile(`value="[^"]{20,}"`).ReplaceAllString(body, `value="TOKEN"`)
}

func TestReminderAnswersTheSameForAnAddressWithoutOrders(t *testing.T) {
	p := newMailPortal(t)
	c := p.client(t)
	c.get("/login/remind")
	known := c.post("/login/remind", url.Values{"email": {"marie@acme.example"}})
	c.get("/login/remind")
	unknown := c.post("/login/remind", url.Values{"email": {"nobody@acme.example"}})
	if known.StatusCode != unknown.StatusCode || normalized(known.body, "marie@acme.example") != normalized(unknown.body, "nobody@acme.example") {
		t.Errorf("the answers differ: %d and %d", known.StatusCode, unknown.StatusCode)
	}
	if n := p.settled(t, 1); n != 1 {
		t.Errorf("%d mails sent, want only the known address's", n)
	}
}

func TestReminderLimits(t *testing.T) {
	p := newMailPortal(t)
	c := p.client(t)
	for i := range 12 {
		c.get("/login/remind")
		if res := c.post("/login/remind", url.Values{"email": {"marie@acme.example"}}); res.StatusCode != 200 {
			t.Fatalf("ask %d: %d", i+1, res.StatusCode)
		}
	}
	if n := p.settled(t, 5); n != 5 {
		t.Errorf("12 asks for one email sent %d mails, want 5", n)
	}
	c.get("/login/remind")
	if res := c.post("/login/remind", url.Values{"email": {"other@acme.example"}}); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Errorf("the 13th ask from one address: %d, want 429 with Retry-After", res.StatusCode)
	}
	// The limits recover.
	p.clock.Advance(time.Hour)
	c.get("/login/remind")
	if res := c.post("/login/remind", url.Values{"email": {"marie@acme.example"}}); res.StatusCode != 200 {
		t.Errorf("an hour later: %d", res.StatusCode)
	}
	if n := p.settled(t, 6); n != 6 {
		t.Errorf("an hour later %d mails in all, want 6", n)
	}
}

func TestWithoutMailTheLoginPagePointsToSupport(t *testing.T) {
	p := newTestPortal(t)
	c := p.client(t)
	login := c.get("/login")
	if strings.Contains(login.body, `href="/login/remind"`) || !strings.Contains(login.body, "mailto:help@vendor.example") {
		t.Error("without mail the login page must point to support, not to the reminder")
	}
	remind := c.get("/login/remind")
	if strings.Contains(remind.body, `action="/login/remind"`) || !strings.Contains(remind.body, "help@vendor.example") {
		t.Error("without mail the reminder page must point to support")
	}
	if res := c.post("/login/remind", url.Values{"email": {"marie@acme.example"}}); res.StatusCode != 200 {
		t.Errorf("a reminder asked without mail: %d", res.StatusCode)
	}
}

func TestEmailChangeMovesEverythingOnceConfirmed(t *testing.T) {
	p := newMailPortal(t)
	ctx := context.Background()
	p.lockUpgrade(t) // a pending purchase, which moves too
	marie := p.signedIn(t)
	marie.get("/account/email")
	asked := marie.post("/account/email", url.Values{"email": {"marie.dupont@acme-lyon.example"}})
	if asked.StatusCode != 200 || !strings.Contains(asked.body, "We sent a confirmation link to marie.dupont@acme-lyon.example") {
		t.Fatalf("asking: %d %s", asked.StatusCode, visibleText(asked.body))
	}
	confirmMail := p.mailTo(t, 1, "marie.dupont@acme-lyon.example")
	notice := p.mailTo(t, 1, "marie@acme.example")
	if !strings.Contains(notice.Text, "marie.dupont@acme-lyon.example") {
		t.Errorf("the old address's notice does not name the new one:\n%s", notice.Text)
	}
	cancel := linkOf(t, notice, "/account/email/cancel/")

	// Before confirmation nothing moved: the old email still signs in, the new one does not.
	if o, _ := p.store.OrdersByEmail(ctx, "marie.dupont@acme-lyon.example"); len(o) != 0 {
		t.Fatalf("orders moved before confirmation: %d", len(o))
	}
	if res := p.client(t).login("marie.dupont@acme-lyon.example", "JWT100234"); res.StatusCode == 303 {
		t.Error("the new email signs in before the change is confirmed")
	}

	newOwner := p.client(t)
	done := pressButton(t, newOwner, linkOf(t, confirmMail, "/account/email/confirm/"))
	if done.StatusCode != 200 || !strings.Contains(done.body, "now belongs to marie.dupont@acme-lyon.example") {
		t.Fatalf("confirming: %d %s", done.StatusCode, visibleText(done.body))
	}
	if res := newOwner.get("/licenses"); res.StatusCode != 200 || !strings.Contains(res.body, "JWT100234-1") {
		t.Errorf("the confirming browser is not signed in as the new email: %d", res.StatusCode)
	}
	if o, _ := p.store.OrdersByEmail(ctx, "marie.dupont@acme-lyon.example"); len(o) != 2 {
		t.Errorf("orders of the new email: %d, want 2", len(o))
	}
	if o, _ := p.store.OrdersByEmail(ctx, "marie@acme.example"); len(o) != 0 {
		t.Errorf("orders left under the old email: %d", len(o))
	}
	if pur, _ := p.store.PurchasesByEmail(ctx, "marie.dupont@acme-lyon.example"); len(pur) != 1 {
		t.Errorf("the pending purchase did not move: %d", len(pur))
	}
	hist, _ := p.store.LicenseHistory(ctx, "JWT100234-1")
	if last := hist[len(hist)-1]; last.Kind != domain.ChangeEmail {
		t.Errorf("the license's history: %+v", last)
	}
	told := p.mailTo(t, 2, "marie@acme.example")
	if !strings.Contains(told.Text, "marie.dupont@acme-lyon.example") {
		t.Errorf("the old address's second notice:\n%s", told.Text)
	}
	if res := p.client(t).login("marie.dupont@acme-lyon.example", "JWT100234"); res.StatusCode != 303 {
		t.Errorf("the new email with an order number: %d, want a sign-in", res.StatusCode)
	}
	if res := p.client(t).login("marie@acme.example", "JWT100234"); res.StatusCode == 303 {
		t.Error("the old email still signs in")
	}
	if page := p.client(t).get(cancel); page.StatusCode != 404 {
		t.Errorf("the cancel link after confirmation: %d, want 404", page.StatusCode)
	}
}

func TestEmailChangeCancelledFromTheOldAddressMovesNothing(t *testing.T) {
	p := newMailPortal(t)
	marie := p.signedIn(t)
	marie.get("/account/email")
	marie.post("/account/email", url.Values{"email": {"thief@evil.example"}})
	confirm := linkOf(t, p.mailTo(t, 1, "thief@evil.example"), "/account/email/confirm/")
	cancelled := pressButton(t, p.client(t), linkOf(t, p.mailTo(t, 1, "marie@acme.example"), "/account/email/cancel/"))
	if cancelled.StatusCode != 200 || !strings.Contains(cancelled.body, "nothing was moved") {
		t.Fatalf("cancelling: %d %s", cancelled.StatusCode, visibleText(cancelled.body))
	}
	thief := p.client(t)
	if page := thief.get(confirm); page.StatusCode != 404 {
		t.Errorf("the confirm link after the cancel: %d, want 404", page.StatusCode)
	}
	if o, _ := p.store.OrdersByEmail(context.Background(), "marie@acme.example"); len(o) != 2 {
		t.Errorf("Marie's orders: %d, want 2", len(o))
	}
}

func TestAFailingMailServerGetsAMessageAndARetryNotA500(t *testing.T) {
	p := newMailPortalStill(t)
	p.smtp.RejectNext(1, 451)
	marie := p.signedIn(t)
	marie.get("/account/email")
	res := marie.post("/account/email", url.Values{"email": {"marie.dupont@acme-lyon.example"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "could not send the confirmation") {
		t.Fatalf("with the server refusing: %d %s", res.StatusCode, visibleText(res.body))
	}
	// The notice to the old address goes; the confirmation waits for its next attempt.
	p.dispatch.SendDue(context.Background())
	p.mailTo(t, 1, "marie@acme.example")
	if n := len(p.smtp.Messages()); n != 1 {
		t.Fatalf("%d mails before the confirmation's next attempt, want the notice alone", n)
	}
	p.clock.Advance(domain.MailRetryAfter(1))
	p.dispatch.SendDue(context.Background())
	p.mailTo(t, 1, "marie.dupont@acme-lyon.example")
}

func TestStaffAskAnEmailChangeForACustomer(t *testing.T) {
	p := newMailPortal(t)
	p.addStaff(t, "sam@vendor.example", domain.RoleSupport)
	staff := p.staff(t, "sam@vendor.example")
	staff.get("/staff/orders/JWT100234")
	res := staff.post("/staff/orders/JWT100234/email", url.Values{"email": {"new@acme.example"}})
	if res.StatusCode != 200 || !strings.Contains(res.body, "We sent a confirmation link to new@acme.example") {
		t.Fatalf("staff asking: %d %s", res.StatusCode, visibleText(res.body))
	}
	p.mailTo(t, 1, "new@acme.example")
	audit, _ := p.store.Audit(context.Background(), 10)
	if len(audit) == 0 || audit[0].Action != "email change asked" || audit[0].Staff != "sam@vendor.example" ||
		!strings.Contains(audit[0].Detail, "marie@acme.example → new@acme.example") {
		t.Errorf("audit: %+v", audit)
	}
	if res := staff.post("/staff/orders/JWT100234/email", url.Values{"email": {"not an email"}}); res.StatusCode != 422 {
		t.Errorf("a bad address: %d, want 422", res.StatusCode)
	}
}
