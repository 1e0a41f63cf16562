package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/metrics"
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
	if status == fiber.StatusOK && c.Route().Path == metricsPath {
		// A scrape every few seconds would drown the log; refused ones are kept.
		return err
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

// countRequests counts every request and its duration for the metrics, by the
// pattern of the route that answered.
func (h *Handler) countRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf(fromFiber(err))
	}
	h.metrics.Request(routeLabel(c), c.Method(), status, time.Since(start))
	return err
}

// unmatchedKey marks a request that no route matched: the last route it went
// through is then the final 404's middleware, whose pattern "/" is also the
// home page's.
const unmatchedKey = "unmatched"

// routeLabel is the pattern of the route that answered (/licenses/:id), never
// the raw path with its ids: static files under their prefix, and a request
// that no route matched as metrics.Unmatched.
func routeLabel(c *fiber.Ctx) string {
	if c.Locals(unmatchedKey) != nil {
		return metrics.Unmatched
	}
	return c.Route().Path
}

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return ""
}
