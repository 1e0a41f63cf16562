package domain

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
)

// Pairing (PRODUCT.md section 13) lets the licensed software get its key and
// license without anyone copying it: the software asks with its serial
// (RFC 8628's device authorization), shows a short user code, a customer
// approves it in the portal, and the software's next poll receives the
// activation key and the signed license document, once.

// PairingStatus is where a pairing stands.
type PairingStatus string

// Pairing statuses.
const (
	PairingPending   PairingStatus = "pending"
	PairingApproved  PairingStatus = "approved"
	PairingDenied    PairingStatus = "denied"
	PairingCollected PairingStatus = "collected"
)

// How long a pairing waits, and how often the software may ask (RFC 8628 §3.2, §3.5).
const (
	PairingTTL      = 600 * time.Second
	PairingInterval = 5 * time.Second
	// PairingSlowDown is what each too-early poll adds to the interval, for good.
	PairingSlowDown = 5 * time.Second
)

// Pairing is one request of the software, stored under the hashes of its
// device code (the software's secret) and its user code (what the person types).
type Pairing struct {
	DeviceHash string        `json:"device_hash"`
	UserHash   string        `json:"user_hash"`
	Software   string        `json:"software"`
	Serial     string        `json:"serial"`
	Hostname   string        `json:"hostname"`
	Requested  time.Time     `json:"requested"`
	Expires    time.Time     `json:"expires"`
	Interval   time.Duration `json:"interval"`
	LastPoll   time.Time     `json:"last_poll,omitzero"`
	Status     PairingStatus `json:"status"`
	// Who decided, and for an approval the order whose licenses were bound.
	Email      string   `json:"email,omitempty"`
	OrderRef   string   `json:"order_ref,omitempty"`
	LicenseIDs []string `json:"license_ids,omitempty"`
}

// userCodeLetters are RFC 8628 §6.1's: consonants only, no look-alikes.
const userCodeLetters = "BCDFGHJKLMNPQRSTVWXZ"

// UserCodeLength is how many letters a user code has: 20^8, about 2.6 × 10^10.
const UserCodeLength = 8

// NewPairing checks what the software sent and makes a pairing with its two
// codes, as the software and the person will give them back.
func NewPairing(software, serial, hostname string, now time.Time) (p Pairing, deviceCode, userCode string, err error) {
	software, hostname = strings.TrimSpace(software), strings.TrimSpace(hostname)
	serial, serialOK := NormalizeSerial(serial)
	switch {
	case software == "" || !plainText(software, maxTextLen):
		return Pairing{}, "", "", Invalidf("client_id must name the software, such as Remote Work")
	case !serialOK:
		return Pairing{}, "", "", Invalidf("serial must be the computer's serial number (1 to 128 printable characters)")
	case !plainText(hostname, 253):
		return Pairing{}, "", "", Invalidf("hostname must be plain text of at most 253 characters")
	}
	b := make([]byte, 32)
	rand.Read(b)
	deviceCode = base64.RawURLEncoding.EncodeToString(b)
	userCode = newUserCode()
	now = now.UTC()
	p = Pairing{DeviceHash: HashLinkToken(deviceCode), UserHash: HashLinkToken(userCode), Software: software,
		Serial: serial, Hostname: hostname, Requested: now, Expires: now.Add(PairingTTL), Interval: PairingInterval,
		Status: PairingPending}
	return p, deviceCode, userCode, nil
}

// newUserCode draws 8 letters, each without bias (a byte is redrawn when it
// falls past the last whole multiple of 20).
func newUserCode() string {
	out := make([]byte, 0, UserCodeLength)
	b := make([]byte, 1)
	for len(out) < UserCodeLength {
		rand.Read(b)
		if b[0] < 240 {
			out = append(out, userCodeLetters[int(b[0])%len(userCodeLetters)])
		}
	}
	return string(out)
}

// NormalizeUserCode reads a user code as typed ("wdjb-mjht", "WDJB MJHT") into
// its stored form; ok is false for anything that cannot be one.
func NormalizeUserCode(typed string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(userCodeLetters, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == UserCodeLength
}

// FormatUserCode shows a user code as the software does: WDJB-MJHT.
func FormatUserCode(code string) string {
	if len(code) != UserCodeLength {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// pollLeeway is how much sooner than its interval a poll may come without
// being told to slow down: a client that waits its interval between polls
// may arrive a little early, as the network and its ticker jitter.
const pollLeeway = time.Second

// PollOutcome is the token endpoint's answer to one poll (RFC 8628 §3.5).
type PollOutcome string

// Poll outcomes: the RFC's error codes, or the token.
const (
	PollPending  PollOutcome = "authorization_pending"
	PollSlowDown PollOutcome = "slow_down"
	PollDenied   PollOutcome = "access_denied"
	PollExpired  PollOutcome = "expired_token"
	PollToken    PollOutcome = "token"
)

// Poll is the software asking for its answer at now. It answers what to tell
// it and changes the pairing as the RFC says: a poll sooner than the interval
// after the last one slows the software down for good; an approval is given
// out once, then the pairing is spent.
func (p *Pairing) Poll(now time.Time) PollOutcome {
	switch {
	case !now.Before(p.Expires) || p.Status == PairingCollected:
		return PollExpired
	case !p.LastPoll.IsZero() && now.Sub(p.LastPoll) < p.Interval-pollLeeway:
		p.Interval += PairingSlowDown
		p.LastPoll = now
		return PollSlowDown
	}
	p.LastPoll = now
	switch p.Status {
	case PairingDenied:
		return PollDenied
	case PairingApproved:
		p.Status = PairingCollected
		return PollToken
	default:
		return PollPending
	}
}

// Decidable reports whether a person may still approve or deny it at now.
func (p Pairing) Decidable(now time.Time) bool {
	return p.Status == PairingPending && now.Before(p.Expires)
}

// ErrPairingGone is the one answer for a user code that is wrong, expired or
// decided already.
var ErrPairingGone = NotFound("pair.gone",
	"No software is waiting with this code: check it, or start again from the software (codes work for 10 minutes).")

// ChangePairing is a license history entry: bound to a computer by pairing.
const ChangePairing ChangeKind = "pairing"

// Pair binds the licenses ids of the order to the pairing's computer, as an
// activation does (a license on another computer must be rehosted first; one
// already there stays), and records each in its history.
//
// Only licenses of one order: each order has its own activation key, and the
// software receives one.
func (u *OrderUpdate) Pair(ids []string, p Pairing, now time.Time) error {
	if len(ids) == 0 {
		return Invalid("pair.choose_for", "Choose at least one license to give to {{.Host}}.", "Host", p.Hostname)
	}
	note := historyNote("history.note_paired", "Host", orNone(p.Hostname), "Serial", p.Serial)
	for _, id := range ids {
		l, err := u.license(id)
		if err != nil {
			return err
		}
		if l.Software != p.Software {
			return Invalid("pair.other_software", "License {{.License}} is for {{.Software}}, not {{.Asking}}.",
				"License", id, "Software", l.Software, "Asking", p.Software)
		}
		switch l.Serial {
		case p.Serial:
		case "":
			before := *l
			l.Serial = p.Serial
			l.Version++
			u.record(HistoryEntry{LicenseID: id, At: now.UTC(), Kind: ChangePairing, Actor: ActorCustomer, Note: note, Before: before, After: *l})
		default:
			return Conflict("pair.elsewhere_license", "License {{.License}} is activated on another computer ({{.Serial}}): rehost it first.",
				"License", id, "Serial", l.Serial)
		}
	}
	return nil
}
