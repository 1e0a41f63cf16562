package handlers

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// The licensing API's requests carry an activation key and a computer's serial;
// this is the prologue they share: read the body, check the key against its
// limit, then run one operation on the key's order.

// apiRequest is the body of POST /api/v1/activate and /api/v1/refresh.
type apiRequest struct {
	ActivationKey string `json:"activation_key"`
	Serial        string `json:"serial"`
}

// parseAPIRequest reads and checks the body; unknown fields are ignored, so that
// newer releases of the software may send more.
func parseAPIRequest(c *fiber.Ctx) (key, serial string, err error) {
	body := c.Body()
	var req apiRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil || dec.More() {
		return "", "", domain.Invalidf(`the request body must be one JSON object: {"activation_key": "...", "serial": "..."}`)
	}
	if req.ActivationKey == "" {
		return "", "", domain.Invalidf("activation_key is missing")
	}
	serial, ok := domain.NormalizeSerial(req.Serial)
	if !ok {
		return "", "", domain.Invalidf("serial must be 1 to 128 characters of plain text")
	}
	return req.ActivationKey, serial, nil
}

// checkActivationKey finds the order of a key. Only a wrong key spends a token
// of the caller's key-check bucket, so that many right activations at once from
// one address (a company behind one NAT) are never refused, while guesses from
// an address that has run out are refused before any look-up.
func (h *Handler) checkActivationKey(c *fiber.Ctx, rawKey string) (domain.Order, string, error) {
	ip, ctx, now := h.limitKey(c), c.UserContext(), h.cfg.Now()
	limit, err := h.store.TokenLeft(ctx, rateKeyChecks, ip, now)
	if err != nil {
		return domain.Order{}, "", err
	}
	if !limit.OK {
		return domain.Order{}, "", domain.TooMany(limit.Wait, "too many wrong activation keys; try again later")
	}
	key, ok := domain.NormalizeActivationKey(rawKey)
	var order domain.Order
	if ok {
		var found bool
		var err error
		if order, found, err = h.store.OrderByActivationKey(ctx, key); err != nil {
			return domain.Order{}, "", err
		}
		ok = found && domain.SameKey(order.ActivationKey, key)
	}
	if !ok {
		if _, err := h.store.SpendToken(ctx, rateKeyChecks, ip, now); err != nil {
			return domain.Order{}, "", err
		}
		h.log.Info("wrong activation key", "request_id", requestID(c), "client_ip", h.clientIP(c))
		return domain.Order{}, "", domain.ErrUnknownKey
	}
	return order, key, nil
}

// keyedOrderOperation is one licensing operation on the order of a key, for a serial.
type keyedOrderOperation func(u *domain.OrderUpdate, key, serial string) ([]domain.License, error)

// onKeyedOrder parses a licensing API request, checks its activation key and runs
// op on the key's order in one transaction, answering the order reference, the
// serial and the licenses the operation answered.
func (h *Handler) onKeyedOrder(c *fiber.Ctx, op keyedOrderOperation) (ref, serial string, licenses []domain.License, err error) {
	rawKey, serial, err := parseAPIRequest(c)
	if err != nil {
		return "", "", nil, err
	}
	order, key, err := h.checkActivationKey(c, rawKey)
	if err != nil {
		return "", "", nil, err
	}
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
		var err error
		licenses, err = op(u, key, serial)
		return err
	})
	return order.Reference, serial, licenses, err
}

// sendDocument answers the signed license document of licenses on serial.
func (h *Handler) sendDocument(c *fiber.Ctx, kind, ref, serial string, licenses []domain.License) error {
	doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(kind, ref, serial, licenses, h.cfg.Now()))
	if err != nil {
		return err
	}
	return c.JSON(doc)
}
