// Package mail sends the portal's mails: through an SMTP server (SMTP), or for
// the demo into memory (Outbox). Mails wait in the store's outbox until a
// server took them; the Dispatcher takes them from there.
package mail

import (
	"context"
	"log/slog"
	"time"

	"portal/domain"
)

// Sender hands one mail to a mail server.
type Sender interface {
	Send(ctx context.Context, m domain.Mail) error
}

// OutboxStore is the store's outbox (storage, storage/postgres).
type OutboxStore interface {
	ClaimMails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]domain.Mail, error)
	RemoveMail(ctx context.Context, id string) error
	MailFailed(ctx context.Context, id string, next time.Time) error
}

// Counts hears how each attempt at a mail ended; the portal's metrics
// implement it, so that this package needs none of Prometheus.
type Counts interface {
	MailSent()
	MailFailed()  // to be tried again
	MailGivenUp() // refused for good, or out of attempts
}

// noCounts counts nothing: a dispatcher without metrics.
type noCounts struct{}

func (noCounts) MailSent()    {}
func (noCounts) MailFailed()  {}
func (noCounts) MailGivenUp() {}

// Lease is how long a mail taken from the outbox is left to its sender before
// another may take it: longer than a send takes.
const Lease = 2 * time.Minute

// Dispatcher sends the outbox's mails, retrying each a few times
// (domain.MailAttempts, domain.MailRetryAfter) before it gives up and logs it.
// Every instance runs one; the outbox gives each mail to one of them.
type Dispatcher struct {
	store  OutboxStore
	sender Sender
	log    *slog.Logger
	now    func() time.Time
	kick   chan struct{}
	counts Counts
}

// NewDispatcher sends store's mails through sender.
func NewDispatcher(store OutboxStore, sender Sender, log *slog.Logger, now func() time.Time) *Dispatcher {
	return &Dispatcher{store: store, sender: sender, log: log, now: now, kick: make(chan struct{}, 1), counts: noCounts{}}
}

// CountWith has every attempt's outcome told to counts; call it before Run.
func (d *Dispatcher) CountWith(counts Counts) {
	if counts == nil {
		counts = noCounts{}
	}
	d.counts = counts
}

// Kick asks for the outbox to be read now rather than at the next tick.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run sends due mails until ctx ends: at once when kicked, and every
// interval for retries and for mails other instances queued.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		d.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
	}
}

// SendDue sends every mail whose attempt is due, in batches.
func (d *Dispatcher) SendDue(ctx context.Context) {
	for ctx.Err() == nil {
		mails, err := d.store.ClaimMails(ctx, d.now(), Lease, 20)
		if err != nil {
			d.log.Error("could not read the outbox", "error", err.Error())
			return
		}
		for _, m := range mails {
			d.deliver(ctx, m)
		}
		if len(mails) < 20 {
			return
		}
	}
}

// SendNow sends a mail just queued (with its first attempt Lease away, so that
// no Run takes it meanwhile) while its reader waits, and answers whether the
// server took it. A mail that failed stays queued for the next attempts.
func (d *Dispatcher) SendNow(ctx context.Context, m domain.Mail) error {
	m.Attempts++
	return d.deliver(ctx, m)
}

// deliver makes one attempt at m, whose Attempts counts it.
func (d *Dispatcher) deliver(ctx context.Context, m domain.Mail) error {
	sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err := d.sender.Send(sendCtx, m)
	cancel()
	// The mail's own bookkeeping must happen even when the request has ended.
	ctx = context.WithoutCancel(ctx)
	switch {
	case err == nil:
		if rerr := d.store.RemoveMail(ctx, m.ID); rerr != nil {
			d.log.Error("mail sent, but not taken out of the outbox: it may be sent again", "mail", m.ID, "error", rerr.Error())
		}
		d.log.Info("mail sent", "mail", m.ID, "attempt", m.Attempts)
		d.counts.MailSent()
		return nil
	case Permanent(err) || m.Attempts >= domain.MailAttempts:
		d.log.Error("mail given up", "mail", m.ID, "attempt", m.Attempts, "error", err.Error())
		d.counts.MailGivenUp()
		if rerr := d.store.RemoveMail(ctx, m.ID); rerr != nil {
			d.log.Error("could not take a given-up mail out of the outbox", "mail", m.ID, "error", rerr.Error())
		}
	default:
		next := d.now().Add(domain.MailRetryAfter(m.Attempts))
		d.log.Warn("could not send mail: will try again", "mail", m.ID, "attempt", m.Attempts, "next_attempt", next, "error", err.Error())
		d.counts.MailFailed()
		if rerr := d.store.MailFailed(ctx, m.ID, next); rerr != nil {
			d.log.Error("could not schedule the next attempt of a mail", "mail", m.ID, "error", rerr.Error())
		}
	}
	return err
}
