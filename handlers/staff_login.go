package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
	"portal/views"
)

// badStaffLogin is the one answer to a wrong email or password (a message key).
const badStaffLogin = "staff_login.wrong"

// staffLoginShow asks staff for their email and password.
func (h *Handler) staffLoginShow(c *fiber.Ctx) error {
	if _, ok := staffUser(c); ok {
		return c.Redirect("/staff/orders", fiber.StatusSeeOther)
	}
	return h.staffLoginPage(c, fiber.StatusOK, views.StaffLoginPageData{})
}

func (h *Handler) staffLoginPage(c *fiber.Ctx, status int, form views.StaffLoginPageData) error {
	return render(c, status, views.StaffLoginPage(h.staffMeta(c, t(c, "staff_login.title"), ""), form))
}

// staffLoginCheck signs staff in. A wrong email costs the same bcrypt work as a
// wrong password, and both get the same message.
func (h *Handler) staffLoginCheck(c *fiber.Ctx) error {
	email, _ := domain.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	form := views.StaffLoginPageData{Email: email}
	if len(email) > 254 || len(password) > 200 {
		form.Error = t(c, badStaffLogin)
		return h.staffLoginPage(c, fiber.StatusBadRequest, form)
	}
	attempt, err := h.loginAttempt(c, staffDevice, rateStaffAddress, email, spent{rateStaffEmail, email})
	if domain.KindOf(err) == domain.KindTooMany {
		h.metrics.LoginRefused(metrics.Staff, refusingLimit(err))
		setRetryAfter(c, err)
		form.Error = message(c, err)
		return h.staffLoginPage(c, statusOf(err), form)
	}
	if err != nil {
		return err
	}
	user, found, err := h.store.StaffUser(c.UserContext(), email)
	if err != nil {
		return err
	}
	var hash []byte
	if found && !user.Disabled {
		hash = user.PasswordHash
	}
	ip := h.clientIP(c)
	if !domain.CheckPassword(hash, password) {
		h.log.Info("staff login failed", "request_id", requestID(c), "client_ip", ip, "authentication_failed", true)
		form.Error = t(c, badStaffLogin)
		return h.staffLoginPage(c, fiber.StatusUnauthorized, form)
	}
	h.refund(c, attempt)
	token := newSessionToken()
	sess := domain.StaffSession{Email: email, CreatedAt: h.cfg.Now().UTC()}
	if err := h.store.CreateStaffSession(c.UserContext(), hashToken(token), sess, staffSessionTTL); err != nil {
		return err
	}
	h.setCookie(c, staffCookie, token, staffSessionTTL)
	h.trustDevice(c, staffDevice, email)
	h.renewCSRFToken(c)
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, email, "staff login", "from "+ip)); err != nil {
		return err
	}
	h.log.Info("staff login", "request_id", requestID(c), "staff", email, "role", string(user.Role))
	return c.Redirect("/staff/orders", fiber.StatusSeeOther)
}
