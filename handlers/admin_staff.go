package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// adminStaff lists the staff accounts.
func (h *Handler) adminStaff(c *fiber.Ctx) error {
	return h.renderStaff(c, fiber.StatusOK, views.FlashData{})
}

func (h *Handler) renderStaff(c *fiber.Ctx, status int, a views.FlashData) error {
	users, err := h.store.StaffUsers(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]views.StaffRowData, len(users))
	for i, u := range users {
		rows[i] = views.StaffRowData{Email: u.Email, Role: string(u.Role), Disabled: u.Disabled, CreatedAt: u.CreatedAt}
	}
	return render(c, status, views.AdminStaffPage(h.staffMeta(c, t(c, "staff_admin.title"), "admin-staff"), a, rows))
}

// staffChangeAnswer shows the staff page after a change: the refusal's reason
// with its status, or what was saved.
func (h *Handler) staffChangeAnswer(c *fiber.Ctx, err error, done string) error {
	switch domain.KindOf(err) {
	case domain.KindInvalid, domain.KindConflict:
		return h.renderStaff(c, statusOf(err), views.FlashData{Kind: "error", Message: message(c, err)})
	case domain.KindInternal:
		if err == nil {
			return h.renderStaff(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: done})
		}
	}
	return err
}

// adminStaffSave adds an account, or resets the password and role of one.
func (h *Handler) adminStaffSave(c *fiber.Ctx) error {
	email, ok := domain.NormalizeEmail(c.FormValue("email"))
	role, err := domain.ParseRole(c.FormValue("role"))
	if !ok {
		err = domain.NotAnEmail(c.FormValue("email"))
	}
	var hash []byte
	if err == nil {
		hash, err = domain.HashPassword(c.FormValue("password"))
	}
	if err != nil {
		return h.staffChangeAnswer(c, err, "")
	}
	accounts, err := h.store.StaffUsers(c.UserContext())
	if err != nil {
		return err
	}
	user, action, err := domain.SaveStaffAccount(accounts, email, role, hash, h.cfg.Now())
	if err == nil {
		err = h.store.SaveStaffUser(c.UserContext(), user, h.audit(c, "", action, email+" as "+string(role)))
	}
	return h.staffChangeAnswer(c, err, t(c, "staff_admin.saved", "Email", email))
}

// adminStaffDisable disables or enables an account; its sessions stop at once
// because every request reads the account.
func (h *Handler) adminStaffDisable(c *fiber.Ctx) error {
	email, _ := domain.NormalizeEmail(c.FormValue("email"))
	accounts, err := h.store.StaffUsers(c.UserContext())
	if err != nil {
		return err
	}
	me, _ := staffUser(c)
	user, action, err := domain.SetStaffDisabled(accounts, me.Email, email, c.FormValue("disabled") == "1", h.cfg.Now())
	if err == nil {
		err = h.store.SaveStaffUser(c.UserContext(), user, h.audit(c, "", action, email))
	}
	return h.staffChangeAnswer(c, err, action+": "+email)
}
