package payments

import (
	"context"
	"time"

	"portal/domain"
)

// Off is the payment step of a portal that sells nothing: it has no Stripe key
// and was not started with a demo flag. A production server that lost its
// environment must never give upgrades away, so without either it refuses every
// purchase rather than falling back to the demo page.
type Off struct{}

// Demo reports false.
func (Off) Demo() bool { return false }

// Available reports false: nothing can be bought.
func (Off) Available() bool { return false }

// CreateCheckout refuses.
func (Off) CreateCheckout(context.Context, domain.CheckoutRequest) (domain.CheckoutSession, error) {
	return domain.CheckoutSession{}, domain.ErrPaymentsOff
}

// ParseWebhook refuses everything: there is no webhook secret to check it with.
func (Off) ParseWebhook([]byte, string, time.Time) (*domain.Payment, error) {
	return nil, ErrBadSignature
}
