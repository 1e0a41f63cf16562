package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// logout ends the customer's session on the server and in the browser.
func (h *Handler) logout(c *fiber.Ctx) error {
	return h.endSession(c, sessionCookie, h.store.DeleteSession, "/login")
}

// staffLogout ends the staff session on the server and in the browser.
func (h *Handler) staffLogout(c *fiber.Ctx) error {
	return h.endSession(c, staffCookie, h.store.DeleteStaffSession, "/staff/login")
}

// endSession deletes the session of cookie on the server, clears the cookie and
// the CSRF token, and goes to the login page next.
func (h *Handler) endSession(c *fiber.Ctx, cookie string, deleteSession func(ctx context.Context, hash string) error, next string) error {
	if hash, ok := sessionHash(c, cookie); ok {
		if err := deleteSession(c.UserContext(), hash); err != nil {
			return err
		}
	}
	h.renewCSRFToken(c)
	h.setCookie(c, cookie, "", 0)
	return c.Redirect(next, fiber.StatusSeeOther)
}
