package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var emailTests = []test{
	{"MailLinkIsUsedOnce", testMailLinkIsUsedOnce},
	{"MailLinkLivesByItsOwnClock", testMailLinkLivesByItsOwnClock},
	{"ConfirmedEmailChangeMovesEverything", testConfirmedEmailChangeMovesEverything},
	{"CancelledOrExpiredEmailChangeMovesNothing", testCancelledOrExpiredEmailChangeMovesNothing},
	{"OutboxGivesEachMailToOneSender", testOutboxGivesEachMailToOneSender},
	{"OutboxDepthCountsEveryQueuedMail", testOutboxDepthCountsEveryQueuedMail},
}

func testMail(to string, at time.Time) domain.Mail {
	return domain.Mail{ID: domain.NewMailID(at), To: to, Subject: "s", Text: "t", HTML: "<p>t</p>", Created: at, NextAttempt: at}
}

// testMailLinkLivesByItsOwnClock: a link made at a time other than the
// wall clock's (BaseDate is months ago) lives its own 30 minutes, not what
// is left of them by the wall clock: it still works two seconds later.
// (Badger kept it one second, and a browser test's sign-in link was used up
// before it was clicked on a slow run.)
func testMailLinkLivesByItsOwnClock(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	link := domain.MailLink{Purpose: domain.LinkSignIn, Email: "marie@acme.example", Created: BaseDate, Expires: BaseDate.Add(domain.SignInLinkTTL)}
	if err := s.CreateMailLink(ctx, "hash-late", link, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2100 * time.Millisecond) // Badger's expiry counts whole seconds
	if got, err := s.UseMailLink(ctx, "hash-late", domain.LinkSignIn, BaseDate.Add(time.Minute)); err != nil || got.Email != link.Email {
		t.Errorf("a link used within its 30 minutes, 2 s after it was made: %v", err)
	}
}

// testMailLinkIsUsedOnce: a link works once, for its purpose, until it
// expires; of many uses at once exactly one gets it. Its mail waits in the
// outbox with it.
func testMailLinkIsUsedOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	link := domain.MailLink{Purpose: domain.LinkSignIn, Email: "marie@acme.example", Created: BaseDate, Expires: BaseDate.Add(domain.SignInLinkTTL)}
	if err := s.CreateMailLink(ctx, "hash-1", link, []domain.Mail{testMail("marie@acme.example", BaseDate)}); err != nil {
		t.Fatal(err)
	}
	if got, found, err := s.MailLink(ctx, "hash-1", BaseDate); !found || err != nil || got.Email != link.Email {
		t.Fatalf("MailLink: %+v %v %v", got, found, err)
	}
	if _, err := s.UseMailLink(ctx, "hash-1", domain.LinkConfirmEmail, BaseDate); !errors.Is(err, domain.ErrLinkUsed) {
		t.Errorf("used for another purpose: %v", err)
	}
	if _, err := s.UseMailLink(ctx, "hash-1", domain.LinkSignIn, BaseDate.Add(domain.SignInLinkTTL)); !errors.Is(err, domain.ErrLinkUsed) {
		t.Errorf("used when it expired: %v", err)
	}
	var wins int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := s.UseMailLink(ctx, "hash-1", domain.LinkSignIn, BaseDate.Add(time.Minute))
			switch {
			case err == nil && got.Email == link.Email:
				mu.Lock()
				wins++
				mu.Unlock()
			case !errors.Is(err, domain.ErrLinkUsed):
				t.Errorf("use: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d uses of one link succeeded, want exactly 1", wins)
	}
	if _, found, _ := s.MailLink(ctx, "hash-1", BaseDate); found {
		t.Error("a used link is still found")
	}
	if mails, err := s.ClaimMails(ctx, BaseDate, time.Minute, 10); err != nil || len(mails) != 1 || mails[0].To != "marie@acme.example" {
		t.Errorf("the link's mail in the outbox: %+v, %v", mails, err)
	}
}

