package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

func (h *Handler) searchRows(c *fiber.Ctx, q string) ([]views.OrderRowData, error) {
	results, err := h.store.SearchOrders(c.UserContext(), q)
	if err != nil {
		return nil, err
	}
	rows := make([]views.OrderRowData, len(results))
	for i, r := range results {
		rows[i] = views.NewOrderRowData(r.Order).FoundBy(r.Matched)
	}
	return rows, nil
}

// searchQuery is what staff typed, trimmed and bounded.
func searchQuery(c *fiber.Ctx) string {
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	return q
}

// staffOrders is the search page; with ?q= it shows the results too.
func (h *Handler) staffOrders(c *fiber.Ctx) error {
	q := searchQuery(c)
	rows, err := h.searchRows(c, q)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.StaffOrdersPage(h.staffMeta(c, "Find orders", "staff-orders"), q, rows))
}

// staffSearch answers the results partial as the search is typed.
func (h *Handler) staffSearch(c *fiber.Ctx) error {
	q := searchQuery(c)
	rows, err := h.searchRows(c, q)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.SearchResults(q, rows))
}

// staffOrderShow is an order with the customer's partials, every license's
// history and the payments flagged for it.
func (h *Handler) staffOrderShow(c *fiber.Ctx) error {
	ref, ok := domain.NormalizeReference(c.Params("ref"))
	if !ok {
		return errNotFound
	}
	order, found, err := h.store.Order(c.UserContext(), ref)
	if err != nil {
		return err
	}
	if !found {
		return errNotFound
	}
	now := h.cfg.Now()
	var licenses []domain.License
	var details []views.LicenseDetailsData
	for _, id := range order.LicenseIDs {
		l, found, err := h.store.License(c.UserContext(), id)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		licenses = append(licenses, l)
		d, err := h.licenseDetails(c, l)
		if err != nil {
			return err
		}
		d.ReadOnly = true
		details = append(details, d)
	}
	flagged, err := h.store.FlaggedPurchases(c.UserContext())
	if err != nil {
		return err
	}
	page := views.StaffOrderPageData{Details: views.NewOrderDetailsData(order, licenses, now), Licenses: details,
		Key: domain.FormatActivationKey(order.ActivationKey)}
	for _, p := range flagged {
		if p.OrderRef == order.Reference {
			page.Flagged = append(page.Flagged, views.NewFlaggedPaymentData(p))
		}
	}
	return render(c, fiber.StatusOK, views.StaffOrderPage(h.staffMeta(c, "Order "+order.Reference, "staff-orders"), page))
}
