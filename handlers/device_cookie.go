package handlers

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// Device cookies, after OWASP's scheme: a browser that signed in successfully
// for an email carries a cookie that says so, signed by the portal. Its login
// attempts for that email then count against a bucket of the cookie's own
// rather than the email's, so that strangers guessing against the email never
// lock its owner out, and a stolen cookie still guesses slowly. The cookie
// holds a random nonce and a keyed digest of the email, never the email.
type deviceKind struct {
	cookie  string
	rate    domain.Rate
	purpose string
}

var (
	customerDevice = deviceKind{cookie: "portal_device", rate: rateLoginDevice, purpose: "customer"}
	staffDevice    = deviceKind{cookie: "portal_staff_device", rate: rateStaffDevice, purpose: "staff"}
)

const deviceCookieTTL = 365 * 24 * time.Hour

// deviceKeyFrom derives the key of device cookies from the signing key, so that
// every instance given the same key file trusts the same cookies.
func deviceKeyFrom(signingKey ed25519.PrivateKey) []byte {
	key, err := hkdf.Key(sha256.New, signingKey.Seed(), nil, "portal device cookie v1", 32)
	if err != nil {
		panic(err) // only for lengths that 32 is not
	}
	return key
}

func (h *Handler) deviceMAC(parts ...string) []byte {
	mac := hmac.New(sha256.New, h.deviceKey)
	mac.Write([]byte(strings.Join(parts, "\x00")))
	return mac.Sum(nil)
}

// accountDigest is the email as a device cookie names it.
func (h *Handler) accountDigest(kind deviceKind, email string) string {
	return base64.RawURLEncoding.EncodeToString(h.deviceMAC("account", kind.purpose, email)[:16])
}

// trustedDevice reports whether the request carries a device cookie signed for
// email, and answers the cookie's nonce, which names its own bucket.
func (h *Handler) trustedDevice(c *fiber.Ctx, kind deviceKind, email string) (nonce string, ok bool) {
	value := c.Cookies(kind.cookie)
	parts := strings.Split(value, ".")
	if len(value) > 200 || len(parts) != 3 {
		return "", false
	}
	mac, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(mac, h.deviceMAC("device", kind.purpose, parts[0], parts[1])) {
		return "", false
	}
	if !hmac.Equal([]byte(parts[1]), []byte(h.accountDigest(kind, email))) {
		return "", false
	}
	return parts[0], true
}

// trustDevice gives the browser a device cookie for email after a right login,
// unless it has one for that email already.
func (h *Handler) trustDevice(c *fiber.Ctx, kind deviceKind, email string) {
	if _, ok := h.trustedDevice(c, kind, email); ok {
		return
	}
	b := make([]byte, 16)
	rand.Read(b) // never fails: it panics if the system's source does
	nonce := base64.RawURLEncoding.EncodeToString(b)
	digest := h.accountDigest(kind, email)
	mac := base64.RawURLEncoding.EncodeToString(h.deviceMAC("device", kind.purpose, nonce, digest))
	h.setCookie(c, kind.cookie, nonce+"."+digest+"."+mac, deviceCookieTTL)
}
