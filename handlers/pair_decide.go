package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
	"portal/views"
)

// pairApprove gives the chosen licenses (form field license, one or more, of
// one order of the signed-in customer) to the pairing's computer: they are
// bound to its serial, as an activation binds them, and the software's next
// poll receives the order's key and the signed license.
func (h *Handler) pairApprove(c *fiber.Ctx) error {
	d := views.PairPageData{Code: c.Params("code"), CSRF: h.csrfToken(c)}
	_, code, err := h.pendingPairing(c, c.Params("code"))
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	email, now := customerEmail(c), h.cfg.Now()
	var ids []string
	for _, v := range c.Request().PostArgs().PeekMulti("license") {
		ids = append(ids, string(v))
	}
	ref, err := h.ownLicensesOrder(c, email, ids)
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	approved, err := h.store.ApprovePairing(c.UserContext(), domain.HashLinkToken(code), ref, now, func(p *domain.Pairing, u *domain.OrderUpdate) error {
		if u.Order.Email != email {
			return domain.ErrNotFound // moved to another email meanwhile
		}
		if err := u.Pair(ids, *p, now); err != nil {
			return err
		}
		p.Status, p.Email, p.OrderRef, p.LicenseIDs = domain.PairingApproved, email, ref, ids
		return nil
	})
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	h.log.Info("pairing approved", "request_id", requestID(c), "order", ref, "licenses", len(ids))
	h.metrics.Activation(metrics.ViaPairing)
	d.Flash = views.FlashData{Kind: "info", Message: t(c, "pair.approved", "Software", approved.Software, "Host", approved.Hostname)}
	return h.pairPage(c, fiber.StatusOK, d)
}

// ownLicensesOrder checks that every id is a license of the customer, all of
// one order, and answers that order.
func (h *Handler) ownLicensesOrder(c *fiber.Ctx, email string, ids []string) (string, error) {
	if len(ids) == 0 {
		return "", userError(domain.KindInvalid, "pair.choose_one")
	}
	ref := ""
	for _, id := range ids {
		_, order, err := h.ownLicense(c.UserContext(), email, id)
		if err != nil {
			return "", err
		}
		if ref != "" && order.Reference != ref {
			return "", userError(domain.KindInvalid, "pair.one_order")
		}
		ref = order.Reference
	}
	return ref, nil
}

// pairDeny refuses the pairing: the software hears access_denied.
func (h *Handler) pairDeny(c *fiber.Ctx) error {
	d := views.PairPageData{Code: c.Params("code"), CSRF: h.csrfToken(c)}
	_, code, err := h.pendingPairing(c, c.Params("code"))
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	denied, err := h.store.DenyPairing(c.UserContext(), domain.HashLinkToken(code), customerEmail(c), h.cfg.Now())
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	h.log.Info("pairing denied", "request_id", requestID(c))
	d.Flash = views.FlashData{Kind: "info", Message: t(c, "pair.denied", "Host", denied.Hostname, "Support", h.cfg.SupportEmail)}
	return h.pairPage(c, fiber.StatusOK, d)
}
