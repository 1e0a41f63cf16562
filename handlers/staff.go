package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// staffMeta is the page data of a staff page.
func (h *Handler) staffMeta(c *fiber.Ctx, title, nav string) views.LayoutData {
	m := h.meta(c, title, nav)
	m.Email = ""
	if u, ok := staffUser(c); ok {
		m.Staff, m.Admin = u.Email, u.Role == domain.RoleAdmin
	}
	return m
}

// audit is an audit entry by staff member who (the signed-in one when empty).
func (h *Handler) audit(c *fiber.Ctx, who, action, detail string) domain.AuditEntry {
	if who == "" {
		u, _ := staffUser(c)
		who = u.Email
	}
	return domain.AuditEntry{At: h.cfg.Now().UTC(), Staff: who, Action: action, Detail: strings.TrimSpace(detail)}
}
