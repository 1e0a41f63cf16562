package domain

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"time"
)

// Outbound events (PRODUCT.md section 16) tell the vendor's own systems what
// happened, after the Standard Webhooks specification. Each is written to the
// outbox in the transaction of the change it reports.

// EventType names what happened.
type EventType string

// Event types.
const (
	EventLicenseActivated  EventType = "license.activated"
	EventLicenseRehosted   EventType = "license.rehosted"
	EventLicenseChanged    EventType = "license.changed"
	EventKeyReissued       EventType = "activation_key.reissued"
	EventPurchaseFulfilled EventType = "purchase.fulfilled"
	EventPurchaseFlagged   EventType = "purchase.flagged"
	EventEmailChanged      EventType = "customer.email_changed"
	// EventTest is what an admin sends from /admin/webhooks to try an endpoint.
	EventTest EventType = "portal.test"
)

// Event is one thing that happened, as its receivers get it.
type Event struct {
	// ID is the webhook-id: the same on every attempt, so that receivers dedupe.
	ID   string          `json:"id"`
	Type EventType       `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// NewEvent makes an event of typ at with data.
func NewEvent(typ EventType, at time.Time, data any) Event {
	raw, err := json.Marshal(data)
	if err != nil {
		panic(err) // data is one of this file's types: always encodable
	}
	b := make([]byte, 16)
	rand.Read(b)
	return Event{ID: "msg_" + base64.RawURLEncoding.EncodeToString(b), Type: typ, At: at.UTC(), Data: raw}
}

// Body is the request body receivers get: {"type", "timestamp", "data"}.
func (e Event) Body() []byte {
	b, _ := json.Marshal(struct {
		Type      EventType       `json:"type"`
		Timestamp string          `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{e.Type, e.At.Format(time.RFC3339Nano), e.Data})
	return b
}

// LicenseEventData is a license as an event tells it: what a CRM or a support
// desk needs to find and show it.
type LicenseEventData struct {
	OrderReference string `json:"order_reference"`
	LicenseID      string `json:"license_id"`
	Software       string `json:"software"`
	Edition        string `json:"edition"`
	Users          int    `json:"users"`
	Serial         string `json:"serial"`
	SupportEnd     string `json:"support_end"`
	Version        int    `json:"version"`
	// Previous is the license before the change (rehosts, upgrades, renewals).
	Previous *LicenseEventData `json:"previous,omitempty"`
	// By is who made the change: customer, software, staff, payment.
	By Actor `json:"by"`
}

func licenseEventData(l License, by Actor) LicenseEventData {
	return LicenseEventData{OrderReference: l.OrderRef, LicenseID: l.ID, Software: l.Software, Edition: l.Edition,
		Users: l.Users, Serial: l.Serial, SupportEnd: l.SupportEnd.Format(DateLayout), Version: l.Version, By: by}
}

// KeyReissuedData says which order's key changed (never the key itself).
type KeyReissuedData struct {
	OrderReference string   `json:"order_reference"`
	LicenseIDs     []string `json:"license_ids"`
	By             Actor    `json:"by"`
}

// EventsOf are the events a change's history reports: one per license for an
// activation (or pairing), a rehost, an upgrade or a renewal; one per order
// for a key reissue.
func EventsOf(recorded []HistoryEntry) []Event {
	var out []Event
	reissued := map[string]int{} // order → its event in out
	for _, e := range recorded {
		switch e.Kind {
		case ChangeActivation, ChangePairing:
			out = append(out, NewEvent(EventLicenseActivated, e.At, licenseEventData(e.After, e.Actor)))
		case ChangeRehost, ChangeUpgrade, ChangeRenewal:
			typ := EventLicenseChanged
			if e.Kind == ChangeRehost {
				typ = EventLicenseRehosted
			}
			d := licenseEventData(e.After, e.Actor)
			prev := licenseEventData(e.Before, e.Actor)
			prev.By = ""
			d.Previous = &prev
			out = append(out, NewEvent(typ, e.At, d))
		case ChangeKeyReissue:
			ref := e.After.OrderRef
			if i, ok := reissued[ref]; ok {
				var d KeyReissuedData
				json.Unmarshal(out[i].Data, &d)
				d.LicenseIDs = append(d.LicenseIDs, e.LicenseID)
				out[i].Data, _ = json.Marshal(d)
				continue
			}
			reissued[ref] = len(out)
			out = append(out, NewEvent(EventKeyReissued, e.At, KeyReissuedData{OrderReference: ref, LicenseIDs: []string{e.LicenseID}, By: e.Actor}))
		}
	}
	return out
}

// PurchaseEventData is a paid purchase: fulfilled (with its new order) or
// flagged for staff (with why).
type PurchaseEventData struct {
	PurchaseID        string `json:"purchase_id"`
	Kind              string `json:"kind"`
	LicenseID         string `json:"license_id"`
	OrderReference    string `json:"order_reference"`
	NewOrderReference string `json:"new_order_reference,omitempty"`
	Amount            int64  `json:"amount"`
	Currency          string `json:"currency"`
	Paid              int64  `json:"paid"`
	Reason            string `json:"reason,omitempty"`
}

// PurchaseEvent is the event of a settled purchase at at.
func PurchaseEvent(p Purchase, at time.Time) Event {
	typ := EventPurchaseFulfilled
	if p.Status == PurchaseFlagged {
		typ = EventPurchaseFlagged
	}
	return NewEvent(typ, at, PurchaseEventData{PurchaseID: p.ID, Kind: string(p.Kind), LicenseID: p.LicenseID,
		OrderReference: p.OrderRef, NewOrderReference: p.NewOrderRef, Amount: p.Amount, Currency: p.Currency,
		Paid: p.PaidAmount, Reason: p.FlagReason})
}

// EmailChangedData is a purchase email moved: the vendor's CRM follows it.
type EmailChangedData struct {
	OldEmail string `json:"old_email"`
	NewEmail string `json:"new_email"`
	// By is who asked: the customer's email or a staff member's.
	By string `json:"by"`
}

// EmailChangedEvent is the event of a confirmed email change.
func EmailChangedEvent(c EmailChange) Event {
	return NewEvent(EventEmailChanged, c.Settled, EmailChangedData{OldEmail: c.OldEmail, NewEmail: c.NewEmail, By: c.By})
}
