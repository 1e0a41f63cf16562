package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// Customers and staff sign in separately, each with a session of its own kept on
// the server under the SHA-256 of its cookie's token (a copy of the database
// opens no session).
const (
	sessionCookie   = "portal_session"
	staffCookie     = "portal_staff"
	staffSessionTTL = 8 * time.Hour
)

// Keys of the request's locals.
const (
	emailKey = "email"
	staffKey = "staff"
	csrfKey  = "csrf"
)

// setCookie is the one place that makes the portal's cookies: HttpOnly,
// SameSite=Lax, Secure on https. A ttl of 0 or less deletes the cookie.
func (h *Handler) setCookie(c *fiber.Ctx, name, value string, ttl time.Duration) {
	cookie := &fiber.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(ttl.Seconds()),
		HTTPOnly: true, Secure: h.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode}
	if ttl <= 0 {
		cookie.Value, cookie.MaxAge, cookie.Expires = "", -1, time.Unix(0, 0)
	}
	c.Cookie(cookie)
}

// newSessionToken is a fresh random cookie token (256 bits).
func newSessionToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: it panics if the system's source does
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how a session token is stored: a copy of the database opens no session.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// sessionHash is the stored form of the session token in cookie name, if the
// request carries a plausible one.
func sessionHash(c *fiber.Ctx, name string) (string, bool) {
	token := c.Cookies(name)
	if token == "" || len(token) > 128 {
		return "", false
	}
	return hashToken(token), true
}

// loadSessions finds who is signed in: the customer of the session cookie and
// the staff member of the staff cookie. A staff account is read on every
// request, so that disabling it or changing its role takes effect at once.
func (h *Handler) loadSessions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if hash, ok := sessionHash(c, sessionCookie); ok {
		sess, found, err := h.store.Session(ctx, hash)
		if err != nil {
			return err
		}
		if found {
			c.Locals(emailKey, sess.Email)
		}
	}
	if hash, ok := sessionHash(c, staffCookie); ok {
		sess, found, err := h.store.StaffSession(ctx, hash)
		if err != nil {
			return err
		}
		if found {
			user, found, err := h.store.StaffUser(ctx, sess.Email)
			if err != nil {
				return err
			}
			if found && user.SessionValid(sess.CreatedAt) {
				c.Locals(staffKey, user)
			}
		}
	}
	return c.Next()
}

// customerEmail is the signed-in customer's email, or "".
func customerEmail(c *fiber.Ctx) string {
	email, _ := c.Locals(emailKey).(string)
	return email
}

// staffUser is the signed-in staff member.
func staffUser(c *fiber.Ctx) (domain.StaffUser, bool) {
	u, ok := c.Locals(staffKey).(domain.StaffUser)
	return u, ok
}

// requireCustomer sends visitors without a session to the login page. Every
// customer route passes here, and every look-up behind it is by this email.
func (h *Handler) requireCustomer(c *fiber.Ctx) error {
	if customerEmail(c) == "" {
		return redirect(c, "/login", fiber.StatusUnauthorized)
	}
	// A customer's pages hold their addresses and keys: not for the browser's
	// cache, where Back would show them after logout on a shared computer.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// requireStaff lets support and admin through; everyone else goes to the staff login.
func (h *Handler) requireStaff(c *fiber.Ctx) error {
	if _, ok := staffUser(c); !ok {
		return redirect(c, "/staff/login", fiber.StatusUnauthorized)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// requireAdmin lets only admins through; support staff get 403.
func (h *Handler) requireAdmin(c *fiber.Ctx) error {
	u, ok := staffUser(c)
	if !ok {
		return h.requireStaff(c)
	}
	if u.Role != domain.RoleAdmin {
		return userError(domain.KindForbidden, "error.admins_only")
	}
	return c.Next()
}
