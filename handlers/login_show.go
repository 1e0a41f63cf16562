package handlers

import (
	"net/url"
	"strings"

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
	return h.loginPage(c, fiber.StatusOK, views.LoginPageData{Next: safeNext(c.Query("next"))})
}

// safeNext is where a sign-in may send the browser on: only the pairing page
// (a customer who opened a pairing link signs in, then comes back to its
// code); anything else is dropped, so that the login is no open redirect.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Path != "/pair" || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return "/pair?" + url.Values{"code": {u.Query().Get("code")}}.Encode()
}

func (h *Handler) loginPage(c *fiber.Ctx, status int, form views.LoginPageData) error {
	form.Remind = h.cfg.Mail != nil
	return render(c, status, views.LoginPage(h.meta(c, t(c, "login.button"), ""), form))
}
