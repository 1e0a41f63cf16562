package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
	"portal/views"
)

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
	var history []domain.HistoryEntry
	id := l.ID
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
		var err error
		l, err = u.RefreshInPortal(id, now)
		history = u.History[id]
		return err
	})
	if err != nil {
		return err
	}
	h.metrics.Refresh(metrics.ViaPortal)
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
