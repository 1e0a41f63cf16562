package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
)

// apiActivate binds the order's unbound licenses to the serial and answers the
// signed license document for that computer.
func (h *Handler) apiActivate(c *fiber.Ctx) error {
	now := h.cfg.Now()
	ref, serial, onSerial, err := h.onKeyedOrder(c, func(u *domain.OrderUpdate, key, serial string) ([]domain.License, error) {
		return u.Activate(key, serial, now)
	})
	if err != nil {
		return err
	}
	h.log.Info("activation", "request_id", requestID(c), "order", ref, "licenses", len(onSerial))
	h.metrics.Activation(metrics.ViaAPI)
	return h.sendDocument(c, domain.DocKindLicense, ref, serial, onSerial)
}
