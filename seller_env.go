package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"portal/domain"
)

// sellerFromEnv reads the seller details that invoices show until an admin
// saves others on /admin/seller: PORTAL_SELLER_NAME, PORTAL_SELLER_ADDRESS
// (lines separated by newlines, or by the two characters \n, since env files
// often cannot hold a newline), PORTAL_SELLER_VAT_ID and PORTAL_INVOICE_PREFIX
// (default INV-). Details that are set but invalid stop the start: a portal
// would otherwise issue invoices that the law does not accept.
func sellerFromEnv() (domain.Seller, error) {
	s := domain.Seller{
		Name:          os.Getenv("PORTAL_SELLER_NAME"),
		VATID:         os.Getenv("PORTAL_SELLER_VAT_ID"),
		InvoicePrefix: env("PORTAL_INVOICE_PREFIX", domain.DefaultInvoicePrefix),
	}
	if address := os.Getenv("PORTAL_SELLER_ADDRESS"); address != "" {
		s.Address = strings.Split(strings.ReplaceAll(address, `\n`, "\n"), "\n")
	}
	named := strings.TrimSpace(s.Name) != ""
	if !named {
		if strings.TrimSpace(strings.Join(s.Address, "")) != "" || strings.TrimSpace(s.VATID) != "" {
			return domain.Seller{}, errors.New("PORTAL_SELLER_ADDRESS and PORTAL_SELLER_VAT_ID need PORTAL_SELLER_NAME: set the seller's name too")
		}
		// No seller named: only the prefix is checked, with a stand-in name.
		s.Name = "-"
	}
	s, err := s.Normalize()
	if err != nil {
		return domain.Seller{}, fmt.Errorf("seller details (PORTAL_SELLER_NAME, PORTAL_SELLER_ADDRESS, PORTAL_SELLER_VAT_ID, PORTAL_INVOICE_PREFIX): %s", domain.MessageOf(err))
	}
	if !named {
		s.Name = ""
	}
	return s, nil
}

// invoicePrefix is the prefix of the invoice series in force: the one an admin
// saved on /admin/seller, else PORTAL_INVOICE_PREFIX's (as the web pages
// answer it, handlers.Handler.seller).
func invoicePrefix(ctx context.Context, store interface {
	Seller(ctx context.Context) (domain.Seller, bool, error)
}) (string, error) {
	saved, found, err := store.Seller(ctx)
	if err != nil {
		return "", err
	}
	if found && saved.InvoicePrefix != "" {
		return saved.InvoicePrefix, nil
	}
	fromEnv, err := sellerFromEnv()
	if err != nil {
		return "", err
	}
	return fromEnv.InvoicePrefix, nil
}
