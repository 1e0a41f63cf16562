package handlers

import (
	"errors"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"portal/domain"
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

// meta is the common page data for this request.
func (h *Handler) meta(c *fiber.Ctx, title, nav string) views.LayoutData {
	return views.LayoutData{
		Brand:        h.cfg.Brand,
		SupportEmail: h.cfg.SupportEmail,
		Title:        title,
		CSRF:         h.csrfToken(c),
		Email:        customerEmail(c),
		Nav:          nav,
	}
}

// csrfToken is this request's CSRF token, for the forms a page or partial holds.
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	token, _ := c.Locals(csrfKey).(string)
	return token
}

// handleError is the one place where errors become statuses and answers: JSON
// for the licensing API, a message fragment for htmx, a page otherwise.
func (h *Handler) handleError(c *fiber.Ctx, err error) error {
	status, title, message := fiber.StatusInternalServerError, "Something went wrong", domain.MessageOf(err)
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status, message = fe.Code, fe.Message
		switch status {
		case fiber.StatusNotFound:
			title, message = "Not found", notFoundMessage
		case fiber.StatusForbidden:
			title = "Not allowed"
			if errors.Is(err, errFormExpired) {
				title = "Please try again"
			}
		case fiber.StatusTooManyRequests:
			title = "Too many attempts"
		default:
			title = "Request not accepted"
		}
	case errors.Is(err, errNotFound):
		status, title, message = fiber.StatusNotFound, "Not found", notFoundMessage
	case domain.KindOf(err) == domain.KindNotFound:
		status, title = fiber.StatusNotFound, "Not found"
		if errors.Is(err, domain.ErrNotFound) {
			message = notFoundMessage
		}
	case domain.KindOf(err) == domain.KindInvalid:
		status, title = fiber.StatusBadRequest, "Request not accepted"
	case domain.KindOf(err) == domain.KindConflict:
		status, title = fiber.StatusConflict, "Not possible right now"
	default:
		h.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "error", err.Error())
	}
	switch {
	case strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/webhooks/"):
		return c.Status(status).JSON(fiber.Map{"error": message})
	case isPartial(c):
		// Into the page's message area, never in place of what the request
		// targeted (a table row would vanish).
		c.Set("HX-Retarget", "#flash")
		c.Set("HX-Reswap", "innerHTML")
		return render(c, status, views.Flash(views.FlashData{Kind: "error", Message: message}))
	default:
		return render(c, status, views.ErrorPage(h.meta(c, title, ""), status, message))
	}
}

const notFoundMessage = "There is nothing here, or it belongs to another account."
