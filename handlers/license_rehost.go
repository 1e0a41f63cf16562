package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// licenseRehost frees a license's serial, within the rehost limit. Past the
// limit the details come back with the reason, so the customer sees when the
// next rehost is possible.
func (h *Handler) licenseRehost(c *fiber.Ctx) error {
	l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	id := l.ID
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
		freed, err := u.Rehost(id, h.cfg.Rehost, now)
		if err == nil {
			l = freed
		}
		return err
	})
	status, flash, kind := fiber.StatusOK, t(c, "details.rehosted"), "info"
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		status, flash, kind = statusOf(err), message(c, err), "error"
	case err != nil:
		return err
	default:
		h.log.Info("rehost", "request_id", requestID(c), "license", l.ID)
		h.metrics.Rehost()
	}
	d, err := h.licenseDetails(c, l)
	if err != nil {
		return err
	}
	d.Flash = views.FlashData{Kind: kind, Message: flash}
	if !isPartial(c) {
		return h.renderLicenseDetails(c, status, d)
	}
	row, err := h.licenseRow(c, l)
	if err != nil {
		return err
	}
	row.OOB = true
	return render(c, status, views.RehostAnswer(d, row))
}
