// Package payments connects the portal to Stripe Checkout, or to a demo payment
// page of its own when no Stripe key is configured.
package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"

	"portal/domain"
)

// Stripe creates Checkout Sessions and reads Stripe's signed webhook events.
type Stripe struct {
	api           *client.API
	webhookSecret string
}

// NewStripe returns the Stripe adapter. apiURL, when set, is another API base
// (stripe-mock, a proxy).
func NewStripe(secretKey, webhookSecret, apiURL string) *Stripe {
	var backends *stripe.Backends
	if apiURL != "" {
		cfg := &stripe.BackendConfig{URL: stripe.String(strings.TrimRight(apiURL, "/"))}
		backends = &stripe.Backends{
			API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
			Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg),
			Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg),
		}
	}
	return &Stripe{api: client.New(secretKey, backends), webhookSecret: webhookSecret}
}

// Demo reports false: this is the real provider.
func (s *Stripe) Demo() bool { return false }

// Available reports true.
func (s *Stripe) Available() bool { return true }

// CreateCheckout creates a Checkout Session with inline price data for exactly the
// purchase's amount. The purchase id is the client reference and the idempotency
// key, so a retried request cannot make a second session.
func (s *Stripe) CreateCheckout(ctx context.Context, req domain.CheckoutRequest) (domain.CheckoutSession, error) {
	amount, err := toStripeAmount(req.Amount, req.Currency)
	if err != nil {
		return domain.CheckoutSession{}, err
	}
	params := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		ClientReferenceID: stripe.String(req.PurchaseID),
		CustomerEmail:     stripe.String(req.Email),
		SuccessURL:        stripe.String(req.SuccessURL),
		CancelURL:         stripe.String(req.CancelURL),
		ExpiresAt:         stripe.Int64(req.ExpiresAt.Unix()),
		LineItems: []*stripe.CheckoutSessionLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:   stripe.String(strings.ToLower(req.Currency)),
				UnitAmount: stripe.Int64(amount),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{
					Name: stripe.String(req.Description),
				},
			},
		}},
	}
	params.AddMetadata("purchase_id", req.PurchaseID)
	params.SetIdempotencyKey("checkout-" + req.PurchaseID)
	params.Context = ctx
	sess, err := s.api.CheckoutSessions.New(params)
	if err != nil {
		return domain.CheckoutSession{}, fmt.Errorf("payments: create checkout session: %w", err)
	}
	if sess.URL == "" {
		return domain.CheckoutSession{}, errors.New("payments: stripe answered a session without a URL")
	}
	return domain.CheckoutSession{ID: sess.ID, URL: sess.URL}, nil
}

// ErrBadSignature means the webhook's Stripe-Signature header did not check out.
var ErrBadSignature = errors.New("payments: bad or missing Stripe-Signature")

// checkoutSessionObject holds the fields of a Checkout Session that fulfilment
// reads. They are read from the raw event so that events sent at a newer API
// version than stripe-go's still work.
type checkoutSessionObject struct {
	ID                string `json:"id"`
	ClientReferenceID string `json:"client_reference_id"`
	PaymentStatus     string `json:"payment_status"`
	AmountTotal       int64  `json:"amount_total"`
	Currency          string `json:"currency"`
}

// ParseWebhook checks the signature of a webhook delivery and returns the payment
// it confirms, or nil for events that confirm none (other types, unpaid sessions).
func (s *Stripe) ParseWebhook(payload []byte, signature string, now time.Time) (*domain.Payment, error) {
	event, err := webhook.ConstructEventWithOptions(payload, signature, s.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return nil, ErrBadSignature
	}
	if event.Type != "checkout.session.completed" && event.Type != "checkout.session.async_payment_succeeded" {
		return nil, nil
	}
	var obj checkoutSessionObject
	if event.Data == nil || json.Unmarshal(event.Data.Raw, &obj) != nil {
		return nil, domain.Invalidf("the event's data is not a checkout session")
	}
	if obj.PaymentStatus != "paid" || obj.ClientReferenceID == "" {
		return nil, nil
	}
	currency := strings.ToUpper(obj.Currency)
	amount := fromStripeAmount(obj.AmountTotal, currency)
	return &domain.Payment{
		EventID: event.ID, PurchaseID: obj.ClientReferenceID, SessionID: obj.ID,
		Amount: amount, Currency: currency,
		// When Stripe made the event, not when it reached us: a retry after an
		// outage must not look like a late payment.
		At: eventTime(event.Created, now),
	}, nil
}
