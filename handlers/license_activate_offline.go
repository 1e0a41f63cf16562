package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
	"portal/views"
)

// licenseActivateOfflineShow asks for the serial number of the computer that a
// license file is to be made for: a partial for htmx, a page otherwise.
func (h *Handler) licenseActivateOfflineShow(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	return h.renderActivateOffline(c, fiber.StatusOK, views.ActivateOfflineData{
		License: views.NewLicenseRowData(l, h.cfg.Now()), Serial: l.Serial, CSRF: h.csrfToken(c)})
}

func (h *Handler) renderActivateOffline(c *fiber.Ctx, status int, d views.ActivateOfflineData) error {
	if isPartial(c) {
		return render(c, status, views.ActivateOffline(d))
	}
	return render(c, status, views.ActivateOfflinePage(h.meta(c, t(c, "licenses.activate_offline"), "licenses"), d))
}

// licenseActivateOffline binds the license to the computer whose serial the
// customer typed, records it, and answers the signed license file for that
// computer as a download. A serial that is not one, or a license on another
// computer, shows the form again with the reason.
func (h *Handler) licenseActivateOffline(c *fiber.Ctx) error {
	l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	form := views.ActivateOfflineData{License: views.NewLicenseRowData(l, h.cfg.Now()), Serial: c.FormValue("serial"), CSRF: h.csrfToken(c)}
	serial, ok := domain.NormalizeSerial(form.Serial)
	if !ok {
		err = userError(domain.KindInvalid, "offline.bad_serial")
	} else {
		id := l.ID
		err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
			bound, err := u.ActivateOffline(id, serial, h.cfg.Now())
			l = bound
			return err
		})
	}
	switch domain.KindOf(err) {
	case domain.KindInvalid, domain.KindConflict:
		form.Flash = views.FlashData{Kind: "error", Message: message(c, err)}
		return h.renderActivateOffline(c, statusOf(err), form)
	case domain.KindInternal:
		if err != nil {
			return err
		}
	default:
		return err
	}
	h.log.Info("activation offline", "request_id", requestID(c), "license", l.ID)
	h.metrics.Activation(metrics.ViaOffline)
	return h.sendLicenseFile(c, domain.DocKindLicense, order.Reference, l)
}

// sendLicenseFile answers a signed .lic file for one license as a download.
func (h *Handler) sendLicenseFile(c *fiber.Ctx, kind, ref string, l domain.License) error {
	doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(kind, ref, l.Serial, []domain.License{l}, h.cfg.Now()))
	if err != nil {
		return err
	}
	c.Attachment(fmt.Sprintf("%s-%s.lic", l.ID, kind))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(doc)
}
