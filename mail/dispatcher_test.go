package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"portal/domain"
	"portal/mail"
)

// keptOutbox is an outbox that remembers nothing: the dispatcher's outcomes
// are what the test looks at.
type keptOutbox struct{}

func (keptOutbox) ClaimMails(context.Context, time.Time, time.Duration, int) ([]domain.Mail, error) {
	return nil, nil
}
func (keptOutbox) RemoveMail(context.Context, string) error            { return nil }
func (keptOutbox) MailFailed(context.Context, string, time.Time) error { return nil }

// failing answers each send with the next error of its list.
type failing struct{ errs []error }

func (f *failing) Send(context.Context, domain.Mail) error {
	err := f.errs[0]
	f.errs = f.errs[1:]
	return err
}

type tally struct{ sent, failed, givenUp int }

func (t *tally) MailSent()    { t.sent++ }
func (t *tally) MailFailed()  { t.failed++ }
func (t *tally) MailGivenUp() { t.givenUp++ }

// TestDispatcherCountsEachOutcome: a sent mail, a failed attempt to be tried
// again and the last attempt given up are each told once to the counts (the
// metrics), without this package knowing of Prometheus.
func TestDispatcherCountsEachOutcome(t *testing.T) {
	down := errors.New("connection refused")
	sender := &failing{errs: []error{nil, down, down}}
	d := mail.NewDispatcher(keptOutbox{}, sender, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	var counts tally
	d.CountWith(&counts)
	ctx := context.Background()
	d.SendNow(ctx, domain.Mail{ID: "a"})
	d.SendNow(ctx, domain.Mail{ID: "b"})
	d.SendNow(ctx, domain.Mail{ID: "c", Attempts: domain.MailAttempts - 1})
	if counts != (tally{sent: 1, failed: 1, givenUp: 1}) {
		t.Errorf("counted %+v, want one of each", counts)
	}
	d.CountWith(nil) // counting nothing is no failure
	sender.errs = []error{nil}
	d.SendNow(ctx, domain.Mail{ID: "d"})
}
