package handlers

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/storage"
	"portal/views"
)

// ownPurchase returns a purchase of the signed-in customer.
func (h *Handler) ownPurchase(c *fiber.Ctx) (domain.Purchase, error) {
	p, found, err := h.store.Purchase(c.UserContext(), c.Params("id"))
	if err != nil {
		return domain.Purchase{}, err
	}
	if !found || p.Email != customerEmail(c) {
		return domain.Purchase{}, errNotFound
	}
	return p, nil
}

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
	return render(c, fiber.StatusOK, views.PurchasePage(h.meta(c, "Payment", "licenses"), s))
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

// demoPayShow is the demo payment page; it exists only without a Stripe key.
func (h *Handler) demoPayShow(c *fiber.Ctx) error {
	s, err := h.ownPurchaseStatus(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.DemoPayPage(h.meta(c, "Demo payment", ""), s, h.csrfToken(c)))
}

// demoPayConfirm "pays" the purchase and fulfils it through the same path as a
// Stripe webhook.
func (h *Handler) demoPayConfirm(c *fiber.Ctx) error {
	p, err := h.ownPurchase(c)
	if err != nil {
		return err
	}
	if h.cfg.Now().After(p.ExpiresAt) && p.Status == domain.PurchasePending {
		return domain.Conflictf("This price was held until %s and has expired. Please start the purchase again.",
			p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	pay := domain.Payment{EventID: "demo_" + p.ID, PurchaseID: p.ID, Amount: p.Amount, Currency: p.Currency, At: h.cfg.Now()}
	if err := h.fulfil(c, pay); err != nil {
		return err
	}
	return c.Redirect("/purchases/"+p.ID+"/success", fiber.StatusSeeOther)
}

// fulfil applies a confirmed payment, once.
func (h *Handler) fulfil(c *fiber.Ctx, pay domain.Payment) error {
	p, err := h.store.FulfilPurchase(c.UserContext(), pay, h.cfg.OrderPrefix)
	switch {
	case errors.Is(err, storage.ErrEventSeen):
		h.log.Info("payment event already handled", "request_id", requestID(c), "event", pay.EventID)
		return nil
	case err != nil:
		return err
	case p.Status == domain.PurchaseFlagged:
		h.log.Warn("payment flagged for staff", "request_id", requestID(c), "purchase", p.ID, "reason", p.FlagReason)
	default:
		h.log.Info("purchase fulfilled", "request_id", requestID(c), "purchase", p.ID, "order", p.NewOrderRef)
	}
	return nil
}

// maxWebhookBody bounds a Stripe event; real ones are a few kilobytes.
const maxWebhookBody = 256 << 10

// stripeWebhook verifies the Stripe-Signature and fulfils paid checkout sessions.
// It answers 2xx only once the change is on disk, so Stripe retries otherwise.
func (h *Handler) stripeWebhook(c *fiber.Ctx) error {
	body := c.Body()
	if len(body) > maxWebhookBody {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "event too large")
	}
	pay, err := h.cfg.Payments.ParseWebhook(body, c.Get("Stripe-Signature"), h.cfg.Now())
	if err != nil {
		h.log.Warn("webhook refused", "request_id", requestID(c), "client_ip", h.clientIP(c), "reason", err.Error())
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid webhook"})
	}
	if pay == nil {
		return c.JSON(fiber.Map{"received": true})
	}
	err = h.fulfil(c, *pay)
	if domain.KindOf(err) == domain.KindNotFound {
		// Not ours (another integration on the same account): acknowledge, change nothing.
		h.log.Warn("payment for an unknown purchase", "request_id", requestID(c), "event", pay.EventID)
		return c.JSON(fiber.Map{"received": true, "ignored": "unknown purchase"})
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true})
}
