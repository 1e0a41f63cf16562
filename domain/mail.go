package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// Mail is one email the portal sends, as it waits in the outbox until an SMTP
// server took it: it is stored in the transaction of the change it tells of,
// so that a mail is never sent for a change that did not happen, nor lost when
// the process stops after answering.
type Mail struct {
	// ID names the mail; its Message-ID is made from it.
	ID      string    `json:"id"`
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Text    string    `json:"text"`
	HTML    string    `json:"html"`
	Created time.Time `json:"created"`
	// Attempts counts the tries so far; NextAttempt is when the next may be.
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
}

// MailAttempts is how many times a mail is tried before it is given up (and
// logged): a few minutes of an SMTP server's trouble.
const MailAttempts = 6

// MailRetryAfter is the pause before attempt n+1 after n failed: 30 s, 1, 2,
// 4, 8 minutes.
func MailRetryAfter(n int) time.Duration {
	return 30 * time.Second << max(n-1, 0)
}

// NewMailID names a mail made at now: the time first, so that the outbox
// sends the oldest first, then 64 random bits.
func NewMailID(now time.Time) string {
	return fmt.Sprintf("%016x-%s", now.UnixNano(), randomHex(8))
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// NewLinkToken makes the token of a mailed link: 256 random bits, as URL-safe
// text. Only its SHA-256 is stored (HashLinkToken).
func NewLinkToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashLinkToken is how a link's token is stored and looked up.
func HashLinkToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewEmailChangeID names a request to change a purchase email.
func NewEmailChangeID() string { return "chg_" + randomHex(16) }
