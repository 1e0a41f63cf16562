package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// licenseShow answers a license's details: files, rehost and history.
func (h *Handler) licenseShow(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	d, err := h.licenseDetails(c, l)
	if err != nil {
		return err
	}
	return h.renderLicenseDetails(c, fiber.StatusOK, d)
}

func (h *Handler) licenseDetails(c *fiber.Ctx, l domain.License) (views.LicenseDetailsData, error) {
	history, err := h.store.LicenseHistory(c.UserContext(), l.ID)
	if err != nil {
		return views.LicenseDetailsData{}, err
	}
	return views.NewLicenseDetailsData(l, history, h.cfg.Rehost, h.cfg.Now(), h.csrfToken(c)), nil
}

func (h *Handler) renderLicenseDetails(c *fiber.Ctx, status int, d views.LicenseDetailsData) error {
	if isPartial(c) {
		return render(c, status, views.LicenseDetails(d))
	}
	return render(c, status, views.LicenseDetailsPage(h.meta(c, t(c, "details.page_title_id", "License", d.License.ID), "licenses"), d))
}
