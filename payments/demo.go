package payments

import (
	"context"
	"time"

	"portal/domain"
)

// Demo stands in for Stripe when no key is configured: its payment page is the
// portal's own (/demo-pay/{purchase}), clearly marked, and it fulfils through the
// same code path as a Stripe webhook.
type Demo struct{ BaseURL string }

// Demo reports true.
func (Demo) Demo() bool { return true }

// Available reports true: the demo page takes (pretend) payments.
func (Demo) Available() bool { return true }

// CreateCheckout answers the portal's own demo payment page for the purchase.
func (d Demo) CreateCheckout(_ context.Context, req domain.CheckoutRequest) (domain.CheckoutSession, error) {
	return domain.CheckoutSession{ID: "demo_" + req.PurchaseID, URL: d.BaseURL + "/demo-pay/" + req.PurchaseID}, nil
}

// ParseWebhook refuses everything: without Stripe there are no webhooks.
func (Demo) ParseWebhook([]byte, string, time.Time) (*domain.Payment, error) {
	return nil, ErrBadSignature
}
