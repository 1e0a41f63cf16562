package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// activationKeyReissue replaces a leaked key: the old one stops working at once for
// activate and refresh, bindings stay, and the new one is shown.
func (h *Handler) activationKeyReissue(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	if _, err := h.spend(c, "limit.reissues", spent{rateReissues, customerEmail(c)}); err != nil {
		return err
	}
	now := h.cfg.Now()
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
		u.ReissueKey(domain.NewActivationKey(), domain.ActorCustomer, now)
		order = u.Order
		return nil
	})
	if err != nil {
		return err
	}
	h.log.Info("activation key reissued", "request_id", requestID(c), "order", order.Reference)
	h.metrics.KeyReissue()
	k := views.NewActivationKeyData(order, h.csrfToken(c))
	k.Reissued = true
	return h.renderActivationKey(c, k)
}
