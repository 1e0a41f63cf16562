package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// A customer's ids are checked here, in one place: an order, license or purchase
// of another email answers exactly as a missing one does.

// ownOrder returns the order with the given reference when it belongs to email.
func (h *Handler) ownOrder(ctx context.Context, email, rawRef string) (domain.Order, error) {
	ref, ok := domain.NormalizeReference(rawRef)
	if !ok {
		return domain.Order{}, domain.ErrNotFound
	}
	order, found, err := h.store.Order(ctx, ref)
	if err != nil {
		return domain.Order{}, err
	}
	if !found || order.Email != email {
		return domain.Order{}, domain.ErrNotFound
	}
	return order, nil
}

// ownLicense returns the license with id and its order when the order belongs to email.
func (h *Handler) ownLicense(ctx context.Context, email, id string) (domain.License, domain.Order, error) {
	l, found, err := h.store.License(ctx, id)
	if err != nil {
		return domain.License{}, domain.Order{}, err
	}
	if !found {
		return domain.License{}, domain.Order{}, domain.ErrNotFound
	}
	order, err := h.ownOrder(ctx, email, l.OrderRef)
	if err != nil {
		return domain.License{}, domain.Order{}, err
	}
	return l, order, nil
}

// ownPurchase returns a purchase of the signed-in customer.
func (h *Handler) ownPurchase(c *fiber.Ctx) (domain.Purchase, error) {
	p, found, err := h.store.Purchase(c.UserContext(), c.Params("id"))
	if err != nil {
		return domain.Purchase{}, err
	}
	if !found || p.Email != customerEmail(c) {
		return domain.Purchase{}, domain.ErrNotFound
	}
	return p, nil
}
