package handlers

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// buy prices a purchase of the customer's license :id on the server (nothing the
// browser sends about money is trusted) and checks it out.
func (h *Handler) buy(c *fiber.Ctx, lock func(l domain.License, p domain.Product, email string, now time.Time) (domain.Purchase, error)) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	product, err := h.licenseProduct(c.UserContext(), l)
	if err != nil {
		return err
	}
	purchase, err := lock(l, product, customerEmail(c), h.cfg.Now())
	if err != nil {
		return err
	}
	return h.checkout(c, purchase)
}

var errPaymentUnavailable = userError(domain.KindUnavailable, "error.payment_unavailable")

// checkout records the pending purchase first (so that a payment can never arrive
// for a purchase we do not know), then opens the hosted payment page.
func (h *Handler) checkout(c *fiber.Ctx, p domain.Purchase) error {
	if !h.cfg.Payments.Available() {
		return domain.ErrPaymentsOff
	}
	if p.Amount <= 0 {
		return userError(domain.KindConflict, "error.nothing_to_pay")
	}
	mine, err := h.store.PurchasesByEmail(c.UserContext(), p.Email)
	if err != nil {
		return err
	}
	if open, ok := domain.Reusable(mine, p, h.cfg.Now()); ok {
		h.log.Info("checkout reused", "request_id", requestID(c), "purchase", open.ID)
		return c.Redirect(open.CheckoutURL, fiber.StatusSeeOther)
	}
	if _, err := h.spend(c, "limit.purchases", spent{ratePurchases, p.Email}); err != nil {
		return err
	}
	if err := h.store.CreatePurchase(c.UserContext(), p); err != nil {
		return err
	}
	back := h.cfg.BaseURL + "/purchases/" + p.ID
	sess, err := h.cfg.Payments.CreateCheckout(c.UserContext(), domain.CheckoutRequest{
		PurchaseID: p.ID, Description: p.Description, Amount: p.Amount, Currency: p.Currency,
		Email: p.Email, SuccessURL: back + "/success", CancelURL: back + "/cancel", ExpiresAt: p.ExpiresAt,
	})
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		return err
	case err != nil:
		h.log.Error("checkout failed", "request_id", requestID(c), "purchase", p.ID, "error", err.Error())
		return errors.Join(errPaymentUnavailable, err)
	}
	if err := h.store.SetPurchaseCheckout(c.UserContext(), p.ID, sess); err != nil {
		return err
	}
	h.log.Info("checkout", "request_id", requestID(c), "purchase", p.ID, "kind", string(p.Kind),
		"amount", p.Amount, "currency", p.Currency)
	return c.Redirect(sess.URL, fiber.StatusSeeOther)
}
