package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// ordersList shows one row per order of the customer's email.
func (h *Handler) ordersList(c *fiber.Ctx) error {
	orders, err := h.store.OrdersByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	licenses, err := h.store.LicensesByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	catalog, err := h.catalog(c.UserContext())
	if err != nil {
		return err
	}
	upgradable := make(map[string]string) // order reference → its first upgradable license
	for _, l := range licenses {
		if p, ok := catalog[productKey(l.Software, l.Edition)]; ok && p.Upgradable && upgradable[l.OrderRef] == "" {
			upgradable[l.OrderRef] = l.ID
		}
	}
	rows := make([]views.OrderRowData, len(orders))
	for i, o := range orders {
		rows[i] = views.NewOrderRowData(o)
		rows[i].UpgradeLicenseID = upgradable[o.Reference]
	}
	return render(c, fiber.StatusOK, views.OrdersPage(h.meta(c, "Orders", "orders"), rows))
}

// orderShow answers an order's details: the partial for htmx, a page otherwise.
func (h *Handler) orderShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	licenses := make([]domain.License, 0, len(order.LicenseIDs))
	for _, id := range order.LicenseIDs {
		l, found, err := h.store.License(c.UserContext(), id)
		if err != nil {
			return err
		}
		if found {
			licenses = append(licenses, l)
		}
	}
	details := views.NewOrderDetailsData(order, licenses, h.cfg.Now())
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.OrderDetails(details))
	}
	return render(c, fiber.StatusOK, views.OrderPage(h.meta(c, "Order "+order.Reference, "orders"), details))
}

// ownOrder returns the order with the given reference when it belongs to email.
// Another email's order answers exactly as a missing one does.
func (h *Handler) ownOrder(ctx context.Context, email, rawRef string) (domain.Order, error) {
	ref, ok := domain.NormalizeReference(rawRef)
	if !ok {
		return domain.Order{}, errNotFound
	}
	order, found, err := h.store.Order(ctx, ref)
	if err != nil {
		return domain.Order{}, err
	}
	if !found || order.Email != email {
		return domain.Order{}, errNotFound
	}
	return order, nil
}
