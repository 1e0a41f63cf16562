package domain

import (
	"time"
)

// LinkPurpose says what a link in a mail does once its button is pressed.
type LinkPurpose string

// Purposes of mailed links.
const (
	// LinkSignIn signs its holder in as the email it was sent to.
	LinkSignIn LinkPurpose = "sign-in"
	// LinkConfirmEmail, sent to a new address, moves the orders there.
	LinkConfirmEmail LinkPurpose = "confirm-email"
	// LinkCancelEmail, sent to the old address, stops the move.
	LinkCancelEmail LinkPurpose = "cancel-email"
)

// How long a mailed link works.
const (
	SignInLinkTTL  = 30 * time.Minute
	EmailChangeTTL = 24 * time.Hour
)

// MailLink is what the token of a mailed link stands for. The store keeps it
// under the SHA-256 of the token (the token itself is only in the mail) and
// gives it out once: the first use deletes it.
type MailLink struct {
	Purpose LinkPurpose `json:"purpose"`
	// Email is who a sign-in link signs in; for a change, its old email.
	Email    string    `json:"email"`
	ChangeID string    `json:"change_id,omitempty"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
}

// ErrLinkUsed is the one answer for a mailed link that cannot be used: used
// already, expired, or never made. The page says what to do next.
var ErrLinkUsed = NotFound("error.link_used", "This link has been used already or has expired: links in our mails work once, for a short time.")

// EmailChangeStatus is where a request to move orders to a new email stands.
type EmailChangeStatus string

// Email change statuses.
const (
	EmailChangePending   EmailChangeStatus = "pending"
	EmailChangeConfirmed EmailChangeStatus = "confirmed"
	EmailChangeCancelled EmailChangeStatus = "cancelled"
)

// EmailChange is a request to move every order of OldEmail to NewEmail. Until
// the new address confirms it, nothing moves; the old address may cancel it.
type EmailChange struct {
	ID       string `json:"id"`
	OldEmail string `json:"old_email"`
	NewEmail string `json:"new_email"`
	// By is who asked: the customer, or a staff member's email.
	By        string            `json:"by"`
	Requested time.Time         `json:"requested"`
	Expires   time.Time         `json:"expires"`
	Status    EmailChangeStatus `json:"status"`
	Settled   time.Time         `json:"settled,omitzero"`
}

// NewEmailChange checks a request to move old's orders to the email typed.
func NewEmailChange(id, old, typed, by string, now time.Time) (EmailChange, error) {
	email, ok := NormalizeEmail(typed)
	if !ok {
		return EmailChange{}, NotAnEmail(typed)
	}
	if email == old {
		return EmailChange{}, Invalid("account.same_email", "{{.Email}} is already the email of these orders.", "Email", email)
	}
	return EmailChange{ID: id, OldEmail: old, NewEmail: email, By: by, Requested: now.UTC(),
		Expires: now.UTC().Add(EmailChangeTTL), Status: EmailChangePending}, nil
}

// Usable reports whether the change can still be confirmed or cancelled at now.
func (c EmailChange) Usable(now time.Time) bool {
	return c.Status == EmailChangePending && now.Before(c.Expires)
}

// ChangeEmail is a license history entry: its order moved to another email.
const ChangeEmail ChangeKind = "email_change"

// MoveEmail moves the order to email, as a confirmed EmailChange asks, and
// records it in the history of each of its licenses.
func (u *OrderUpdate) MoveEmail(email string, actor Actor, now time.Time) {
	note := historyNote("history.note_email", "Old", u.Order.Email, "New", email)
	u.Order.Email = email
	for _, l := range u.Licenses {
		u.record(HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeEmail, Actor: actor, Note: note, Before: l, After: l})
	}
}
