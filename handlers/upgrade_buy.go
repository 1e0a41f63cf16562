package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// upgradeBuy prices the upgrade again on the server, locks it as a pending
// purchase and sends the customer to the hosted payment page.
func (h *Handler) upgradeBuy(c *fiber.Ctx) error {
	add, err := parseAdd(c.FormValue("add"))
	if err != nil {
		// The page again, its quote saying what is wrong with the number: a
		// browser without JavaScript has no live quote to have said it.
		return h.upgradePage(c, fiber.StatusBadRequest, c.FormValue("add"))
	}
	return h.buy(c, func(l domain.License, p domain.Product, email string, now time.Time) (domain.Purchase, error) {
		q, err := domain.QuoteUpgrade(l, p, add, now)
		return domain.NewUpgradePurchase(q, l, email, now), err
	})
}
