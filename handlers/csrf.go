package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
)

// csrfProtection checks the token of every state-changing request of the pages
// (a double-submit cookie whose tokens are kept in the store, so that they
// survive a restart) and makes one for the forms of each page.
func (h *Handler) csrfProtection() fiber.Handler {
	return csrf.New(csrf.Config{
		CookieName:     "portal_csrf",
		CookieSecure:   h.cfg.Secure,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		Expiration:     12 * time.Hour,
		Storage:        h.cfg.Tokens,
		ContextKey:     csrfKey,
		Extractor:      csrfFromHeaderOrForm,
		ErrorHandler:   h.csrfFailed,
	})
}

// csrfFromHeaderOrForm reads the token that htmx sends as a header, or that a
// plain form sends as the _csrf field.
func csrfFromHeaderOrForm(c *fiber.Ctx) (string, error) {
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t, nil
	}
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	return "", csrf.ErrTokenNotFound
}

func (h *Handler) csrfFailed(c *fiber.Ctx, err error) error {
	h.log.Warn("csrf check failed", "request_id", requestID(c), "client_ip", h.clientIP(c), "reason", err.Error())
	return errFormExpired
}

// csrfToken is this request's CSRF token, for the forms a page or partial holds.
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	token, _ := c.Locals(csrfKey).(string)
	return token
}
