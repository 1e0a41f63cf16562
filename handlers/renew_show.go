package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// renewShow prices one more year of support for all of the license's users.
func (h *Handler) renewShow(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	var q domain.RenewalQuote
	product, err := h.licenseProduct(c.UserContext(), l)
	if err == nil {
		q, err = domain.QuoteRenewal(l, product, now)
	}
	if err != nil && domain.KindOf(err) == domain.KindInternal {
		return err
	}
	page := views.NewRenewPageData(views.NewLicenseRowData(l, now), q, err, h.csrfToken(c))
	page.Flash = cancelledNote(c)
	page.PaymentsOff = !h.cfg.Payments.Available()
	return render(c, fiber.StatusOK, views.RenewPage(h.meta(c, t(c, "licenses.renew"), "licenses"), page))
}
