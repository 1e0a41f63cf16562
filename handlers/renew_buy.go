package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// renewBuy locks a renewal quote and sends the customer to the payment page.
func (h *Handler) renewBuy(c *fiber.Ctx) error {
	return h.buy(c, func(l domain.License, p domain.Product, email string, now time.Time) (domain.Purchase, error) {
		q, err := domain.QuoteRenewal(l, p, now)
		return domain.NewRenewalPurchase(q, l, email, now), err
	})
}
