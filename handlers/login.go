package handlers

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"

	"portal/domain"
	"portal/views"
)

// badPair is the one message for any wrong email and order number: it never says which was wrong.
const badPair = "We could not find an order with this email address and order number. Please check both and try again."

func (h *Handler) home(c *fiber.Ctx) error {
	if customerEmail(c) != "" {
		return c.Redirect("/licenses", fiber.StatusSeeOther)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (h *Handler) loginShow(c *fiber.Ctx) error {
	if customerEmail(c) != "" {
		return c.Redirect("/licenses", fiber.StatusSeeOther)
	}
	return render(c, fiber.StatusOK, views.LoginPage(h.meta(c, "Log in", ""), views.LoginPageData{}))
}

// loginCheck signs a customer in with the email given at purchase and one order number.
func (h *Handler) loginCheck(c *fiber.Ctx) error {
	form := views.LoginPageData{
		Email: strings.TrimSpace(c.FormValue("email")),
		Order: strings.TrimSpace(c.FormValue("order")),
	}
	if len(form.Email) > 254 || len(form.Order) > 64 {
		form.Email, form.Order = "", ""
		form.Error = badPair
		return render(c, fiber.StatusBadRequest, views.LoginPage(h.meta(c, "Log in", ""), form))
	}
	if form.Email == "" || form.Order == "" {
		form.Error = "Please enter both the email address you gave during purchase and one of your order numbers."
		return render(c, fiber.StatusBadRequest, views.LoginPage(h.meta(c, "Log in", ""), form))
	}
	email, _ := domain.NormalizeEmail(form.Email)
	ref, _ := domain.NormalizeReference(form.Order)

	ip := h.clientIP(c)
	if ok, wait, bucket := h.logins.take(ip, email); !ok {
		return h.tooManyLogins(c, form, wait, bucket)
	}

	start := time.Now()
	matched, err := h.pairMatches(c, email, ref)
	if err != nil {
		return err
	}
	h.waitLoginFloor(start)
	if !matched {
		h.log.Info("login failed", "request_id", requestID(c), "client_ip", ip,
			"user_agent", c.Get(fiber.HeaderUserAgent), "authentication_failed", true)
		form.Error = badPair
		return render(c, fiber.StatusUnauthorized, views.LoginPage(h.meta(c, "Log in", ""), form))
	}
	h.logins.succeeded(ip, email)

	token, err := newSessionToken()
	if err != nil {
		return err
	}
	sess := domain.Session{Email: email, CreatedAt: h.cfg.Now().UTC()}
	if err := h.store.CreateSession(c.UserContext(), hashToken(token), sess, h.cfg.SessionTTL); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(h.cfg.SessionTTL.Seconds()),
		HTTPOnly: true,
		Secure:   h.cfg.Secure,
		SameSite: fiber.CookieSameSiteLaxMode,
	})
	renewCSRFToken(c)
	h.log.Info("login", "request_id", requestID(c), "client_ip", ip)
	return c.Redirect("/licenses", fiber.StatusSeeOther)
}

// pairMatches does the same work whether or not the order exists: one look-up by
// reference and one constant-time comparison of email digests.
func (h *Handler) pairMatches(c *fiber.Ctx, email, ref string) (bool, error) {
	order, found, err := h.store.Order(c.UserContext(), ref)
	if err != nil {
		return false, err
	}
	stored := "\x00no order\x00"
	if found {
		stored = order.Email
	}
	given, want := sha256.Sum256([]byte(email)), sha256.Sum256([]byte(stored))
	return subtle.ConstantTimeCompare(given[:], want[:]) == 1 && found, nil
}

// waitLoginFloor pads a login answer to the configured least duration.
func (h *Handler) waitLoginFloor(start time.Time) {
	if d := h.cfg.LoginFloor - time.Since(start); d > 0 {
		time.Sleep(d)
	}
}

func (h *Handler) tooManyLogins(c *fiber.Ctx, form views.LoginPageData, wait time.Duration, bucket string) error {
	seconds := int(math.Ceil(wait.Seconds()))
	h.log.Warn("login rate limited", "request_id", requestID(c), "client_ip", h.clientIP(c), "bucket", bucket)
	c.Set(fiber.HeaderRetryAfter, fmt.Sprint(seconds))
	form.Error = fmt.Sprintf("Too many login attempts. Please wait %s and try again.", waitWords(seconds))
	return render(c, fiber.StatusTooManyRequests, views.LoginPage(h.meta(c, "Log in", ""), form))
}

func waitWords(seconds int) string {
	if seconds <= 60 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", (seconds+59)/60)
}

func newSessionToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// logout ends the session on the server and in the browser.
func (h *Handler) logout(c *fiber.Ctx) error {
	if token := c.Cookies(sessionCookie); token != "" {
		if err := h.store.DeleteSession(c.UserContext(), hashToken(token)); err != nil {
			return err
		}
	}
	renewCSRFToken(c)
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		Expires: time.Unix(0, 0), HTTPOnly: true, Secure: h.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// renewCSRFToken drops the CSRF token when the session changes hands (login,
// logout); the next page makes a fresh one.
func renewCSRFToken(c *fiber.Ctx) {
	if handler, ok := c.Locals(csrf.ConfigDefault.HandlerContextKey).(*csrf.CSRFHandler); ok {
		handler.DeleteToken(c)
	}
}
