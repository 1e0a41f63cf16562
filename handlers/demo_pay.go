package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/i18n"
	"portal/views"
)

// demoPayShow is the demo payment page; it exists only without a Stripe key.
func (h *Handler) demoPayShow(c *fiber.Ctx) error {
	s, err := h.ownPurchaseStatus(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.DemoPayPage(h.meta(c, t(c, "demo_pay.title"), ""), s, h.csrfToken(c)))
}

// demoPayConfirm "pays" the purchase and fulfils it through the same path as a
// Stripe webhook.
func (h *Handler) demoPayConfirm(c *fiber.Ctx) error {
	p, err := h.ownPurchase(c)
	if err != nil {
		return err
	}
	if h.cfg.Now().After(p.ExpiresAt) && p.Status == domain.PurchasePending {
		return userError(domain.KindConflict, "demo_pay.expired", "Until", i18n.Instant(p.ExpiresAt))
	}
	pay := domain.Payment{EventID: "demo_" + p.ID, PurchaseID: p.ID, SessionID: p.CheckoutID,
		Amount: p.Amount, Currency: p.Currency, At: h.cfg.Now()}
	if err := h.fulfil(c, pay); err != nil {
		return err
	}
	return c.Redirect("/purchases/"+p.ID+"/success", fiber.StatusSeeOther)
}
