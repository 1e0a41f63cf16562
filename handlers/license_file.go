package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// errNotActivated is the answer for a license file of a license on no computer:
// the file names its computer, and a file for "any computer" would let a
// product skip activation and the rehost limit.
var errNotActivated = userError(domain.KindConflict, "error.not_activated")

// licenseFile answers a signed .lic file, for releases that read files rather
// than keys: license.lic for a license on a computer, support.lic for any.
func (h *Handler) licenseFile(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, order, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
		if err != nil {
			return err
		}
		if kind == domain.DocKindLicense && l.Serial == "" {
			return errNotActivated
		}
		return h.sendLicenseFile(c, kind, order.Reference, l)
	}
}
