package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// errNoProduct is the answer for a license whose product is not in the catalog.
var errNoProduct = domain.Conflictf("This product is no longer in the catalog, so it cannot be bought from the portal. Please contact support.")

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
		return 0, domain.Invalidf("Enter a whole number of workstations to add, from %d to %d.", domain.MinAddUsers, domain.MaxAddUsers)
	}
	return n, nil
}

// upgradeShow is the upgrade page: current users, support end, days left, and a
// quote that follows the number typed.
func (h *Handler) upgradeShow(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	page := views.UpgradePageData{License: views.NewLicenseRowData(l, now), CSRF: h.csrfToken(c)}
	if c.Query("cancelled") != "" {
		page.Flash = views.FlashData{Kind: "info", Message: "The payment was cancelled; nothing was changed."}
	}
	product, err := h.licenseProduct(c.UserContext(), l)
	if err == nil {
		err = domain.CanUpgrade(l, product, now)
	}
	if err != nil {
		if domain.KindOf(err) != domain.KindConflict {
			return err
		}
		page.Reason = domain.MessageOf(err)
		page.RenewFirst = product.Upgradable && !product.Retired && l.DaysLeft(now) <= 0
		return render(c, fiber.StatusOK, views.UpgradePage(h.meta(c, "Upgrade", "licenses"), page))
	}
	add := 1
	if raw := c.Query("add"); raw != "" {
		add, _ = strconv.Atoi(raw)
	}
	q, qerr := domain.QuoteUpgrade(l, product, add, now)
	page.Quote = views.NewUpgradeQuoteData(l.ID, q, qerr)
	page.Quote.Add = add
	return render(c, fiber.StatusOK, views.UpgradePage(h.meta(c, "Upgrade", "licenses"), page))
}

// upgradeQuote answers the quote partial for ?add=N; bad input gets a message and
// no price.
func (h *Handler) upgradeQuote(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	product, err := h.licenseProduct(c.UserContext(), l)
	var q domain.UpgradeQuote
	if err == nil {
		var add int
		if add, err = parseAdd(c.Query("add")); err == nil {
			q, err = domain.QuoteUpgrade(l, product, add, h.cfg.Now())
		}
	}
	status := fiber.StatusOK
	switch domain.KindOf(err) {
	case domain.KindInternal:
		if err != nil {
			return err
		}
	case domain.KindInvalid:
		status = fiber.StatusUnprocessableEntity
	default:
		status = fiber.StatusConflict
	}
	return render(c, status, views.UpgradeQuote(views.NewUpgradeQuoteData(l.ID, q, err)))
}

// upgradeBuy prices the upgrade again on the server, locks it as a pending
// purchase and sends the customer to the hosted payment page.
func (h *Handler) upgradeBuy(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	add, err := parseAdd(c.FormValue("add"))
	if err != nil {
		return err
	}
	product, err := h.licenseProduct(c.UserContext(), l)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	q, err := domain.QuoteUpgrade(l, product, add, now)
	if err != nil {
		return err
	}
	return h.checkout(c, domain.NewUpgradePurchase(q, l, customerEmail(c), now))
}

// renewShow prices one more year of support for all of the license's users.
func (h *Handler) renewShow(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	var q domain.RenewalQuote
	product, err := h.licenseProduct(c.UserContext(), l)
	if err == nil {
		q, err = domain.QuoteRenewal(l, product, now)
	}
	if err != nil && domain.KindOf(err) == domain.KindInternal {
		return err
	}
	page := views.NewRenewPageData(views.NewLicenseRowData(l, now), q, err, h.csrfToken(c))
	if c.Query("cancelled") != "" {
		page.Flash = views.FlashData{Kind: "info", Message: "The payment was cancelled; nothing was changed."}
	}
	return render(c, fiber.StatusOK, views.RenewPage(h.meta(c, "Renew support", "licenses"), page))
}

// renewBuy locks a renewal quote and sends the customer to the payment page.
func (h *Handler) renewBuy(c *fiber.Ctx) error {
	l, _, err := h.ownLicense(c.UserContext(), customerEmail(c), c.Params("id"))
	if err != nil {
		return err
	}
	product, err := h.licenseProduct(c.UserContext(), l)
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	q, err := domain.QuoteRenewal(l, product, now)
	if err != nil {
		return err
	}
	return h.checkout(c, domain.NewRenewalPurchase(q, l, customerEmail(c), now))
}

// checkout records the pending purchase first (so that a payment can never arrive
// for a purchase we do not know), then opens the hosted payment page.
func (h *Handler) checkout(c *fiber.Ctx, p domain.Purchase) error {
	if p.Amount <= 0 {
		return domain.Conflictf("There is nothing to pay for this change. Please contact support to apply it.")
	}
	if err := h.store.CreatePurchase(c.UserContext(), p); err != nil {
		return err
	}
	back := h.cfg.BaseURL + "/purchases/" + p.ID
	sess, err := h.cfg.Payments.CreateCheckout(c.UserContext(), domain.CheckoutRequest{
		PurchaseID: p.ID, Description: p.Description, Amount: p.Amount, Currency: p.Currency,
		Email: p.Email, SuccessURL: back + "/success", CancelURL: back + "/cancel", ExpiresAt: p.ExpiresAt,
	})
	if domain.KindOf(err) == domain.KindConflict {
		return err
	}
	if err != nil {
		h.log.Error("checkout failed", "request_id", requestID(c), "purchase", p.ID, "error", err.Error())
		return errors.Join(errPaymentUnavailable, err)
	}
	if err := h.store.SetPurchaseCheckout(c.UserContext(), p.ID, sess.ID); err != nil {
		return err
	}
	h.log.Info("checkout", "request_id", requestID(c), "purchase", p.ID, "kind", string(p.Kind),
		"amount", p.Amount, "currency", p.Currency)
	return c.Redirect(sess.URL, fiber.StatusSeeOther)
}

var errPaymentUnavailable = fiber.NewError(fiber.StatusBadGateway, "The payment page could not be opened. Nothing was charged; please try again in a moment.")
