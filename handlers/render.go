package handlers

import (
	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// render writes a templ component as the HTML answer.
func render(c *fiber.Ctx, status int, component templ.Component) error {
	c.Status(status)
	c.Type("html", "utf-8")
	return component.Render(c.UserContext(), c.Response().BodyWriter())
}

// isPartial reports whether htmx asked for a fragment rather than a page. Boosted
// and history-restore requests want the whole page.
func isPartial(c *fiber.Ctx) bool {
	c.Vary("HX-Request")
	return c.Get("HX-Request") == "true" && c.Get("HX-Boosted") == "" && c.Get("HX-History-Restore-Request") == ""
}

// redirect sends the browser to path: a 303 for a page, and for htmx (which would
// otherwise swap the target page into a fragment) an HX-Redirect with status.
func redirect(c *fiber.Ctx, path string, htmxStatus int) error {
	if c.Get("HX-Request") != "" {
		c.Set("HX-Redirect", path)
		return c.SendStatus(htmxStatus)
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}

// meta is the common page data for this request; title is already in the
// request's language.
func (h *Handler) meta(c *fiber.Ctx, title, nav string) views.LayoutData {
	return views.LayoutData{
		Brand:        h.cfg.Brand,
		SupportEmail: h.cfg.SupportEmail,
		Title:        title,
		CSRF:         h.csrfToken(c),
		Email:        customerEmail(c),
		Nav:          nav,
		Langs:        h.langMenu(c),
	}
}
