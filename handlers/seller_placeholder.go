package handlers

import (
	"context"

	"portal/domain"
)

// seller is who issues invoices. (Placeholder until the seller settings land:
// the defaults alone.)
func (h *Handler) seller(ctx context.Context) (domain.Seller, error) {
	return domain.Seller{InvoicePrefix: domain.DefaultInvoicePrefix}, nil
}
