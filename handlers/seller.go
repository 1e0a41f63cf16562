package handlers

import (
	"context"
	"slices"

	"portal/domain"
)

// seller is who issues the invoices: the details an admin saved on
// /admin/seller, or until one did, those main read from the PORTAL_SELLER_*
// settings (Config.Seller), with the default invoice number prefix.
func (h *Handler) seller(ctx context.Context) (domain.Seller, error) {
	s, _, err := h.sellerInForce(ctx)
	return s, err
}

// sellerInForce is seller, and whether an admin saved the details.
func (h *Handler) sellerInForce(ctx context.Context) (s domain.Seller, saved bool, err error) {
	s, saved, err = h.store.Seller(ctx)
	if err != nil {
		return domain.Seller{}, false, err
	}
	if !saved {
		s = h.cfg.Seller
		// The configuration is shared by every request: no caller may change its lines.
		s.Address = slices.Clone(s.Address)
	}
	if s.InvoicePrefix == "" {
		s.InvoicePrefix = domain.DefaultInvoicePrefix
	}
	return s, saved, nil
}