// testConfirmedEmailChangeMovesEverything: until the new address confirms,
// nothing moves; then every order, license, index and purchase of the old
// email moves at once, the history says so, and the notice is queued.
func testConfirmedEmailChangeMovesEverything(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	a, b := NewOrder(t, "JWT1", "old@acme.example", BaseDate, 2), NewOrder(t, "JWT2", "old@acme.example", BaseDate.Add(time.Hour), 1)
	ImportOK(t, s, a, b, NewOrder(t, "JWT3", "other@acme.example", BaseDate, 1))
	pending := newPurchase(t, a.Licenses[0], "old@acme.example", 1, BaseDate)
	openPurchase(t, s, pending)
	c, err := domain.NewEmailChange("chg_1", "old@acme.example", " New@Other.example ", "old@acme.example", BaseDate)
	if err != nil {
		t.Fatal(err)
	}
	audit := &domain.AuditEntry{At: BaseDate, Staff: "ada@vendor.example", Action: "email change asked", Detail: "JWT1"}
	if err := s.RequestEmailChange(ctx, c, "confirm-hash", "cancel-hash", []domain.Mail{testMail("new@other.example", BaseDate)}, audit); err != nil {
		t.Fatal(err)
	}
	if got := refsOf(must(s.OrdersByEmail(ctx, "new@other.example"))); len(got) != 0 {
		t.Fatalf("before confirmation the new email has %v", got)
	}
	confirmed, err := s.ConfirmEmailChange(ctx, "confirm-hash", BaseDate.Add(time.Hour), domain.ActorCustomer, func(c domain.EmailChange) []domain.Mail {
		return []domain.Mail{testMail(c.OldEmail, BaseDate.Add(time.Hour))}
	})
	if err != nil || confirmed.Status != domain.EmailChangeConfirmed || confirmed.NewEmail != "new@other.example" {
		t.Fatalf("confirm: %+v, %v", confirmed, err)
	}
	if got := refsOf(must(s.OrdersByEmail(ctx, "new@other.example"))); !slices.Equal(got, []string{"JWT2", "JWT1"}) {
		t.Errorf("orders of the new email: %v", got)
	}
	if got := must(s.OrdersByEmail(ctx, "old@acme.example")); len(got) != 0 {
		t.Errorf("orders still under the old email: %v", refsOf(got))
	}
	if got := must(s.LicensesByEmail(ctx, "new@other.example")); len(got) != 3 {
		t.Errorf("licenses of the new email: %v", idsOf(got))
	}
	if found := must(s.SearchOrders(ctx, "new@other.example")); len(found) != 2 {
		t.Errorf("search by the new email finds %d orders", len(found))
	}
	if found := must(s.SearchOrders(ctx, "old@acme.example")); len(found) != 0 {
		t.Errorf("search by the old email still finds %d orders", len(found))
	}
	if p := must(s.PurchasesByEmail(ctx, "new@other.example")); len(p) != 1 || p[0].ID != pending.ID || p[0].Email != "new@other.example" {
		t.Errorf("the pending purchase: %+v", p)
	}
	hist := must(s.LicenseHistory(ctx, "JWT1-1"))
	if last := hist[len(hist)-1]; last.Kind != domain.ChangeEmail || last.Note != "purchase email old@acme.example → new@other.example" {
		t.Errorf("history: %+v", last)
	}
	if o := MustOrder(t, s, "JWT3"); o.Email != "other@acme.example" {
		t.Errorf("another customer's order moved: %+v", o)
	}
	if audits := must(s.Audit(ctx, 10)); len(audits) != 1 || audits[0].Action != "email change asked" {
		t.Errorf("audit: %+v", audits)
	}
	for _, use := range []func() error{
		func() error { _, err := s.CancelEmailChange(ctx, "cancel-hash", BaseDate.Add(2*time.Hour)); return err },
		func() error {
			_, err := s.ConfirmEmailChange(ctx, "confirm-hash", BaseDate.Add(2*time.Hour), domain.ActorCustomer, func(domain.EmailChange) []domain.Mail { return nil })
			return err
		},
	} {
		if err := use(); !errors.Is(err, domain.ErrLinkUsed) {
			t.Errorf("a link of a settled change: %v", err)
		}
	}
	mails := must(s.ClaimMails(ctx, BaseDate.Add(3*time.Hour), time.Minute, 10))
	if len(mails) != 2 || mails[0].To != "new@other.example" || mails[1].To != "old@acme.example" {
		t.Errorf("outbox: %+v", mails)
	}
}

