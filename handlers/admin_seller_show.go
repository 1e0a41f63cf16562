package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/views"
)

// adminSellerShow is the seller details form, filled with the details in force.
func (h *Handler) adminSellerShow(c *fiber.Ctx) error {
	s, saved, err := h.sellerInForce(c.UserContext())
	if err != nil {
		return err
	}
	return h.renderSeller(c, fiber.StatusOK, views.NewAdminSellerPageData(s, saved))
}

func (h *Handler) renderSeller(c *fiber.Ctx, status int, d views.AdminSellerPageData) error {
	return render(c, status, views.AdminSellerPage(h.staffMeta(c, t(c, "seller.title"), "admin-seller"), d))
}
