package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// errNoProduct is the answer for a license whose product is not in the catalog.
var errNoProduct = userError(domain.KindConflict, "error.no_product")

// licenseProduct returns the catalog entry of a license's product.
func (h *Handler) licenseProduct(ctx context.Context, l domain.License) (domain.Product, error) {
	p, found, err := h.store.Product(ctx, l.Software, l.Edition)
	if err != nil {
		return domain.Product{}, err
	}
	if !found {
		return domain.Product{}, errNoProduct
	}
	return p, nil
}

// parseAdd reads "workstations to add": a whole number, checked again by the quote.
func parseAdd(raw string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < domain.MinAddUsers || n > domain.MaxAddUsers {
		return 0, domain.ErrAddRange
	}
	return n, nil
}

// cancelledNote is what a page says when the customer came back from the
// payment page without paying.
func cancelledNote(c *fiber.Ctx) views.FlashData {
	if c.Query("cancelled") != "" {
		return views.FlashData{Kind: "info", Message: t(c, "payment.cancelled")}
	}
	return views.FlashData{}
}

// upgradeShow is the upgrade page: current users, support end, days left, and a
// quote that follows the number typed.
func (h *Handler) upgradeShow(c *fiber.Ctx) error {
	return h.upgradePage(c, fiber.StatusOK, c.Query("add"))
}

// upgradePage answers the upgrade page with status, its quote for add as
// typed (an unreadable number quotes as the refusal of the range).
func (h *Handler) upgradePage(c *fiber.Ctx, status int, typed string) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	page := views.UpgradePageData{License: views.NewLicenseRowData(l, now), CSRF: h.csrfToken(c), Flash: cancelledNote(c),
		PaymentsOff: !h.cfg.Payments.Available()}
	product, err := h.licenseProduct(c.UserContext(), l)
	if err == nil {
		err = domain.CanUpgrade(l, product, now)
	}
	switch {
	case domain.KindOf(err) == domain.KindConflict:
		page.Reason = err
		// An expired license is never a dead end: whatever else stops the
		// upgrade, a product still sold can have its support renewed.
		page.RenewFirst = product.Software != "" && !product.Retired && l.DaysLeft(now) <= 0
	case err != nil:
		return err
	default:
		add := 1
		if typed = strings.TrimSpace(typed); typed != "" {
			add, _ = strconv.Atoi(typed)
		}
		q, qerr := domain.QuoteUpgrade(l, product, add, now)
		page.Quote = views.NewUpgradeQuoteData(l.ID, q, qerr)
		page.Quote.Add = add
	}
	return render(c, status, views.UpgradePage(h.meta(c, t(c, "licenses.upgrade"), "licenses"), page))
}
