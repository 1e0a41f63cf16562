package views

import (
	"time"

	"portal/domain"
)

// AdminWebhooksPageData is /admin/webhooks: every endpoint with its latest
// deliveries, and the form to add one.
type AdminWebhooksPageData struct {
	Flash     FlashData
	Endpoints []WebhookEndpointData
	URL       string // the add form's address, as typed after an error
	CSRF      string
}

// WebhookEndpointData is an endpoint as the page shows it: never its secrets.
type WebhookEndpointData struct {
	ID         string
	URL        string
	Enabled    bool
	Disabled   string
	FromEnv    bool
	Secrets    int // signing now: 2 during a rotation's overlap
	Deliveries []DeliveryRowData
}

// DeliveryRowData is one delivery in an endpoint's log.
type DeliveryRowData struct {
	EventID     string
	Type        string
	Created     time.Time
	Status      string
	Attempts    int
	LastStatus  int
	LastError   string
	NextAttempt time.Time
	Pending     bool
}

// NewWebhookEndpointData shapes an endpoint and its log at now.
func NewWebhookEndpointData(e domain.WebhookEndpoint, log []domain.Delivery, now time.Time) WebhookEndpointData {
	d := WebhookEndpointData{ID: e.ID, URL: e.URL, Enabled: e.Enabled, Disabled: e.Disabled, FromEnv: e.ID == domain.EnvWebhookID,
		Secrets: len(e.SigningSecrets(now))}
	for _, del := range log {
		d.Deliveries = append(d.Deliveries, DeliveryRowData{EventID: del.Event.ID, Type: string(del.Event.Type), Created: del.Created,
			Status: string(del.Status), Attempts: del.Attempts, LastStatus: del.LastStatus, LastError: del.LastError,
			NextAttempt: del.NextAttempt, Pending: del.Status == domain.DeliveryPending})
	}
	return d
}
