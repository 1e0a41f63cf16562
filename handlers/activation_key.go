package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// activationKeyShow answers an order's activation key: a partial for htmx, a page otherwise.
func (h *Handler) activationKeyShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	return h.renderActivationKey(c, views.NewActivationKeyData(order, h.csrfToken(c)))
}

func (h *Handler) renderActivationKey(c *fiber.Ctx, k views.ActivationKeyData) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.ActivationKey(k))
	}
	return render(c, fiber.StatusOK, views.ActivationKeyPage(h.meta(c, t(c, "licenses.key"), "licenses"), k))
}
