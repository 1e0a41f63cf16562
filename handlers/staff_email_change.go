package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// staffEmailChange asks, for a customer, to move every order of the order's
// email to a new one, as the customer can: the new address confirms, the old
// one is told and may cancel. The request is audited with who asked.
func (h *Handler) staffEmailChange(c *fiber.Ctx) error {
	order, err := h.staffOrder(c)
	if err != nil {
		return err
	}
	if h.cfg.Mail == nil {
		return h.staffOrderPage(c, fiber.StatusServiceUnavailable, views.FlashData{Kind: "error", Message: t(c, "staff_order.no_mail")})
	}
	// The mails are the customer's to read: support picks their language,
	// by default the staff member's own.
	frame := h.mailFrame(c)
	if code := c.FormValue("mail_lang"); code != "" {
		l, ok := h.langs.Lang(code)
		if !ok {
			return h.staffOrderPage(c, fiber.StatusUnprocessableEntity, views.FlashData{Kind: "error", Message: t(c, "staff_order.bad_mail_language")})
		}
		frame.Lang = l
	}
	staff, _ := staffUser(c)
	change, err := domain.NewEmailChange(domain.NewEmailChangeID(), order.Email, strings.TrimSpace(c.FormValue("email")), staff.Email, h.cfg.Now())
	if err != nil {
		return h.staffOrderPage(c, fiber.StatusUnprocessableEntity, views.FlashData{Kind: "error", Message: message(c, err)})
	}
	audit := h.audit(c, "", "email change asked", order.Reference+": "+change.OldEmail+" → "+change.NewEmail)
	flash, err := h.requestEmailChange(c, change, frame, &audit)
	if err != nil {
		return err
	}
	return h.staffOrderPage(c, fiber.StatusOK, flash)
}
