package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// orderShow answers an order's details: the partial for htmx, a page otherwise.
func (h *Handler) orderShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	licenses, err := h.orderLicenses(c.UserContext(), order)
	if err != nil {
		return err
	}
	details := views.NewOrderDetailsData(order, licenses, h.cfg.Now())
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.OrderDetails(details))
	}
	return render(c, fiber.StatusOK, views.OrderPage(h.meta(c, t(c, "order.title", "Order", order.Reference), "orders"), details))
}

// orderLicenses are an order's licenses, in the order's own order.
func (h *Handler) orderLicenses(ctx context.Context, order domain.Order) ([]domain.License, error) {
	return h.store.Licenses(ctx, order.LicenseIDs)
}
