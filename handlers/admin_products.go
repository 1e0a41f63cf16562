package handlers

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// adminProducts is the catalog; ?software=&edition= fills the form with that product.
func (h *Handler) adminProducts(c *fiber.Ctx) error {
	form := views.ProductFormData{Currency: "EUR", SeatPrice: "0.00", SupportPricePerSeatYear: "0.00"}
	if software := c.Query("software"); software != "" {
		p, found, err := h.store.Product(c.UserContext(), software, c.Query("edition"))
		if err != nil {
			return err
		}
		if found {
			form = views.NewProductFormData(p)
		}
	}
	return h.renderProducts(c, fiber.StatusOK, views.FlashData{}, form)
}

func (h *Handler) renderProducts(c *fiber.Ctx, status int, a views.FlashData, f views.ProductFormData) error {
	products, err := h.store.Products(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]views.ProductRowData, len(products))
	for i, p := range products {
		rows[i] = views.ProductRowData{Product: p,
			SeatPrice:   domain.Money{Amount: p.SeatPrice, Currency: p.Currency},
			SupportYear: domain.Money{Amount: p.SupportPricePerSeatYear, Currency: p.Currency},
			EditURL:     "/admin/products?" + url.Values{"software": {p.Software}, "edition": {p.Edition}}.Encode()}
	}
	return render(c, status, views.AdminProductsPage(h.staffMeta(c, t(c, "nav.catalog"), "admin-products"), a, rows, f))
}

// parseProductForm reads the catalog form: prices typed as decimals in the
// currency's own notation.
func parseProductForm(c *fiber.Ctx) (views.ProductFormData, domain.Product, error) {
	f := views.ProductFormData{
		Software: c.FormValue("software"), Edition: c.FormValue("edition"),
		Currency:   strings.ToUpper(strings.TrimSpace(c.FormValue("currency"))),
		Upgradable: c.FormValue("upgradable") == "1", Retired: c.FormValue("retired") == "1",
		SeatPrice: c.FormValue("seat_price"), SupportPricePerSeatYear: c.FormValue("support_price_per_seat_year"),
	}
	p := domain.Product{Software: f.Software, Edition: f.Edition, Currency: f.Currency, Upgradable: f.Upgradable, Retired: f.Retired}
	if !domain.ValidCurrency(f.Currency) {
		return f, p, userError(domain.KindInvalid, "catalog.bad_currency", "Currency", f.Currency)
	}
	var err error
	if p.SeatPrice, err = domain.ParseAmount(f.SeatPrice, f.Currency); err != nil {
		return f, p, err
	}
	if p.SupportPricePerSeatYear, err = domain.ParseAmount(f.SupportPricePerSeatYear, f.Currency); err != nil {
		return f, p, err
	}
	return f, p, p.Validate()
}

// adminProductSave adds or changes a product, with validation, and audits it.
func (h *Handler) adminProductSave(c *fiber.Ctx) error {
	f, p, err := parseProductForm(c)
	if err != nil {
		f.Error = message(c, err)
		return h.renderProducts(c, fiber.StatusBadRequest, views.FlashData{}, f)
	}
	detail := fmt.Sprintf("%s %s: upgradable=%v retired=%v, %s per added user, %s support per user and year",
		p.Software, p.Edition, p.Upgradable, p.Retired,
		domain.Money{Amount: p.SeatPrice, Currency: p.Currency}, domain.Money{Amount: p.SupportPricePerSeatYear, Currency: p.Currency})
	if err := h.store.SaveProductAudited(c.UserContext(), p, h.audit(c, "", "product saved", detail)); err != nil {
		return err
	}
	return h.renderProducts(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: t(c, "catalog.saved", "Software", p.Software, "Edition", p.Edition)},
		views.ProductFormData{Currency: p.Currency, SeatPrice: "0.00", SupportPricePerSeatYear: "0.00"})
}

// adminHome is where /admin leads: the catalog.
func (h *Handler) adminHome(c *fiber.Ctx) error {
	return c.Redirect("/admin/products", fiber.StatusSeeOther)
}
