package handlers

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// pairShow is the /pair page: a customer who is not signed in signs in first
// and comes back to the same code; the code (any case, with or without its
// dash) shows the software that asks and the licenses it may get. A wrong code
// spends the address's limit, as a wrong activation key does.
func (h *Handler) pairShow(c *fiber.Ctx) error {
	typed := c.Query("code")
	if customerEmail(c) == "" {
		next := "/pair"
		if typed != "" {
			next += "?" + url.Values{"code": {typed}}.Encode()
		}
		return c.Redirect("/login?"+url.Values{"next": {next}}.Encode(), fiber.StatusSeeOther)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	d := views.PairPageData{Code: typed, CSRF: h.csrfToken(c)}
	if typed == "" {
		return h.pairPage(c, fiber.StatusOK, d)
	}
	p, code, err := h.pendingPairing(c, typed)
	if err != nil {
		return h.pairRefused(c, d, err)
	}
	licenses, err := h.store.LicensesByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return err
	}
	d.Request = views.NewPairRequestData(p, code, licenses, h.cfg.Now())
	return h.pairPage(c, fiber.StatusOK, d)
}

func (h *Handler) pairPage(c *fiber.Ctx, status int, d views.PairPageData) error {
	return render(c, status, views.PairPage(h.meta(c, t(c, "pair.title"), ""), d))
}

// pairRefused shows the code form again with why the code did not work.
func (h *Handler) pairRefused(c *fiber.Ctx, d views.PairPageData, err error) error {
	switch domain.KindOf(err) {
	case domain.KindTooMany:
		setRetryAfter(c, err)
	case domain.KindNotFound, domain.KindInvalid, domain.KindConflict:
	default:
		return err
	}
	d.Request = nil
	d.Flash = views.FlashData{Kind: "error", Message: message(c, err)}
	return h.pairPage(c, statusOf(err), d)
}

// pendingPairing finds the pairing a typed user code names and a person may
// still decide. Only a wrong code spends the address's limit; an address that
// ran out is refused before any look-up.
func (h *Handler) pendingPairing(c *fiber.Ctx, typed string) (domain.Pairing, string, error) {
	ctx, now, ip := c.UserContext(), h.cfg.Now(), h.limitKey(c)
	limit, err := h.store.TokenLeft(ctx, rateUserCodes, ip, now)
	if err != nil {
		return domain.Pairing{}, "", err
	}
	if !limit.OK {
		return domain.Pairing{}, "", tooMany("limit.pair_codes", limit.Wait)
	}
	code, ok := domain.NormalizeUserCode(typed)
	var p domain.Pairing
	found := false
	if ok {
		if p, found, err = h.store.PairingByUserCode(ctx, domain.HashLinkToken(code)); err != nil {
			return domain.Pairing{}, "", err
		}
	}
	if !found || !p.Decidable(now) {
		if _, err := h.store.SpendToken(ctx, rateUserCodes, ip, now); err != nil {
			return domain.Pairing{}, "", err
		}
		return domain.Pairing{}, "", domain.ErrPairingGone
	}
	return p, code, nil
}
