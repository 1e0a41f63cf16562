package mail

import (
	"context"
	"slices"
	"sync"

	"portal/domain"
)

// OutboxSize is how many mails an Outbox keeps.
const OutboxSize = 50

// Outbox is the demo's stand-in for an SMTP server: for `serve --demo` without
// PORTAL_SMTP_URL only. It keeps the last OutboxSize mails in memory so that
// the demo's outbox page can show what a customer would have received; a
// restart forgets them, and nothing leaves the machine. A real portal sends
// through SMTP. The zero value is ready to use, and it is safe for concurrent
// use.
type Outbox struct {
	mu    sync.Mutex
	mails []domain.Mail // oldest first
}

// Send keeps m, forgetting the oldest mail beyond OutboxSize.
func (o *Outbox) Send(ctx context.Context, m domain.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.mails) == OutboxSize {
		o.mails = slices.Delete(o.mails, 0, 1)
	}
	o.mails = append(o.mails, m)
	return nil
}

// Mails returns the kept mails, newest first.
func (o *Outbox) Mails() []domain.Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	mails := slices.Clone(o.mails)
	slices.Reverse(mails)
	return mails
}
