package handlers

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
	"portal/views/invoicepdf"
)

// invoiceShow is a version of the customer's order's invoice as a page that
// prints: the latest, or ?number= an earlier one. Reading it writes nothing:
// the invoice was issued with the order.
func (h *Handler) invoiceShow(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	return h.renderInvoice(c, order, "/orders/"+order.Reference)
}

// invoicePDF is the same version as a PDF download.
func (h *Handler) invoicePDF(c *fiber.Ctx) error {
	order, err := h.ownOrder(c.UserContext(), customerEmail(c), c.Params("ref"))
	if err != nil {
		return err
	}
	return h.sendInvoicePDF(c, order)
}

// staffInvoiceShow and staffInvoicePDF are the same for staff, for any order.
func (h *Handler) staffInvoiceShow(c *fiber.Ctx) error {
	order, err := h.staffOrder(c)
	if err != nil {
		return err
	}
	return h.renderInvoice(c, order, "/staff/orders/"+order.Reference)
}

func (h *Handler) staffInvoicePDF(c *fiber.Ctx) error {
	order, err := h.staffOrder(c)
	if err != nil {
		return err
	}
	return h.sendInvoicePDF(c, order)
}

// invoiceData shapes the version of order's invoice that the request names.
func (h *Handler) invoiceData(c *fiber.Ctx, order domain.Order) (views.InvoiceData, error) {
	inv, found := order.Invoice(c.Query("number"))
	if !found {
		return views.InvoiceData{}, userError(domain.KindNotFound, "invoice.no_such_number")
	}
	seller, err := h.seller(c.UserContext())
	if err != nil {
		return views.InvoiceData{}, err
	}
	return views.NewInvoiceData(lang(c), order, inv, seller), nil
}

func (h *Handler) renderInvoice(c *fiber.Ctx, order domain.Order, back string) error {
	d, err := h.invoiceData(c, order)
	if err != nil {
		return err
	}
	links := views.InvoiceLinksData{Back: back, PDF: back + "/invoice.pdf", Langs: h.langMenu(c)}
	if n := c.Query("number"); n != "" {
		links.PDF += "?number=" + url.QueryEscape(n)
	}
	return render(c, fiber.StatusOK, views.InvoicePage(h.cfg.Brand, links, d))
}

func (h *Handler) sendInvoicePDF(c *fiber.Ctx, order domain.Order) error {
	d, err := h.invoiceData(c, order)
	if err != nil {
		return err
	}
	var pdf bytes.Buffer
	if err := invoicepdf.Render(&pdf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+invoiceFileName(d.Number)+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(pdf.Bytes())
}

// invoiceFileName keeps the letters, digits and dashes of an invoice number, so
// that an imported number cannot break the header or name a path.
func invoiceFileName(number string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, number)
	return "invoice-" + name
}
