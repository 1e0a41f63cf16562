package handlers

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// The two pairing endpoints speak RFC 8628 (and RFC 6749's token errors) to
// the letter, so that any OAuth 2.0 device-flow client works: form-encoded
// requests (JSON accepted too), JSON answers never cached, errors as
// {"error": code, "error_description": text} with status 400.

// oauthError is an RFC 6749 §5.2 error answer.
func oauthError(c *fiber.Ctx, code, description string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Pragma", "no-cache")
	body := fiber.Map{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	return c.Status(fiber.StatusBadRequest).JSON(body)
}

// oauthFields reads a request's fields: form-encoded as the RFCs say, or a
// JSON object of strings. client_id may come as HTTP Basic's user name
// (RFC 6749 §2.3.1), as some clients send it.
func oauthFields(c *fiber.Ctx, names ...string) (map[string]string, bool) {
	fields := map[string]string{}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		if json.Unmarshal(c.Body(), &fields) != nil {
			return nil, false
		}
	} else {
		form, err := url.ParseQuery(string(c.Body()))
		if err != nil {
			return nil, false
		}
		for _, name := range names {
			fields[name] = form.Get(name)
		}
	}
	if fields["client_id"] == "" {
		if user, ok := basicUser(c.Get(fiber.HeaderAuthorization)); ok {
			fields["client_id"] = user
		}
	}
	return fields, true
}

func basicUser(header string) (string, bool) {
	encoded, ok := strings.CutPrefix(header, "Basic ")
	if !ok {
		return "", false
	}
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", false
	}
	user, _, _ := strings.Cut(string(raw), ":")
	user, err = url.QueryUnescape(user)
	return user, err == nil
}

// apiPair is the device authorization endpoint (RFC 8628 §3.1, §3.2): the
// software asks, with its name (client_id), serial and hostname, and gets the
// codes to show.
func (h *Handler) apiPair(c *fiber.Ctx) error {
	fields, ok := oauthFields(c, "client_id", "serial", "hostname", "scope")
	if !ok {
		return oauthError(c, "invalid_request", "the body must be form-encoded (or one JSON object of strings)")
	}
	if _, err := h.spend(c, "too many pairing requests from this address; try again in %s", spent{ratePairings, h.limitKey(c)}); err != nil {
		if domain.KindOf(err) == domain.KindTooMany {
			setRetryAfter(c, err)
			return oauthError(c, "slow_down", domain.MessageOf(err))
		}
		return err
	}
	for attempt := 0; ; attempt++ {
		p, deviceCode, userCode, err := domain.NewPairing(fields["client_id"], fields["serial"], fields["hostname"], h.cfg.Now())
		if err != nil {
			return oauthError(c, "invalid_request", domain.MessageOf(err))
		}
		err = h.store.CreatePairing(c.UserContext(), p)
		if domain.KindOf(err) == domain.KindConflict && attempt < 3 {
			continue // a user code in use: draw another
		}
		if err != nil {
			return err
		}
		h.log.Info("pairing asked", "request_id", requestID(c), "software", p.Software)
		shown := domain.FormatUserCode(userCode)
		base := h.cfg.BaseURL
		if base == "" {
			base = c.BaseURL() // no public address configured (tests): the one asked
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{
			"device_code":               deviceCode,
			"user_code":                 shown,
			"verification_uri":          base + "/pair",
			"verification_uri_complete": base + "/pair?code=" + shown,
			"expires_in":                int(domain.PairingTTL.Seconds()),
			"interval":                  int(domain.PairingInterval.Seconds()),
		})
	}
}
