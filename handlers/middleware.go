package handlers

import (
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
		status = statusOf(fromFiber(err))
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
