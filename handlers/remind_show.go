package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// remindShow asks for the purchase email to send its order numbers to; without
// mail set up it points to support instead.
func (h *Handler) remindShow(c *fiber.Ctx) error {
	return h.remindPage(c, fiber.StatusOK, views.RemindPageData{})
}

func (h *Handler) remindPage(c *fiber.Ctx, status int, d views.RemindPageData) error {
	d.Offered = h.cfg.Mail != nil
	return render(c, status, views.RemindPage(h.meta(c, t(c, "remind.title"), ""), d))
}
