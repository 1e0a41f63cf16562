package domain

import (
	"crypto/rand"
	"encoding/base64"
	mrand "math/rand/v2"
	"net/url"
	"strings"
	"time"
)

// WebhookEndpoint is one of the vendor's systems that receives the events:
// from PORTAL_WEBHOOK_URL (id "env") or added on /admin/webhooks.
type WebhookEndpoint struct {
	ID      string          `json:"id"`
	URL     string          `json:"url"`
	Secrets []WebhookSecret `json:"secrets"`
	Enabled bool            `json:"enabled"`
	// Disabled says why it no longer receives events (an answer 410 Gone, an admin).
	Disabled string    `json:"disabled,omitempty"`
	Created  time.Time `json:"created"`
}

// WebhookSecret signs the endpoint's events. After a rotation the old one
// still signs until Expires, beside the new one, so that the receiver can
// switch at its own pace.
type WebhookSecret struct {
	Secret  string    `json:"secret"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"`
}

// EnvWebhookID names the endpoint of PORTAL_WEBHOOK_URL.
const EnvWebhookID = "env"

// SecretOverlap is how long a rotated secret keeps signing beside the new one.
const SecretOverlap = 24 * time.Hour

// NewWebhookSecret makes a secret as Standard Webhooks writes them: whsec_
// and the base64 of 32 random bytes.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// WebhookKey is the HMAC key of a whsec_ secret; ok is false for anything else.
func WebhookKey(secret string) (key []byte, ok bool) {
	encoded, found := strings.CutPrefix(secret, "whsec_")
	if !found {
		return nil, false
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	return key, err == nil && len(key) >= 24 && len(key) <= 64
}

// NewWebhookEndpoint checks a receiver's address and makes its endpoint with
// a new secret, to show once.
func NewWebhookEndpoint(id, rawURL, secret string, now time.Time) (WebhookEndpoint, error) {
	if strings.TrimSpace(rawURL) == "" {
		return WebhookEndpoint{}, Invalid("webhooks.no_url", "Enter the address that receives the events.")
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(rawURL) > 2000 {
		return WebhookEndpoint{}, Invalid("webhooks.bad_url", `"{{.URL}}" is not an http:// or https:// address a webhook can be sent to.`, "URL", rawURL)
	}
	if _, ok := WebhookKey(secret); !ok {
		return WebhookEndpoint{}, Invalid("webhooks.bad_secret", "A webhook secret is whsec_ followed by the base64 of 24 to 64 bytes.")
	}
	now = now.UTC()
	return WebhookEndpoint{ID: id, URL: u.String(), Secrets: []WebhookSecret{{Secret: secret, Created: now}}, Enabled: true, Created: now}, nil
}

// Validate checks an endpoint read from a backup or an export: an id, an
// address as NewWebhookEndpoint takes them, and secrets that can sign.
func (e WebhookEndpoint) Validate() error {
	if e.ID == "" || len(e.ID) > 64 {
		return Invalidf("a webhook endpoint needs an id of 1 to 64 characters")
	}
	if _, err := NewWebhookEndpoint(e.ID, e.URL, NewWebhookSecret(), e.Created); err != nil {
		return err
	}
	if len(e.Secrets) == 0 {
		return Invalidf("webhook endpoint %s has no secret", e.ID)
	}
	for _, s := range e.Secrets {
		if _, ok := WebhookKey(s.Secret); !ok {
			return Invalidf("webhook endpoint %s has a secret that is not whsec_ and base64", e.ID)
		}
	}
	return nil
}

// Rotate adds secret as the endpoint's new one; the others sign until the
// overlap ends, and those expired already are dropped.
func (e *WebhookEndpoint) Rotate(secret string, now time.Time) {
	kept := e.Secrets[:0]
	for _, s := range e.Secrets {
		if s.Expires.IsZero() {
			s.Expires = now.UTC().Add(SecretOverlap)
		}
		if now.Before(s.Expires) {
			kept = append(kept, s)
		}
	}
	e.Secrets = append(kept, WebhookSecret{Secret: secret, Created: now.UTC()})
}

// SigningSecrets are the secrets that sign at now: the new one and any still
// in its overlap.
func (e WebhookEndpoint) SigningSecrets(now time.Time) []string {
	var out []string
	for _, s := range e.Secrets {
		if s.Expires.IsZero() || now.Before(s.Expires) {
			out = append(out, s.Secret)
		}
	}
	return out
}

// NewWebhookEndpointID names an endpoint added on /admin/webhooks.
func NewWebhookEndpointID() string { return "ep_" + randomHex(8) }

// DeliveryStatus is where one event's delivery to one endpoint stands.
type DeliveryStatus string

// Delivery statuses.
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed"
)

// Delivery is one event on its way to one endpoint, with its attempts.
type Delivery struct {
	ID          string         `json:"id"`
	EndpointID  string         `json:"endpoint_id"`
	Event       Event          `json:"event"`
	Created     time.Time      `json:"created"`
	Attempts    int            `json:"attempts"`
	NextAttempt time.Time      `json:"next_attempt"`
	Status      DeliveryStatus `json:"status"`
	// The last attempt: its time, the HTTP status (0 without an answer) and what went wrong.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastStatus  int       `json:"last_status,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
}

// DeliveryID names the delivery of event to endpoint.
func DeliveryID(eventID, endpointID string) string { return eventID + "." + endpointID }

// DeliveryGiveUp is how long a delivery is retried before it fails for good.
const DeliveryGiveUp = 72 * time.Hour

// DeliveryRetryAfter is the pause after attempt n failed: the first retry
// within 10 s, then doubling from 30 s up to 6 hours, each with up to a fifth
// of jitter so that a receiver coming back is not hit by every delivery at once.
func DeliveryRetryAfter(n int) time.Duration {
	if n <= 1 {
		return 5*time.Second + time.Duration(mrand.Int64N(int64(4*time.Second)))
	}
	d := min(30*time.Second<<min(n-2, 20), 6*time.Hour)
	return d + time.Duration(mrand.Int64N(int64(d/5)+1))
}
