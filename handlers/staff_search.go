package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

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
	return render(c, fiber.StatusOK, views.StaffOrdersPage(h.staffMeta(c, t(c, "nav.find_orders"), "staff-orders"), q, rows, h.rows))
}

// staffSearch answers the results partial as the search is typed.
func (h *Handler) staffSearch(c *fiber.Ctx) error {
	q := searchQuery(c)
	rows, err := h.searchRows(c, q)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.SearchResults(q, rows, h.rows))
}
