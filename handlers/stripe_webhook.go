package handlers

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
)

// stripeWebhook verifies the Stripe-Signature and fulfils paid checkout sessions.
// It answers 2xx only once the change is on disk, so Stripe retries otherwise.
func (h *Handler) stripeWebhook(c *fiber.Ctx) error {
	body := c.Body()
	pay, err := h.cfg.Payments.ParseWebhook(body, c.Get("Stripe-Signature"), h.cfg.Now())
	if err != nil {
		h.log.Warn("webhook refused", "request_id", requestID(c), "client_ip", h.clientIP(c), "reason", err.Error())
		return domain.Invalidf("invalid webhook")
	}
	if pay == nil {
		return c.JSON(fiber.Map{"received": true})
	}
	err = h.fulfil(c, *pay)
	if domain.KindOf(err) == domain.KindNotFound {
		// Not ours (another integration on the same account): acknowledge, change nothing.
		h.log.Warn("payment for an unknown purchase", "request_id", requestID(c), "event", pay.EventID)
		h.metrics.Purchase(metrics.PurchaseUnknown)
		return c.JSON(fiber.Map{"received": true, "ignored": "unknown purchase"})
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true})
}

// fulfil applies a confirmed payment, once: the same event again is no error.
func (h *Handler) fulfil(c *fiber.Ctx, pay domain.Payment) error {
	seller, err := h.seller(c.UserContext())
	if err != nil {
		return err
	}
	p, err := h.store.FulfilPurchase(c.UserContext(), pay, domain.Numbering{OrderPrefix: h.cfg.OrderPrefix, Seller: seller})
	switch {
	case errors.Is(err, domain.ErrPaymentSeen):
		h.log.Info("payment event already handled", "request_id", requestID(c), "event", pay.EventID)
		h.metrics.Purchase(metrics.PurchaseSeen)
		return nil
	case err != nil:
		return err
	case p.Status == domain.PurchaseFlagged:
		h.log.Warn("payment flagged for staff", "request_id", requestID(c), "purchase", p.ID, "reason", p.FlagReason)
		h.metrics.Purchase(metrics.PurchaseFlagged)
	default:
		h.log.Info("purchase fulfilled", "request_id", requestID(c), "purchase", p.ID, "order", p.NewOrderRef)
		h.metrics.Purchase(metrics.PurchaseFulfilled)
	}
	return nil
}
