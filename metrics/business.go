package metrics

import "github.com/prometheus/client_golang/prometheus"

// The words of the business counters' labels. Callers pass these, never
// anything a customer typed or owns.
const (
	// How a license came to a computer (activations) or was read again
	// (refreshes): the licensing API, the offline form, a pairing approved
	// on /pair, or the customer's own page.
	ViaAPI     = "api"
	ViaOffline = "offline"
	ViaPairing = "pairing"
	ViaPortal  = "portal"
)

// What became of a confirmed payment: fulfilled, paid but flagged for staff,
// the same payment event again (nothing changed), or a payment for no
// purchase of ours (another integration on the same Stripe account).
const (
	PurchaseFulfilled = "fulfilled"
	PurchaseFlagged   = "flagged"
	PurchaseSeen      = "seen"
	PurchaseUnknown   = "unknown"
)

// Whose login form a limit refused.
const (
	Customer = "customer"
	Staff    = "staff"
)

// What became of one attempt at an outbound event: answered 2xx; a timeout or
// another status, to be tried again; out of attempts; 410 Gone, which turns
// the endpoint off.
const (
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
	DeliveryGivenUp   = "given_up"
	DeliveryDisabled  = "disabled"
)

func (m *Metrics) newBusiness() {
	m.activations = m.counterVec("activations_total", "Activations answered, by how the license reached the computer.", "via")
	initialise(m.activations, ViaAPI, ViaOffline, ViaPairing)
	m.refreshes = m.counterVec("refreshes_total", "License refreshes, from the software (api) or the customer's page (portal).", "via")
	initialise(m.refreshes, ViaAPI, ViaPortal)
	m.purchases = m.counterVec("purchases_total", "Confirmed payments, by what became of them.", "outcome")
	initialise(m.purchases, PurchaseFulfilled, PurchaseFlagged, PurchaseSeen, PurchaseUnknown)
	m.mails = m.counterVec("mails_total", "Attempts at sending a mail, by outcome.", "outcome")
	initialise(m.mails, "sent", "failed", "given_up")
	m.deliveries = m.counterVec("webhook_deliveries_total", "Attempts at delivering an outbound event, by outcome.", "outcome")
	initialise(m.deliveries, DeliveryDelivered, DeliveryFailed, DeliveryGivenUp, DeliveryDisabled)
	m.loginsRefused = m.counterVec("logins_refused_total", "Login attempts refused by a rate limit, by form and by the limit's name.", "who", "limit")
	m.rehosts = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portal", Name: "rehosts_total", Help: "Licenses freed from their computer."})
	m.keyReissues = prometheus.NewCounter(prometheus.CounterOpts{Namespace: "portal", Name: "key_reissues_total", Help: "Activation keys replaced."})
	m.registry.MustRegister(m.rehosts, m.keyReissues)
}

// counterVec registers a counter with labels.
func (m *Metrics) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "portal", Name: name, Help: help}, labels)
	m.registry.MustRegister(v)
	return v
}

// initialise gives each known value of a counter's one label its series at
// zero from the start: a rate over a series that appears only with its first
// event would miss that event.
func initialise(v *prometheus.CounterVec, values ...string) {
	for _, value := range values {
		v.WithLabelValues(value)
	}
}

// Activation counts an activation answered: licenses bound to a computer, or
// found bound to it already.
func (m *Metrics) Activation(via string) {
	if m != nil {
		m.activations.WithLabelValues(via).Inc()
	}
}

// Refresh counts a license document read again.
func (m *Metrics) Refresh(via string) {
	if m != nil {
		m.refreshes.WithLabelValues(via).Inc()
	}
}

// Rehost counts a license freed from its computer.
func (m *Metrics) Rehost() {
	if m != nil {
		m.rehosts.Inc()
	}
}

// KeyReissue counts an order's activation key replaced.
func (m *Metrics) KeyReissue() {
	if m != nil {
		m.keyReissues.Inc()
	}
}

// Purchase counts a confirmed payment by its outcome (Purchase*).
func (m *Metrics) Purchase(outcome string) {
	if m != nil {
		m.purchases.WithLabelValues(outcome).Inc()
	}
}

// LoginRefused counts a login refused by a rate limit: who is Customer or
// Staff, limit the limit's name (domain.Rate.Name), never its key.
func (m *Metrics) LoginRefused(who, limit string) {
	if m != nil {
		m.loginsRefused.WithLabelValues(who, limit).Inc()
	}
}

// The mail dispatcher's hooks (mail.Counts).

// MailSent counts a mail a server took.
func (m *Metrics) MailSent() { m.mail("sent") }

// MailFailed counts a failed attempt at a mail that will be tried again.
func (m *Metrics) MailFailed() { m.mail("failed") }

// MailGivenUp counts a mail given up: refused for good, or out of attempts.
func (m *Metrics) MailGivenUp() { m.mail("given_up") }

func (m *Metrics) mail(outcome string) {
	if m != nil {
		m.mails.WithLabelValues(outcome).Inc()
	}
}

// Delivery counts one attempt at delivering an outbound event, by its outcome
// (Delivery*, or another fixed word: never an endpoint's URL).
func (m *Metrics) Delivery(outcome string) {
	if m != nil {
		m.deliveries.WithLabelValues(outcome).Inc()
	}
}

// Backups counts the scheduled backups written and failed since the start,
// read from the schedule at each scrape (backups.Schedule's counters).
func (m *Metrics) Backups(written, failed func() uint64) {
	if m == nil {
		return
	}
	m.registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "portal_backups_total", Help: "Scheduled backups written since the start.",
			ConstLabels: prometheus.Labels{"outcome": "written"}}, func() float64 { return float64(written()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "portal_backups_total", Help: "Scheduled backups written since the start.",
			ConstLabels: prometheus.Labels{"outcome": "failed"}}, func() float64 { return float64(failed()) }),
	)
}
