package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// demoOutbox shows the mails a demo portal without SMTP "sent", newest first,
// so that its reminder and email change can be tried. Demo only: the route
// exists only when main gives a DemoOutbox.
func (h *Handler) demoOutbox(c *fiber.Ctx) error {
	return render(c, fiber.StatusOK, views.DemoOutboxPage(h.meta(c, t(c, "outbox.title"), ""), h.cfg.DemoOutbox.Mails()))
}
