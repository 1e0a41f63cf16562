package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// ownPurchaseStatus is a purchase of the signed-in customer with its license as
// it stands now.
func (h *Handler) ownPurchaseStatus(c *fiber.Ctx) (views.PurchaseStatusData, error) {
	p, err := h.ownPurchase(c)
	if err != nil {
		return views.PurchaseStatusData{}, err
	}
	l, _, err := h.store.License(c.UserContext(), p.LicenseID)
	if err != nil {
		return views.PurchaseStatusData{}, err
	}
	return views.NewPurchaseStatusData(p, l, h.cfg.Now()), nil
}

// purchaseSuccess is where the payment page sends the customer back.
func (h *Handler) purchaseSuccess(c *fiber.Ctx) error {
	s, err := h.ownPurchaseStatus(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.PurchasePage(h.meta(c, t(c, "payment.title"), "licenses"), s))
}

// purchaseStatusPartial is what the success page polls.
func (h *Handler) purchaseStatusPartial(c *fiber.Ctx) error {
	s, err := h.ownPurchaseStatus(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return render(c, fiber.StatusOK, views.PurchaseStatus(s))
}

// purchaseCancel returns to the page the purchase came from; nothing changed.
func (h *Handler) purchaseCancel(c *fiber.Ctx) error {
	p, err := h.ownPurchase(c)
	if err != nil {
		return err
	}
	page := "upgrade"
	if p.Kind == domain.PurchaseRenewal {
		page = "renew"
	}
	return c.Redirect(fmt.Sprintf("/licenses/%s/%s?cancelled=1", p.LicenseID, page), fiber.StatusSeeOther)
}
