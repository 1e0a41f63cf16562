package domain

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"
)

// PurchaseKind says what a purchase buys.
type PurchaseKind string

// Purchase kinds.
const (
	PurchaseUpgrade PurchaseKind = "upgrade"
	PurchaseRenewal PurchaseKind = "renewal"
)

// PurchaseStatus is where a purchase stands.
type PurchaseStatus string

// Purchase statuses. Flagged purchases were paid but not fulfilled: staff decide.
const (
	PurchasePending   PurchaseStatus = "pending"
	PurchaseFulfilled PurchaseStatus = "fulfilled"
	PurchaseFlagged   PurchaseStatus = "flagged"
)

// QuoteValidity is how long a locked quote holds.
const QuoteValidity = 24 * time.Hour

// Purchase is a locked quote waiting for its payment: what is bought, for how much,
// and the license as it was when quoted.
type Purchase struct {
	ID          string         `json:"id"`
	Kind        PurchaseKind   `json:"kind"`
	Email       string         `json:"email"`
	LicenseID   string         `json:"license_id"`
	OrderRef    string         `json:"order_ref"`
	Description string         `json:"description"`
	Add         int            `json:"add,omitempty"`
	Amount      int64          `json:"amount"`
	Currency    string         `json:"currency"`
	Status      PurchaseStatus `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	ExpiresAt   time.Time      `json:"expires_at"`
	// The license when quoted.
	LicenseVersion int       `json:"license_version"`
	UsersAtQuote   int       `json:"users_at_quote"`
	SupportEndAt   time.Time `json:"support_end_at_quote"`
	// NewSupportEnd is what a renewal sets.
	NewSupportEnd time.Time `json:"new_support_end,omitempty"`
	// Filled in by the payment step, payment and fulfilment.
	CheckoutID  string    `json:"checkout_id,omitempty"`
	CheckoutURL string    `json:"checkout_url,omitempty"`
	EventID     string    `json:"event_id,omitempty"`
	PaidAmount  int64     `json:"paid_amount,omitempty"`
	PaidAt      time.Time `json:"paid_at,omitempty"`
	NewOrderRef string    `json:"new_order_ref,omitempty"`
	FlagReason  string    `json:"flag_reason,omitempty"`
}

// NewPurchaseID returns a random purchase id: it travels through the payment
// provider and back, and must not be guessable.
func NewPurchaseID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "pur_" + hex.EncodeToString(b)
}

// Money is what the purchase costs.
func (p Purchase) Money() Money { return Money{Amount: p.Amount, Currency: p.Currency} }

// NewUpgradePurchase locks an upgrade quote for the customer with email.
func NewUpgradePurchase(q UpgradeQuote, l License, email string, now time.Time) Purchase {
	return Purchase{
		ID: NewPurchaseID(), Kind: PurchaseUpgrade, Email: email, LicenseID: l.ID, OrderRef: l.OrderRef,
		Description: itemText(fmt.Sprintf("Add %s to %s %s (license %s)", l.countWords(q.Add), l.Software, l.Edition, l.ID)),
		Add:         q.Add, Amount: q.Total, Currency: q.Currency, Status: PurchasePending,
		CreatedAt: now.UTC(), ExpiresAt: now.UTC().Add(QuoteValidity),
		LicenseVersion: l.Version, UsersAtQuote: l.Users, SupportEndAt: l.SupportEnd,
	}
}

// NewRenewalPurchase locks a renewal quote for the customer with email.
func NewRenewalPurchase(q RenewalQuote, l License, email string, now time.Time) Purchase {
	return Purchase{
		ID: NewPurchaseID(), Kind: PurchaseRenewal, Email: email, LicenseID: l.ID, OrderRef: l.OrderRef,
		Description: itemText(fmt.Sprintf("Support renewal, 1 year, %s, %s %s (license %s) until %s",
			l.countWords(l.Users), l.Software, l.Edition, l.ID, q.NewSupportEnd.Format(DateLayout))),
		Amount: q.Total, Currency: q.Currency, Status: PurchasePending,
		CreatedAt: now.UTC(), ExpiresAt: now.UTC().Add(QuoteValidity),
		LicenseVersion: l.Version, UsersAtQuote: l.Users, SupportEndAt: l.SupportEnd, NewSupportEnd: q.NewSupportEnd,
	}
}

// itemText cuts an item description to what an order item holds, at a rune
// boundary, so that the order survives an export and import.
func itemText(s string) string {
	if len(s) <= maxTextLen {
		return s
	}
	cut := maxTextLen - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// ErrPaymentsOff is the answer to any purchase while payments are not set up.
var ErrPaymentsOff = Conflict("error.payments_off", "Payments are not set up on this portal yet, so nothing can be bought here. Please contact support.")

// ErrPaymentSeen is the outcome of a payment event handled before, or of a
// second event for a purchase already settled: nothing changes.
var ErrPaymentSeen = Conflictf("this payment was handled before")

// Payment is a confirmed payment as the payment provider reports it.
type Payment struct {
	EventID    string
	PurchaseID string
	// SessionID is the payment page (Checkout Session) it was paid on: only the
	// one opened for the purchase counts.
	SessionID string
	Amount    int64
	Currency  string
	At        time.Time
}

// Fulfilment is what a paid purchase changes: the new order and the license after.
type Fulfilment struct {
	Order   Order
	License License
	Entry   HistoryEntry
}

// PendingRetention is how long an unpaid purchase is kept after its quote
// expired (and a late payment could no longer be taken for it): long enough
// for staff to read what happened, short enough that clicks on Buy do not pile
// up for ever.
const PendingRetention = 7 * 24 * time.Hour

// KeepUntil is when an unpaid purchase may be forgotten.
func (p Purchase) KeepUntil() time.Time { return p.ExpiresAt.Add(PaymentGrace + PendingRetention) }

// ReuseMargin is the least time a pending purchase must still hold for Buy to
// send the customer back to its payment page rather than open a new one.
const ReuseMargin = time.Hour

// Reusable finds, among a customer's purchases, one still pending for exactly
// what want buys at the same price, whose payment page is open long enough to
// pay: Buy clicked again goes back to it, so that clicks make neither purchases
// nor payment pages without bound.
func Reusable(purchases []Purchase, want Purchase, now time.Time) (Purchase, bool) {
	for _, p := range purchases {
		if p.Status == PurchasePending && p.CheckoutURL != "" && now.Add(ReuseMargin).Before(p.ExpiresAt) &&
			p.Email == want.Email && p.LicenseID == want.LicenseID && p.Kind == want.Kind && p.Add == want.Add &&
			p.Amount == want.Amount && p.Currency == want.Currency && p.LicenseVersion == want.LicenseVersion &&
			p.NewSupportEnd.Equal(want.NewSupportEnd) {
			return p, true
		}
	}
	return Purchase{}, false
}

// ErrOtherSession is the outcome of a payment made on another payment page than
// the one opened for its purchase: it is not taken for the purchase.
var ErrOtherSession = NotFoundf("this payment was not made on the payment page opened for its purchase")

// PaymentGrace is how long after its quote's expiry a payment is still taken as
// meant for it: the provider's page may close a moment after the quote does.
const PaymentGrace = time.Hour

// Fulfil applies a payment to its purchase and the license it names. It never
// trusts the payment blindly: an amount or currency other than the locked quote,
// a payment long after the quote expired, or a license whose users or support end
// changed since the quote flags the purchase for staff instead (the returned
// purchase says why, and the fulfilment is nil). Only a payment that is fulfilled
// takes a new order reference from newRef; the new order, with key newKey, is made
// out to the buyer of origin, the license's own order, with its billing details,
// and its invoice is issued by seller (the store numbers it as it stores the
// order). The amount paid is the total: no tax is added; a mention without tax
// (reverse charge, exemption) carries over from origin.
func Fulfil(p Purchase, origin Order, l License, pay Payment, newRef func() (string, error), newKey string, seller Seller) (Purchase, *Fulfilment, error) {
	p.EventID, p.PaidAmount, p.PaidAt = pay.EventID, pay.Amount, pay.At.UTC()
	switch {
	case pay.Amount != p.Amount || pay.Currency != p.Currency:
		p.Status = PurchaseFlagged
		p.FlagReason = fmt.Sprintf("paid %s, but the locked quote was %s",
			Money{Amount: pay.Amount, Currency: pay.Currency}, p.Money())
		return p, nil, nil
	case pay.At.After(p.ExpiresAt.Add(PaymentGrace)):
		p.Status = PurchaseFlagged
		p.FlagReason = fmt.Sprintf("paid at %s, after the quote expired at %s",
			pay.At.UTC().Format(time.RFC3339), p.ExpiresAt.UTC().Format(time.RFC3339))
		return p, nil, nil
	case l.Users != p.UsersAtQuote || !l.SupportEnd.Equal(p.SupportEndAt):
		p.Status = PurchaseFlagged
		p.FlagReason = fmt.Sprintf("the license changed after the quote (users %d → %d, support end %s → %s)",
			p.UsersAtQuote, l.Users, p.SupportEndAt.Format(DateLayout), l.SupportEnd.Format(DateLayout))
		return p, nil, nil
	}
	ref, err := newRef()
	if err != nil {
		return p, nil, err
	}
	before := l
	kind, source := ChangeUpgrade, SourceUpgrade
	if p.Kind == PurchaseRenewal {
		kind, source = ChangeRenewal, SourceRenewal
		l.SupportEnd = p.NewSupportEnd
	} else {
		l.Users += p.Add
	}
	l.Version++
	order := Order{
		Reference: ref, Date: pay.At.UTC(), Email: origin.Email, Currency: p.Currency,
		Name: origin.Name, Country: origin.Country, City: origin.City, ContactName: origin.ContactName,
		Items:         []Item{{Description: p.Description, Quantity: 1, UnitAmount: p.Amount, Amount: p.Amount}},
		Total:         p.Amount,
		ActivationKey: newKey, Source: source,
		Billing:  origin.Billing,
		Invoices: []Invoice{{Issued: pay.At.UTC(), Billing: origin.Billing, Seller: seller}},
	}
	if t := origin.Tax; t != nil && t.RateBP == 0 && t.Note != "" {
		order.Tax = &Tax{Note: t.Note}
	}
	p.Status, p.NewOrderRef = PurchaseFulfilled, ref
	return p, &Fulfilment{Order: order, License: l, Entry: HistoryEntry{
		LicenseID: l.ID, At: pay.At.UTC(), Kind: kind, Actor: ActorPayment,
		Note: historyNote("history.note_order", "Order", ref), Before: before, After: l,
	}}, nil
}

// CheckoutRequest asks the payment provider for a hosted payment page for exactly
// one purchase.
type CheckoutRequest struct {
	PurchaseID  string
	Description string
	Amount      int64
	Currency    string
	Email       string
	SuccessURL  string
	CancelURL   string
	ExpiresAt   time.Time
}

// CheckoutSession is the provider's hosted payment page for a purchase.
type CheckoutSession struct {
	ID  string
	URL string
}
