package handlers

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// ownLicense returns the license with id and its order when the order belongs to
// email. Another email's license answers exactly as a missing one does.
func (h *Handler) ownLicense(ctx context.Context, email, id string) (domain.License, domain.Order, error) {
	l, found, err := h.store.License(ctx, id)
	if err != nil {
		return domain.License{}, domain.Order{}, err
	}
	if !found {
		return domain.License{}, domain.Order{}, errNotFound
	}
	order, err := h.ownOrder(ctx, email, l.OrderRef)
	if err != nil {
		return domain.License{}, domain.Order{}, err
	}
	return l, order, nil
}

// activationKeyShow answers an order's activation key: a partial for htmx, a page otherwise.
func (h *Handler) activationKeyShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	return h.renderActivationKey(c, views.NewActivationKeyData(order, h.csrfToken(c)))
}

func (h *Handler) renderActivationKey(c *fiber.Ctx, k views.ActivationKeyData) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.ActivationKey(k))
	}
	return render(c, fiber.StatusOK, views.ActivationKeyPage(h.meta(c, "Activation key", "licenses"), k))
}

// activationKeyReissue replaces a leaked key: the old one stops working at once for
// activate and refresh, bindings stay, and the new one is shown.
func (h *Handler) activationKeyReissue(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	now := h.cfg.Now().UTC()
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) ([]domain.HistoryEntry, error) {
		old := u.Order.ActivationKey
		u.Order.ActivationKey = domain.NewActivationKey()
		order = u.Order
		note := fmt.Sprintf("activation key reissued (%s replaced by %s)", domain.MaskKey(old), domain.MaskKey(u.Order.ActivationKey))
		entries := make([]domain.HistoryEntry, len(u.Licenses))
		for i, l := range u.Licenses {
			entries[i] = domain.HistoryEntry{LicenseID: l.ID, At: now, Kind: domain.ChangeKeyReissue,
				Actor: domain.ActorCustomer, Note: note, Before: l, After: l}
		}
		return entries, nil
	})
	if err != nil {
		return err
	}
	h.log.Info("activation key reissued", "request_id", requestID(c), "order", order.Reference)
	k := views.NewActivationKeyData(order, h.csrfToken(c))
	k.Reissued = true
	return h.renderActivationKey(c, k)
}

// licenseFile answers a signed .lic file, for releases that read files rather than keys.
func (h *Handler) licenseFile(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
		if err != nil {
			return err
		}
		doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(kind, order.Reference, l.Serial, []domain.License{l}, h.cfg.Now()))
		if err != nil {
			return err
		}
		c.Attachment(fmt.Sprintf("%s-%s.lic", l.ID, kind))
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(doc)
	}
}

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
	return render(c, status, views.LicenseDetailsPage(h.meta(c, "License "+d.License.ID, "licenses"), d))
}

// licenseRefresh re-reads a license as it stands now and says what changed since
// the customer last saw it (the version their page showed).
func (h *Handler) licenseRefresh(c *fiber.Ctx) error {
	l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	seen, err := strconv.Atoi(c.FormValue("seen"))
	if err != nil || seen < 0 {
		seen = l.Version
	}
	now := h.cfg.Now().UTC()
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) ([]domain.HistoryEntry, error) {
		cur, ok := u.License(l.ID)
		if !ok {
			return nil, errNotFound
		}
		l = *cur
		history, err := u.History(l.ID)
		if err != nil || !domain.RefreshWorthRecording(history, l, domain.ActorCustomer) {
			return nil, err
		}
		return []domain.HistoryEntry{{LicenseID: l.ID, At: now, Kind: domain.ChangeRefresh,
			Actor: domain.ActorCustomer, Note: "synchronised in the portal", Before: l, After: l}}, nil
	})
	if err != nil {
		return err
	}
	history, err := h.store.LicenseHistory(c.UserContext(), l.ID)
	if err != nil {
		return err
	}
	row, err := h.licenseRow(c, l)
	if err != nil {
		return err
	}
	row.Synced, row.SyncedAt, row.SyncChanges = true, now, domain.ChangesSince(history, seen, l)
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.LicenseRow(row))
	}
	return h.licensesPage(c, row)
}

// licenseRehost frees a license's serial, within the rehost limit.
func (h *Handler) licenseRehost(c *fiber.Ctx) error {
	l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) ([]domain.HistoryEntry, error) {
		cur, ok := u.License(l.ID)
		if !ok {
			return nil, errNotFound
		}
		history, err := u.History(l.ID)
		if err != nil {
			return nil, err
		}
		updated, entry, err := domain.Rehost(*cur, history, h.cfg.Rehost, now)
		if err != nil {
			return nil, err
		}
		*cur, l = updated, updated
		return []domain.HistoryEntry{entry}, nil
	})
	status, flash, kind := fiber.StatusOK, "The license was freed: activate it on the other computer with its activation key.", "info"
	if err != nil {
		if domain.KindOf(err) != domain.KindConflict {
			return err
		}
		status, flash, kind = fiber.StatusConflict, domain.MessageOf(err), "error"
	} else {
		h.log.Info("rehost", "request_id", requestID(c), "license", l.ID)
	}
	d, derr := h.licenseDetails(c, l)
	if derr != nil {
		return derr
	}
	d.Flash = views.FlashData{Kind: kind, Message: flash}
	if isPartial(c) {
		row, err := h.licenseRow(c, l)
		if err != nil {
			return err
		}
		row.OOB = true
		return render(c, status, views.RehostAnswer(d, row))
	}
	return h.renderLicenseDetails(c, status, d)
}
