package handlers

import (
	"crypto/ed25519"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// apiPublicKey answers the key that checks license documents.
func (h *Handler) apiPublicKey(c *fiber.Ctx) error {
	pub := h.cfg.SigningKey.Public().(ed25519.PublicKey)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{"alg": domain.DocumentAlg, "public_key": base64.StdEncoding.EncodeToString(pub)})
}
