package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
)

// apiRefresh answers the current signed document of the licenses on the serial,
// after upgrades or renewals, and records the first refresh of each version.
func (h *Handler) apiRefresh(c *fiber.Ctx) error {
	now := h.cfg.Now()
	ref, serial, onSerial, err := h.onKeyedOrder(c, func(u *domain.OrderUpdate, key, serial string) ([]domain.License, error) {
		return u.RefreshFromSoftware(key, serial, now)
	})
	if err != nil {
		return err
	}
	h.metrics.Refresh(metrics.ViaAPI)
	return h.sendDocument(c, domain.DocKindLicense, ref, serial, onSerial)
}
