package handlers

import "github.com/gofiber/fiber/v2"

// health answers whether the portal and its database are up.
func (h *Handler) health(c *fiber.Ctx) error {
	if err := h.store.Ping(c.UserContext()); err != nil {
		h.log.Error("health check failed", "error", err.Error())
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
