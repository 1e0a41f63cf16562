package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// staffOrderShow is an order with the customer's partials, every license's
// history and the payments flagged for it.
func (h *Handler) staffOrderShow(c *fiber.Ctx) error {
	return h.staffOrderPage(c, fiber.StatusOK, views.FlashData{})
}

func (h *Handler) staffOrderPage(c *fiber.Ctx, status int, flash views.FlashData) error {
	order, err := h.staffOrder(c)
	if err != nil {
		return err
	}
	licenses, err := h.orderLicenses(c.UserContext(), order)
	if err != nil {
		return err
	}
	details := make([]views.LicenseDetailsData, len(licenses))
	for i, l := range licenses {
		if details[i], err = h.licenseDetails(c, l); err != nil {
			return err
		}
		details[i].ReadOnly = true
	}
	flagged, err := h.store.FlaggedPurchases(c.UserContext())
	if err != nil {
		return err
	}
	page := views.StaffOrderPageData{Details: views.NewOrderDetailsData(order, licenses, h.cfg.Now()).ForStaff(order), Licenses: details,
		Key: domain.FormatActivationKey(order.ActivationKey), EmailChange: h.cfg.Mail != nil, CSRF: h.csrfToken(c), Flash: flash}
	for _, l := range h.langs.Langs() {
		page.MailLangs = append(page.MailLangs, views.LangChoiceData{Code: l.Code, Name: l.Name, Chosen: l == lang(c)})
	}
	for _, p := range flagged {
		if p.OrderRef == order.Reference {
			page.Flagged = append(page.Flagged, views.NewFlaggedPaymentData(p))
		}
	}
	return render(c, status, views.StaffOrderPage(h.staffMeta(c, t(c, "order.title", "Order", order.Reference), "staff-orders"), page))
}

// staffOrder is the order that the route's :ref names, for staff: any order.
func (h *Handler) staffOrder(c *fiber.Ctx) (domain.Order, error) {
	ref, ok := domain.NormalizeReference(c.Params("ref"))
	if !ok {
		return domain.Order{}, domain.ErrNotFound
	}
	order, found, err := h.store.Order(c.UserContext(), ref)
	if err != nil {
		return domain.Order{}, err
	}
	if !found {
		return domain.Order{}, domain.ErrNotFound
	}
	return order, nil
}
