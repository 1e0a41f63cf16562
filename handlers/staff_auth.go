package handlers

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

const staffCookie = "portal_staff"

// staffSessionTTL is how long a staff member stays signed in.
const staffSessionTTL = 8 * time.Hour

const staffKey = "staff"

// loadStaff finds the staff member of the staff cookie. The account is read on
// every request, so that disabling it or changing its role takes effect at once.
func (h *Handler) loadStaff(c *fiber.Ctx) error {
	token := c.Cookies(staffCookie)
	if token == "" || len(token) > 128 {
		return c.Next()
	}
	sess, found, err := h.store.StaffSession(c.UserContext(), hashToken(token))
	if err != nil {
		return err
	}
	if !found {
		return c.Next()
	}
	user, found, err := h.store.StaffUser(c.UserContext(), sess.Email)
	if err != nil {
		return err
	}
	if found && user.SessionValid(sess.CreatedAt) {
		c.Locals(staffKey, user)
	}
	return c.Next()
}

func staffUser(c *fiber.Ctx) (domain.StaffUser, bool) {
	u, ok := c.Locals(staffKey).(domain.StaffUser)
	return u, ok
}

// requireStaff lets support and admin through; everyone else goes to the staff login.
func (h *Handler) requireStaff(c *fiber.Ctx) error {
	if _, ok := staffUser(c); ok {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
	if c.Get("HX-Request") != "" {
		c.Set("HX-Redirect", "/staff/login")
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect("/staff/login", fiber.StatusSeeOther)
}

// requireAdmin lets only admins through; support staff get 403.
func (h *Handler) requireAdmin(c *fiber.Ctx) error {
	u, ok := staffUser(c)
	if !ok {
		return h.requireStaff(c)
	}
	if u.Role != domain.RoleAdmin {
		return fiber.NewError(fiber.StatusForbidden, "Only administrators can open this page.")
	}
	return c.Next()
}

// staffMeta is the page data of a staff page.
func (h *Handler) staffMeta(c *fiber.Ctx, title, nav string) views.LayoutData {
	m := h.meta(c, title, nav)
	m.Email = ""
	if u, ok := staffUser(c); ok {
		m.Staff, m.Admin = u.Email, u.Role == domain.RoleAdmin
	}
	return m
}

func (h *Handler) staffLoginShow(c *fiber.Ctx) error {
	if _, ok := staffUser(c); ok {
		return c.Redirect("/staff/orders", fiber.StatusSeeOther)
	}
	return render(c, fiber.StatusOK, views.StaffLoginPage(h.staffMeta(c, "Staff login", ""), views.StaffLoginPageData{}))
}

const badStaffLogin = "Wrong email or password."

// staffLoginCheck signs staff in. A wrong email costs the same bcrypt work as a
// wrong password, and both get the same message.
func (h *Handler) staffLoginCheck(c *fiber.Ctx) error {
	email, _ := domain.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	form := views.StaffLoginPageData{Email: email}
	if len(email) > 254 || len(password) > 200 {
		form.Error = badStaffLogin
		return render(c, fiber.StatusBadRequest, views.StaffLoginPage(h.staffMeta(c, "Staff login", ""), form))
	}
	ip := h.clientIP(c)
	if ok, wait, _ := h.staffLogins.take(ip, email); !ok {
		return h.tooManyStaffLogins(c, form, wait)
	}
	user, found, err := h.store.StaffUser(c.UserContext(), email)
	if err != nil {
		return err
	}
	var hash []byte
	if found && !user.Disabled {
		hash = user.PasswordHash
	}
	if !domain.CheckPassword(hash, password) {
		h.log.Info("staff login failed", "request_id", requestID(c), "client_ip", ip, "authentication_failed", true)
		form.Error = badStaffLogin
		return render(c, fiber.StatusUnauthorized, views.StaffLoginPage(h.staffMeta(c, "Staff login", ""), form))
	}
	h.staffLogins.succeeded(ip, email)
	token, err := newSessionToken()
	if err != nil {
		return err
	}
	sess := domain.StaffSession{Email: email, CreatedAt: h.cfg.Now().UTC()}
	if err := h.store.CreateStaffSession(c.UserContext(), hashToken(token), sess, staffSessionTTL); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: staffCookie, Value: token, Path: "/", MaxAge: int(staffSessionTTL.Seconds()),
		HTTPOnly: true, Secure: h.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	renewCSRFToken(c)
	login := domain.AuditEntry{At: h.cfg.Now().UTC(), Staff: email, Action: "staff login", Detail: "from " + ip}
	if err := h.store.RecordAudit(c.UserContext(), login); err != nil {
		return err
	}
	h.log.Info("staff login", "request_id", requestID(c), "staff", email, "role", string(user.Role))
	return c.Redirect("/staff/orders", fiber.StatusSeeOther)
}

func (h *Handler) tooManyStaffLogins(c *fiber.Ctx, form views.StaffLoginPageData, wait time.Duration) error {
	seconds := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, fmt.Sprint(seconds))
	form.Error = fmt.Sprintf("Too many login attempts. Please wait %s and try again.", waitWords(seconds))
	return render(c, fiber.StatusTooManyRequests, views.StaffLoginPage(h.staffMeta(c, "Staff login", ""), form))
}

func (h *Handler) staffLogout(c *fiber.Ctx) error {
	if token := c.Cookies(staffCookie); token != "" {
		if err := h.store.DeleteStaffSession(c.UserContext(), hashToken(token)); err != nil {
			return err
		}
	}
	renewCSRFToken(c)
	c.Cookie(&fiber.Cookie{Name: staffCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: h.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/staff/login", fiber.StatusSeeOther)
}

// audit is an audit entry by the signed-in staff member.
func (h *Handler) audit(c *fiber.Ctx, action, detail string) domain.AuditEntry {
	u, _ := staffUser(c)
	return domain.AuditEntry{At: h.cfg.Now().UTC(), Staff: u.Email, Action: action, Detail: strings.TrimSpace(detail)}
}
