package handlers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// adminSellerSave changes the seller details that invoices show, and audits
// the change. Details that cannot be saved answer 422 with the form as typed
// and the reason; the same details again write nothing.
func (h *Handler) adminSellerSave(c *fiber.Ctx) error {
	typed := views.AdminSellerPageData{Name: c.FormValue("name"), Address: c.FormValue("address"),
		VATID: c.FormValue("vat_id"), InvoicePrefix: c.FormValue("invoice_prefix")}
	s, err := domain.Seller{Name: typed.Name, Address: strings.Split(typed.Address, "\n"),
		VATID: typed.VATID, InvoicePrefix: typed.InvoicePrefix}.Normalize()
	if err != nil {
		if domain.KindOf(err) != domain.KindInvalid {
			return err
		}
		typed.Error = message(c, err)
		_, typed.Saved, err = h.store.Seller(c.UserContext())
		if err != nil {
			return err
		}
		return h.renderSeller(c, fiber.StatusUnprocessableEntity, typed)
	}
	before, saved, err := h.sellerInForce(c.UserContext())
	if err != nil {
		return err
	}
	changes := sellerChanges(before, s)
	if saved && len(changes) == 0 {
		d := views.NewAdminSellerPageData(s, true)
		d.Flash = views.FlashData{Kind: "info", Message: t(c, "seller.unchanged")}
		return h.renderSeller(c, fiber.StatusOK, d)
	}
	detail := strings.Join(changes, "; ")
	if !saved {
		detail = strings.TrimSuffix("first saved here, replacing the PORTAL_SELLER_* settings; "+detail, "; ")
	}
	if err := h.store.SaveSeller(c.UserContext(), s, h.audit(c, "", "seller details saved", detail)); err != nil {
		return err
	}
	d := views.NewAdminSellerPageData(s, true)
	d.Flash = views.FlashData{Kind: "info", Message: t(c, "seller.saved"), TestID: "seller-saved"}
	return h.renderSeller(c, fiber.StatusOK, d)
}

// sellerChanges lists what differs from before to after, for the audit log:
// `VAT number (none) → FR40123456789`.
func sellerChanges(before, after domain.Seller) []string {
	var out []string
	for _, f := range []struct {
		name, before, after string
		same                bool
	}{
		{"name", before.Name, after.Name, before.Name == after.Name},
		{"address", strings.Join(before.Address, " / "), strings.Join(after.Address, " / "), slices.Equal(before.Address, after.Address)},
		{"VAT number", before.VATID, after.VATID, before.VATID == after.VATID},
		{"invoice number prefix", before.InvoicePrefix, after.InvoicePrefix, before.InvoicePrefix == after.InvoicePrefix},
	} {
		if !f.same {
			out = append(out, fmt.Sprintf("%s %s → %s", f.name, orNone(f.before), orNone(f.after)))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
