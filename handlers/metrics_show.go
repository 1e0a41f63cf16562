package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/metrics"
)

const metricsPath = "/metrics"

// metricsShow answers the metrics in Prometheus' text format to a bearer of
// the metrics token, and a bare 401 to anyone else. It reads counters kept in
// memory and counts the outboxes: it writes nothing.
func (h *Handler) metricsShow(c *fiber.Ctx) error {
	if !h.metricsBearer(c.Get(fiber.HeaderAuthorization)) {
		c.Set(fiber.HeaderWWWAuthenticate, "Bearer")
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	c.Set(fiber.HeaderContentType, metrics.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := h.metrics.WriteText(c.Response().BodyWriter()); err != nil {
		// The rest is answered: a missing series shows which count failed.
		h.log.Warn("metrics left out of a scrape", "request_id", requestID(c), "error", err.Error())
	}
	return nil
}

// metricsBearer reports whether an Authorization header carries the metrics
// token. The digests are compared in constant time, so that the time taken
// tells neither how much of a guess was right nor the token's length.
func (h *Handler) metricsBearer(authorization string) bool {
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || h.cfg.MetricsToken == "" || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	given := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return subtle.ConstantTimeCompare(given[:], h.metricsToken[:]) == 1
}
