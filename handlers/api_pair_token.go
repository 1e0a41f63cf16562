package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// deviceCodeGrant is RFC 8628 §3.4's grant type.
const deviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"

// apiPairToken is the token endpoint (RFC 8628 §3.4, §3.5): the software polls
// with its device code until the person decided. An approval is answered
// once, with the activation key as the access token and the signed license
// document of the serial.
func (h *Handler) apiPairToken(c *fiber.Ctx) error {
	fields, ok := oauthFields(c, "grant_type", "device_code", "client_id")
	switch {
	case !ok:
		return oauthError(c, "invalid_request", "the body must be form-encoded (or one JSON object of strings)")
	case fields["grant_type"] != deviceCodeGrant:
		return oauthError(c, "unsupported_grant_type", "grant_type must be "+deviceCodeGrant)
	case fields["device_code"] == "":
		return oauthError(c, "invalid_request", "device_code is missing")
	}
	now := h.cfg.Now()
	var answer fiber.Map
	deliver := func(p domain.Pairing) error {
		var err error
		answer, err = h.pairingToken(c, p, now)
		return err
	}
	p, outcome, found, err := h.store.PollPairing(c.UserContext(), domain.HashLinkToken(fields["device_code"]), now, deliver)
	switch {
	case err != nil:
		// Never a 5xx to a device-flow client: it would give up. It polls
		// again, and the approval waits for it.
		h.log.Error("pairing poll failed", "request_id", requestID(c), "error", err.Error())
		return oauthError(c, string(domain.PollPending), "the portal could not answer just now; poll again")
	case !found || (fields["client_id"] != "" && fields["client_id"] != p.Software):
		return oauthError(c, "invalid_grant", "no pairing has this device code for this client")
	case outcome != domain.PollToken:
		return oauthError(c, string(outcome), "")
	}
	h.log.Info("pairing collected", "request_id", requestID(c), "order", p.OrderRef, "licenses", len(p.LicenseIDs))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Pragma", "no-cache")
	return c.JSON(answer)
}

// pairingToken is the answer of an approved pairing: the order's activation
// key and the signed document of the licenses on the pairing's serial.
func (h *Handler) pairingToken(c *fiber.Ctx, p domain.Pairing, now time.Time) (fiber.Map, error) {
	order, found, err := h.store.Order(c.UserContext(), p.OrderRef)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, domain.NotFoundf("order %s is gone", p.OrderRef)
	}
	licenses, err := h.store.Licenses(c.UserContext(), order.LicenseIDs)
	if err != nil {
		return nil, err
	}
	onSerial, err := domain.OnSerial(licenses, p.Serial)
	if err != nil {
		return nil, err
	}
	doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(domain.DocKindLicense, order.Reference, p.Serial, onSerial, now))
	if err != nil {
		return nil, err
	}
	return fiber.Map{"access_token": order.ActivationKey, "token_type": "N_A", "activation_key": order.ActivationKey, "license": doc}, nil
}
