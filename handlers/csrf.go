package handlers

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// CSRF protection that writes nothing: a browser carries a random value in the
// portal_csrf cookie, and its forms carry the HMAC of that value under a key
// derived from the license-signing key. Checking a token needs no stored copy,
// so a page view writes nothing, and a token survives a restart and holds on
// every instance that is given the same key file. A cross-site request is also
// refused by what the browser says of its origin (Sec-Fetch-Site, Origin),
// whatever its token.

const (
	csrfCookie = "portal_csrf"
	csrfHeader = "X-CSRF-Token"
	csrfField  = "_csrf"
)

// csrfKeyFrom derives the key that signs CSRF tokens from the signing key, so
// that every instance given the same key file accepts the same tokens.
func csrfKeyFrom(signingKey ed25519.PrivateKey) []byte {
	key, err := hkdf.Key(sha256.New, signingKey.Seed(), nil, "portal csrf token v1", 32)
	if err != nil {
		panic(err) // only for lengths that 32 is not
	}
	return key
}

// csrfTokenFor is the token of the browser whose cookie holds seed.
func (h *Handler) csrfTokenFor(seed string) string {
	mac := hmac.New(sha256.New, h.csrfKey)
	mac.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfProtection checks every state-changing request of the pages, and gives
// each page the token for its forms (htmx sends it as the X-CSRF-Token header).
func (h *Handler) csrfProtection(c *fiber.Ctx) error {
	seed := c.Cookies(csrfCookie)
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		if err := h.checkCSRF(c, seed); err != nil {
			h.log.Warn("csrf check failed", "request_id", requestID(c), "client_ip", h.clientIP(c), "reason", err.Error())
			return errFormExpired
		}
	}
	if len(seed) != 43 {
		seed = h.newCSRFSeed(c)
	}
	c.Locals(csrfKey, h.csrfTokenFor(seed))
	return c.Next()
}

// sameOrigin reports whether origin is the portal's: its public base URL, or the
// host the request was sent to.
func (h *Handler) sameOrigin(c *fiber.Ctx, origin string) bool {
	if origin == h.baseOrigin {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == c.Hostname()
}

type csrfRefusal string

func (r csrfRefusal) Error() string { return string(r) }

// checkCSRF refuses a request that a browser says came from another site, and
// one whose token is not the one of its cookie.
func (h *Handler) checkCSRF(c *fiber.Ctx, seed string) error {
	switch c.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return csrfRefusal("cross-site request")
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !h.sameOrigin(c, origin) {
		return csrfRefusal("request from another origin")
	}
	token := c.Get(csrfHeader)
	if token == "" {
		token = c.FormValue(csrfField)
	}
	if seed == "" || token == "" {
		return csrfRefusal("no token")
	}
	if !hmac.Equal([]byte(token), []byte(h.csrfTokenFor(seed))) {
		return csrfRefusal("wrong token")
	}
	return nil
}

// newCSRFSeed gives the browser a fresh random seed, and so a fresh token: at
// first sight, and whenever the session changes hands (login, logout). The
// cookie lives as long as the browser session.
func (h *Handler) newCSRFSeed(c *fiber.Ctx) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: it panics if the system's source does
	seed := base64.RawURLEncoding.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: seed, Path: "/",
		HTTPOnly: true, Secure: h.cfg.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	return seed
}

// renewCSRFToken gives the browser a new token when the session changes hands.
func (h *Handler) renewCSRFToken(c *fiber.Ctx) {
	c.Locals(csrfKey, h.csrfTokenFor(h.newCSRFSeed(c)))
}

// csrfToken is this request's CSRF token, for the forms a page or partial holds.
func (h *Handler) csrfToken(c *fiber.Ctx) string {
	token, _ := c.Locals(csrfKey).(string)
	return token
}