// testCancelledOrExpiredEmailChangeMovesNothing: the old address stops the
// move; a request nobody confirmed in time moves nothing either.
func testCancelledOrExpiredEmailChangeMovesNothing(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	ImportOK(t, s, NewOrder(t, "JWT1", "old@acme.example", BaseDate, 1))
	noNotice := func(domain.EmailChange) []domain.Mail { return nil }
	for i, settle := range []func(confirm, cancel string) error{
		func(confirm, cancel string) error {
			if c, err := s.CancelEmailChange(ctx, cancel, BaseDate.Add(time.Minute)); err != nil || c.Status != domain.EmailChangeCancelled {
				t.Fatalf("cancel: %+v %v", c, err)
			}
			_, err := s.ConfirmEmailChange(ctx, confirm, BaseDate.Add(2*time.Minute), domain.ActorCustomer, noNotice)
			return err
		},
		func(confirm, _ string) error {
			_, err := s.ConfirmEmailChange(ctx, confirm, BaseDate.Add(domain.EmailChangeTTL), domain.ActorCustomer, noNotice)
			return err
		},
	} {
		c, _ := domain.NewEmailChange(fmt.Sprintf("chg_%d", i), "old@acme.example", "new@acme.example", "old@acme.example", BaseDate)
		confirm, cancel := fmt.Sprintf("confirm-%d", i), fmt.Sprintf("cancel-%d", i)
		if err := s.RequestEmailChange(ctx, c, confirm, cancel, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := settle(confirm, cancel); !errors.Is(err, domain.ErrLinkUsed) {
			t.Errorf("case %d: confirm: %v, want it refused", i, err)
		}
		if o := MustOrder(t, s, "JWT1"); o.Email != "old@acme.example" {
			t.Errorf("case %d: the order moved to %s", i, o.Email)
		}
	}
}

// testOutboxGivesEachMailToOneSender: due mails go oldest first to one sender
// at a time; a failed mail waits for its next attempt; a removed one is gone.
func testOutboxGivesEachMailToOneSender(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	var queued []domain.Mail
	for i := range 12 {
		queued = append(queued, testMail(fmt.Sprintf("c%d@acme.example", i), BaseDate.Add(time.Duration(i)*time.Second)))
	}
	if err := s.QueueMail(ctx, queued...); err != nil {
		t.Fatal(err)
	}
	now := BaseDate.Add(time.Minute)
	claims := make([][]domain.Mail, 4)
	var wg sync.WaitGroup
	for i := range claims {
		wg.Go(func() { claims[i] = must(s.ClaimMails(ctx, now, time.Minute, 5)) })
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, claim := range claims {
		for _, m := range claim {
			if seen[m.ID] || m.Attempts != 1 {
				t.Errorf("mail %s claimed twice, or attempts %d", m.ID, m.Attempts)
			}
			seen[m.ID] = true
		}
	}
	if len(seen) != 12 {
		t.Errorf("%d mails claimed, want all 12 once", len(seen))
	}
	if again := must(s.ClaimMails(ctx, now.Add(30*time.Second), time.Minute, 20)); len(again) != 0 {
		t.Errorf("%d mails claimed again within their lease", len(again))
	}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(s.MailFailed(ctx, queued[0].ID, now.Add(10*time.Minute)))
	for _, m := range queued[1:] {
		check(s.RemoveMail(ctx, m.ID))
	}
	if due := must(s.ClaimMails(ctx, now.Add(5*time.Minute), time.Minute, 20)); len(due) != 0 {
		t.Errorf("before its next attempt: %+v", due)
	}
	due := must(s.ClaimMails(ctx, now.Add(10*time.Minute), time.Minute, 20))
	if len(due) != 1 || due[0].ID != queued[0].ID || due[0].Attempts != 2 {
		t.Errorf("at its next attempt: %+v", due)
	}
}

// testOutboxDepthCountsEveryQueuedMail: the depth (for the metrics) is every
// mail not yet sent or given up, whether due, claimed or waiting for a retry.
func testOutboxDepthCountsEveryQueuedMail(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	if n := must(s.OutboxDepth(ctx)); n != 0 {
		t.Fatalf("empty outbox: depth %d", n)
	}
	a, b, c := testMail("a@acme.example", BaseDate), testMail("b@acme.example", BaseDate), testMail("c@acme.example", BaseDate)
	if err := s.QueueMail(ctx, a, b, c); err != nil {
		t.Fatal(err)
	}
	claimed := must(s.ClaimMails(ctx, BaseDate, time.Minute, 2))
	if err := s.MailFailed(ctx, claimed[0].ID, BaseDate.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := must(s.OutboxDepth(ctx)); n != 3 {
		t.Errorf("3 queued, 2 claimed, 1 failed: depth %d, want 3", n)
	}
	if err := s.RemoveMail(ctx, claimed[1].ID); err != nil {
		t.Fatal(err)
	}
	if n := must(s.OutboxDepth(ctx)); n != 2 {
		t.Errorf("after one sent: depth %d, want 2", n)
	}
}
