package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// upgradeQuote answers the quote partial for ?add=N; bad input gets a message and
// no price: 422 for a number outside the limits, 409 for a license that cannot
// be upgraded.
func (h *Handler) upgradeQuote(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	product, err := h.licenseProduct(c.UserContext(), l)
	var q domain.UpgradeQuote
	if err == nil {
		var add int
		if add, err = parseAdd(c.Query("add")); err == nil {
			q, err = domain.QuoteUpgrade(l, product, add, h.cfg.Now())
		}
	}
	status := fiber.StatusOK
	switch domain.KindOf(err) {
	case domain.KindInternal:
		if err != nil {
			return err
		}
	case domain.KindInvalid:
		status = fiber.StatusUnprocessableEntity
	default:
		status = fiber.StatusConflict
	}
	return render(c, status, views.UpgradeQuote(views.NewUpgradeQuoteData(l.ID, q, err)))
}
