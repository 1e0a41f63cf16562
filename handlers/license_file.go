package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// licenseFile answers a signed .lic file, for releases that read files rather than keys.
func (h *Handler) licenseFile(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
		if err != nil {
			return err
		}
		doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(kind, order.Reference, l.Serial, []domain.License{l}, h.cfg.Now()))
		if err != nil {
			return err
		}
		c.Attachment(fmt.Sprintf("%s-%s.lic", l.ID, kind))
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(doc)
	}
}
