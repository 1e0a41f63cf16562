package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// home sends a customer to their licenses and anyone else to the login page.
func (h *Handler) home(c *fiber.Ctx) error {
	if customerEmail(c) != "" {
		return c.Redirect("/licenses", fiber.StatusSeeOther)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// loginShow asks for the purchase email and an order number.
func (h *Handler) loginShow(c *fiber.Ctx) error {
	if customerEmail(c) != "" {
		return c.Redirect("/licenses", fiber.StatusSeeOther)
	}
	return h.loginPage(c, fiber.StatusOK, views.LoginPageData{})
}

func (h *Handler) loginPage(c *fiber.Ctx, status int, form views.LoginPageData) error {
	form.Remind = h.cfg.Mail != nil
	return render(c, status, views.LoginPage(h.meta(c, "Log in", ""), form))
}
