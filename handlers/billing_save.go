package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// billingSave stores an order's billing details and issues the corrected
// invoice that they make; the same details again issue nothing. Bad details
// come back in the form with the reason, and nothing changes.
func (h *Handler) billingSave(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	typed := domain.Billing{
		Company: c.FormValue("company"), Address: strings.Split(c.FormValue("address"), "\n"),
		Postcode: c.FormValue("postcode"), City: c.FormValue("city"), Country: c.FormValue("country"),
		VATID: c.FormValue("vat_id"), PONumber: c.FormValue("po_number"),
	}
	if _, err := typed.Normalize(); err != nil {
		return h.refuseBilling(c, order, typed, err)
	}
	seller, err := h.seller(c.UserContext())
	if err != nil {
		return err
	}
	// A save that issues an invoice is a write the customer repeats at will: bounded.
	buckets, err := h.spend(c, "limit.billing", spent{rateBilling, customerEmail(c)})
	if err != nil {
		return err
	}
	issued := false
	now := h.cfg.Now()
	err = h.store.UpdateOrder(c.UserContext(), order.Reference, func(u *domain.OrderUpdate) error {
		var err error
		issued, err = u.ChangeBilling(typed, seller, now)
		order = u.Order
		return err
	})
	if !issued {
		h.refund(c, buckets)
	}
	switch {
	case domain.KindOf(err) == domain.KindInvalid || domain.KindOf(err) == domain.KindConflict:
		return h.refuseBilling(c, order, typed, err)
	case err != nil:
		return err
	}
	flash := views.FlashData{Kind: "info", Message: t(c, "billing.unchanged")}
	if issued {
		latest, _ := order.Invoice("")
		h.log.Info("corrected invoice issued", "request_id", requestID(c), "order", order.Reference, "invoice", latest.Number)
		flash.Message = t(c, "billing.saved", "Number", latest.Number, "Replaces", latest.Replaces)
	}
	licenses, err := h.orderLicenses(c.UserContext(), order)
	if err != nil {
		return err
	}
	details := views.NewOrderDetailsData(order, licenses, now)
	details.Flash = flash
	if isPartial(c) {
		return render(c, fiber.StatusOK, views.OrderDetails(details))
	}
	return render(c, fiber.StatusOK, views.OrderPage(h.meta(c, t(c, "order.title", "Order", order.Reference), "orders"), details))
}

// refuseBilling answers the form again, as typed, with why it was refused.
func (h *Handler) refuseBilling(c *fiber.Ctx, order domain.Order, typed domain.Billing, err error) error {
	d := views.NewBillingFormData(order, typed, h.csrfToken(c))
	d.Flash = views.FlashData{Kind: "error", Message: message(c, err)}
	var e *domain.Error
	d.VATInvalid = errors.As(err, &e) && strings.HasPrefix(e.Key, "vat.")
	status := statusOf(err)
	if domain.KindOf(err) == domain.KindInvalid {
		status = fiber.StatusUnprocessableEntity // the form is fine, what it says is not
	}
	return h.renderBillingForm(c, status, d)
}
