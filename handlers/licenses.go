package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// licensesList is the customer's home: one row per license of every order of their email.
func (h *Handler) licensesList(c *fiber.Ctx) error {
	licenses, err := h.store.LicensesByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	rows := make([]views.LicenseRow, len(licenses))
	for i, l := range licenses {
		rows[i] = views.NewLicenseRow(l, now)
	}
	return render(c, fiber.StatusOK, views.LicensesPage(h.meta(c, "Licenses", "licenses"), rows))
}
