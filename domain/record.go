package domain

// Record is one stored thing as a backup or a copy between storage backends
// carries it: exactly one field is set. A portal is its records: products,
// orders with their licenses, every license's history, purchases and the
// payment events they took, staff accounts, the audit log, the counters
// that number new orders, and the seller details an admin saved. Sessions and
// rate limits are not carried: people sign in again.
type Record struct {
	Product      *Product      `json:"product,omitempty"`
	Order        *Order        `json:"order,omitempty"`
	License      *License      `json:"license,omitempty"`
	History      *HistoryEntry `json:"history,omitempty"`
	Purchase     *Purchase     `json:"purchase,omitempty"`
	PaymentEvent *PaymentEvent `json:"payment_event,omitempty"`
	Staff        *StaffUser    `json:"staff,omitempty"`
	Audit        *AuditEntry   `json:"audit,omitempty"`
	Counter      *Counter      `json:"counter,omitempty"`
	Seller       *Seller       `json:"seller,omitempty"`
	// WebhookEndpoint is a receiver of the outbound events, with its secrets:
	// a restored portal goes on sending to it.
	WebhookEndpoint *WebhookEndpoint `json:"webhook_endpoint,omitempty"`
}

// PaymentEvent is a payment provider's event that was handled, and the purchase
// it was for: the same event is never handled twice.
type PaymentEvent struct {
	EventID    string `json:"event_id"`
	PurchaseID string `json:"purchase_id"`
}

// Counter is a named number that only grows, such as the highest order number
// counted ("order-number").
type Counter struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

// CounterOrderNumber names the highest order number counted.
const CounterOrderNumber = "order-number"

// ErrNotEmpty is the answer of a store asked to load records while it already
// holds some: records are loaded only into an empty store, so that a copy
// never mixes two portals.
var ErrNotEmpty = Conflictf("the target store already holds data: load or copy only into an empty one")

// Validate checks that the record holds exactly one thing.
func (r Record) Validate() error {
	n := 0
	for _, set := range []bool{r.Product != nil, r.Order != nil, r.License != nil, r.History != nil,
		r.Purchase != nil, r.PaymentEvent != nil, r.Staff != nil, r.Audit != nil, r.Counter != nil, r.Seller != nil,
		r.WebhookEndpoint != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return Invalidf("a record holds exactly one thing, this one %d", n)
	}
	if e := r.WebhookEndpoint; e != nil {
		return e.Validate()
	}
	return nil
}

// Kind names what the record holds, as its JSON field does ("order", "history").
func (r Record) Kind() string {
	switch {
	case r.Product != nil:
		return "product"
	case r.Order != nil:
		return "order"
	case r.License != nil:
		return "license"
	case r.History != nil:
		return "history"
	case r.Purchase != nil:
		return "purchase"
	case r.PaymentEvent != nil:
		return "payment_event"
	case r.Staff != nil:
		return "staff"
	case r.Audit != nil:
		return "audit"
	case r.Counter != nil:
		return "counter"
	case r.Seller != nil:
		return "seller"
	case r.WebhookEndpoint != nil:
		return "webhook_endpoint"
	}
	return ""
}
