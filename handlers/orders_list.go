package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// ordersList shows one row per order of the customer's email.
func (h *Handler) ordersList(c *fiber.Ctx) error {
	orders, err := h.store.OrdersByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	licenses, catalog, err := h.customerLicenses(c)
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
	return render(c, fiber.StatusOK, views.OrdersPage(h.meta(c, t(c, "nav.orders"), "orders"), rows, h.rows))
}
