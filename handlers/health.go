package handlers

import "github.com/gofiber/fiber/v2"

// health answers whether the portal and its database are up, and which build
// answers: behind a load balancer, that tells which instances run an upgrade.
func (h *Handler) health(c *fiber.Ctx) error {
	b := h.cfg.Build
	answer := fiber.Map{"status": "ok", "version": b.Version, "commit": b.Commit, "modified": b.Modified, "go": b.GoVersion}
	if err := h.store.Ping(c.UserContext()); err != nil {
		h.log.Error("health check failed", "error", err.Error())
		answer["status"] = "unavailable"
		return c.Status(fiber.StatusServiceUnavailable).JSON(answer)
	}
	return c.JSON(answer)
}
