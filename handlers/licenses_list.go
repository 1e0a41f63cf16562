package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// licensesList is the customer's home: one row per license of every order of their email.
func (h *Handler) licensesList(c *fiber.Ctx) error {
	return h.licensesPage(c)
}

// licensesPage renders the licenses page; replace stands in for the rows of the
// same licenses (a row just refreshed, with its note).
func (h *Handler) licensesPage(c *fiber.Ctx, replace ...views.LicenseRowData) error {
	licenses, catalog, err := h.customerLicenses(c)
	if err != nil {
		return err
	}
	rows := views.NewLicenseRowDataList(licenses, h.cfg.Now(), h.csrfToken(c))
	for i, l := range licenses {
		p, found := catalog[productKey(l.Software, l.Edition)]
		rows[i] = rows[i].WithProduct(p, found)
	}
	for i := range rows {
		for _, r := range replace {
			if rows[i].ID == r.ID {
				rows[i] = r
			}
		}
	}
	return render(c, fiber.StatusOK, views.LicensesPage(h.meta(c, t(c, "nav.licenses"), "licenses"), views.LicenseListRows(h.rows, rows)))
}

// customerLicenses are the signed-in customer's licenses, with the catalog that
// says what each one's product allows.
func (h *Handler) customerLicenses(c *fiber.Ctx) ([]domain.License, map[string]domain.Product, error) {
	licenses, err := h.store.LicensesByEmail(c.UserContext(), customerEmail(c))
	if err != nil {
		return nil, nil, err
	}
	catalog, err := h.catalog(c.UserContext())
	return licenses, catalog, err
}

func productKey(software, edition string) string { return software + "\x00" + edition }

// catalog is every product by software and edition.
func (h *Handler) catalog(ctx context.Context) (map[string]domain.Product, error) {
	products, err := h.store.Products(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]domain.Product, len(products))
	for _, p := range products {
		m[productKey(p.Software, p.Edition)] = p
	}
	return m, nil
}

// licenseRow shapes one license for its row, with what its product allows.
func (h *Handler) licenseRow(c *fiber.Ctx, l domain.License) (views.LicenseRowData, error) {
	p, found, err := h.store.Product(c.UserContext(), l.Software, l.Edition)
	if err != nil {
		return views.LicenseRowData{}, err
	}
	row := views.NewLicenseRowData(l, h.cfg.Now()).WithProduct(p, found)
	row.CSRF = h.csrfToken(c)
	return row, nil
}
