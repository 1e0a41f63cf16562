package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// billingShow is the form for an order's billing details: the partial for
// htmx (in place of the order's details), a page otherwise.
func (h *Handler) billingShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	return h.renderBillingForm(c, fiber.StatusOK, views.NewBillingFormData(order, order.Billing, h.csrfToken(c)))
}

func (h *Handler) renderBillingForm(c *fiber.Ctx, status int, d views.BillingFormData) error {
	if isPartial(c) {
		return render(c, status, views.BillingForm(d))
	}
	return render(c, status, views.BillingPage(h.meta(c, t(c, "billing.page_title", "Order", d.Reference), "orders"), d))
}
