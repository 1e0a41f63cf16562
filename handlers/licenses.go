package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// licensesList is the customer's home: one row per license of every order of their email.
func (h *Handler) licensesList(c *fiber.Ctx) error {
	return h.licensesPage(c)
}

// licensesPage renders the licenses page; replace stands in for the rows of the
// same licenses (a row just refreshed, with its note).
func (h *Handler) licensesPage(c *fiber.Ctx, replace ...views.LicenseRow) error {
	licenses, err := h.store.LicensesByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	rows := views.NewLicenseRows(licenses, h.cfg.Now(), h.csrfToken(c))
	for i := range rows {
		for _, r := range replace {
			if rows[i].ID == r.ID {
				rows[i] = r
			}
		}
	}
	return render(c, fiber.StatusOK, views.LicensesPage(h.meta(c, "Licenses", "licenses"), rows))
}
