package handlers

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/metrics"
	"portal/views"
)

// badPair is the key of the one message for any wrong email and order number:
// it never says which was wrong.
const badPair = "login.bad_pair"

// loginCheck signs a customer in with the email given at purchase and one order number.
func (h *Handler) loginCheck(c *fiber.Ctx) error {
	form := views.LoginPageData{
		Email: strings.TrimSpace(c.FormValue("email")),
		Order: strings.TrimSpace(c.FormValue("order")),
		Next:  safeNext(c.FormValue("next")),
	}
	if len(form.Email) > 254 || len(form.Order) > 64 {
		return h.loginPage(c, fiber.StatusBadRequest, views.LoginPageData{Error: t(c, badPair)})
	}
	if form.Email == "" || form.Order == "" {
		form.Error = t(c, "login.both")
		return h.loginPage(c, fiber.StatusBadRequest, form)
	}
	email, _ := domain.NormalizeEmail(form.Email)
	ref, _ := domain.NormalizeReference(form.Order)

	attempt, err := h.loginAttempt(c, customerDevice, rateLoginAddress, email,
		spent{rateLoginEmail, email}, spent{rateLoginOrder, ref})
	if err != nil {
		return h.loginRefused(c, form, err)
	}
	start := time.Now()
	matched, err := h.pairMatches(c, email, ref)
	if err != nil {
		return err
	}
	h.waitLoginFloor(start)
	ip := h.clientIP(c)
	if !matched {
		h.log.Info("login failed", "request_id", requestID(c), "client_ip", ip,
			"user_agent", c.Get(fiber.HeaderUserAgent), "authentication_failed", true)
		form.Error = t(c, badPair)
		return h.loginPage(c, fiber.StatusUnauthorized, form)
	}
	h.refund(c, attempt)
	// A right pair still makes a session each time: a customer's sign-ins are
	// bounded too.
	if _, err := h.spend(c, "limit.sign_ins", spent{rateSignIns, email}); err != nil {
		return h.loginRefused(c, form, err)
	}

	if err := h.startSession(c, email); err != nil {
		return err
	}
	h.log.Info("login", "request_id", requestID(c), "client_ip", ip)
	if form.Next != "" {
		return c.Redirect(form.Next, fiber.StatusSeeOther)
	}
	return c.Redirect("/licenses", fiber.StatusSeeOther)
}

// startSession signs the browser in as email: a new session, this browser
// trusted for it, and a new CSRF token.
func (h *Handler) startSession(c *fiber.Ctx, email string) error {
	token := newSessionToken()
	sess := domain.Session{Email: email, CreatedAt: h.cfg.Now().UTC()}
	if err := h.store.CreateSession(c.UserContext(), hashToken(token), sess, h.cfg.SessionTTL); err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, token, h.cfg.SessionTTL)
	h.trustDevice(c, customerDevice, email)
	h.renewCSRFToken(c)
	return nil
}

// loginRefused shows the login form again with why a limit refused it.
func (h *Handler) loginRefused(c *fiber.Ctx, form views.LoginPageData, err error) error {
	if domain.KindOf(err) != domain.KindTooMany {
		return err
	}
	h.metrics.LoginRefused(metrics.Customer, refusingLimit(err))
	setRetryAfter(c, err)
	form.Error = message(c, err)
	return h.loginPage(c, statusOf(err), form)
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
