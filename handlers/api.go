package handlers

import (
	"bytes"
	"crypto/ed25519"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// maxAPIBody bounds a licensing API request: two short strings need far less.
const maxAPIBody = 8 << 10

// apiRequest is the body of POST /api/v1/activate and /api/v1/refresh.
type apiRequest struct {
	ActivationKey string `json:"activation_key"`
	Serial        string `json:"serial"`
}

// parseAPIRequest reads and checks the body; unknown fields are ignored, so that
// newer releases of the software may send more.
func parseAPIRequest(c *fiber.Ctx) (key, serial string, err error) {
	body := c.Body()
	if len(body) > maxAPIBody {
		return "", "", fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxAPIBody))
	}
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

// errUnknownKey is the one answer for a key that belongs to no order.
var errUnknownKey = domain.NotFoundf("no order has this activation key")

// checkActivationKey finds the order of a key, spending a token of the caller's
// key-check bucket; a right key gives it back.
func (h *Handler) checkActivationKey(c *fiber.Ctx, rawKey string) (domain.Order, string, error) {
	if ok, wait := h.keyChecks.take(h.clientIP(c)); !ok {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		return domain.Order{}, "", fiber.NewError(fiber.StatusTooManyRequests, "too many wrong activation keys; try again later")
	}
	key, ok := domain.NormalizeActivationKey(rawKey)
	if !ok {
		h.log.Info("wrong activation key", "request_id", requestID(c), "client_ip", h.clientIP(c))
		return domain.Order{}, "", errUnknownKey
	}
	order, found, err := h.store.OrderByActivationKey(c.UserContext(), key)
	if err != nil {
		return domain.Order{}, "", err
	}
	if !found || !sameKey(order.ActivationKey, key) {
		h.log.Info("wrong activation key", "request_id", requestID(c), "client_ip", h.clientIP(c))
		return domain.Order{}, "", errUnknownKey
	}
	h.keyChecks.give(h.clientIP(c))
	return order, key, nil
}

// sameKey compares two activation keys in constant time.
func sameKey(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// changeKeyedOrder parses a licensing API request, checks its activation key and
// runs change on the key's order in one transaction. The key is compared again
// inside the transaction: it may have been reissued since the look-up.
func (h *Handler) changeKeyedOrder(c *fiber.Ctx, change func(u *domain.OrderUpdate, serial string) ([]domain.HistoryEntry, error)) (ref, serial string, err error) {
	rawKey, serial, err := parseAPIRequest(c)
	if err != nil {
		return "", "", err
	}
	order, key, err := h.checkActivationKey(c, rawKey)
	if err != nil {
		return "", "", err
	}
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) ([]domain.HistoryEntry, error) {
		if !sameKey(u.Order.ActivationKey, key) {
			return nil, errUnknownKey
		}
		return change(u, serial)
	})
	return order.Reference, serial, err
}

// apiActivate binds the order's unbound licenses to the serial and answers the
// signed license document for that computer.
func (h *Handler) apiActivate(c *fiber.Ctx) error {
	now := h.cfg.Now()
	var onSerial []domain.License
	ref, serial, err := h.changeKeyedOrder(c, func(u *domain.OrderUpdate, serial string) ([]domain.HistoryEntry, error) {
		var changes []domain.HistoryEntry
		var err error
		onSerial, changes, err = domain.Activate(u.Licenses, serial, now)
		return changes, err
	})
	if err != nil {
		return err
	}
	h.log.Info("activation", "request_id", requestID(c), "order", ref, "licenses", len(onSerial))
	return h.sendDocument(c, domain.DocKindLicense, ref, serial, onSerial)
}

// apiRefresh answers the current signed document of the licenses on the serial,
// after upgrades or renewals, and records the first refresh of each version.
func (h *Handler) apiRefresh(c *fiber.Ctx) error {
	now := h.cfg.Now()
	var onSerial []domain.License
	ref, serial, err := h.changeKeyedOrder(c, func(u *domain.OrderUpdate, serial string) ([]domain.HistoryEntry, error) {
		var err error
		if onSerial, err = domain.OnSerial(u.Licenses, serial); err != nil {
			return nil, err
		}
		var entries []domain.HistoryEntry
		for _, l := range onSerial {
			history, err := u.History(l.ID)
			if err != nil {
				return nil, err
			}
			if domain.RefreshWorthRecording(history, l, domain.ActorSoftware) {
				entries = append(entries, domain.HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: domain.ChangeRefresh,
					Actor: domain.ActorSoftware, Note: "refreshed by the software on " + serial, Before: l, After: l})
			}
		}
		return entries, nil
	})
	if err != nil {
		return err
	}
	return h.sendDocument(c, domain.DocKindLicense, ref, serial, onSerial)
}

func (h *Handler) sendDocument(c *fiber.Ctx, kind, ref, serial string, licenses []domain.License) error {
	doc, err := domain.Sign(h.cfg.SigningKey, domain.NewDocumentPayload(kind, ref, serial, licenses, h.cfg.Now()))
	if err != nil {
		return err
	}
	return c.JSON(doc)
}

// apiPublicKey answers the key that checks license documents.
func (h *Handler) apiPublicKey(c *fiber.Ctx) error {
	pub := h.cfg.SigningKey.Public().(ed25519.PublicKey)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{"alg": domain.DocumentAlg, "public_key": base64.StdEncoding.EncodeToString(pub)})
}
