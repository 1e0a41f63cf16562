package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows only the portal's own scripts and styles: no inline
// script, no third party, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (h *Handler) securityHeaders(c *fiber.Ctx) error {
	if h.cfg.Secure {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Frame-Options", "DENY")
	c.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: Fiber's CSRF check on https needs the Referer of
	// the portal's own forms.
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	return c.Next()
}

// logRequests writes one structured line per request. It logs the path without the
// query string, which may hold a search for an activation key.
func (h *Handler) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	h.log.Info("request",
		"request_id", requestID(c),
		"method", c.Method(),
		"path", c.Path(),
		"status", status,
		"duration_ms", time.Since(start).Milliseconds(),
		"client_ip", h.clientIP(c),
	)
	return err
}

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return ""
}

const sessionCookie = "portal_session"

// hashToken is how a session token is stored: a copy of the database opens no session.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// loadSession finds the customer's session from its cookie, if any.
func (h *Handler) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" || len(token) > 128 {
		return c.Next()
	}
	sess, found, err := h.store.Session(c.UserContext(), hashToken(token))
	if err != nil {
		return err
	}
	if found {
		c.Locals(emailKey, sess.Email)
	}
	return c.Next()
}

const emailKey = "email"

// customerEmail is the signed-in customer's email, or "".
func customerEmail(c *fiber.Ctx) string {
	email, _ := c.Locals(emailKey).(string)
	return email
}

// requireCustomer sends visitors without a session to the login page. Every
// customer route passes here, and every look-up behind it is by this email.
func (h *Handler) requireCustomer(c *fiber.Ctx) error {
	if customerEmail(c) != "" {
		// A customer's pages hold their addresses and keys: not for the browser's
		// cache, where Back would show them after logout on a shared computer.
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
	if c.Get("HX-Request") != "" {
		c.Set("HX-Redirect", "/login")
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
