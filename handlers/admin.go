package handlers

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// maxImportUpload bounds an uploaded import file.
const maxImportUpload = 8 << 20

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
			SeatPrice:   domain.Money{Amount: p.SeatPrice, Currency: p.Currency}.String(),
			SupportYear: domain.Money{Amount: p.SupportPricePerSeatYear, Currency: p.Currency}.String(),
			EditURL:     "/admin/products?" + url.Values{"software": {p.Software}, "edition": {p.Edition}}.Encode()}
	}
	return render(c, status, views.AdminProductsPage(h.staffMeta(c, "Catalog", "admin-products"), a, rows, f))
}

// adminProductSave adds or changes a product, with validation, and audits it.
func (h *Handler) adminProductSave(c *fiber.Ctx) error {
	f := views.ProductFormData{
		Software: c.FormValue("software"), Edition: c.FormValue("edition"),
		Currency:   strings.ToUpper(strings.TrimSpace(c.FormValue("currency"))),
		Upgradable: c.FormValue("upgradable") == "1", Retired: c.FormValue("retired") == "1",
		SeatPrice: c.FormValue("seat_price"), SupportPricePerSeatYear: c.FormValue("support_price_per_seat_year"),
	}
	p := domain.Product{Software: f.Software, Edition: f.Edition, Currency: f.Currency, Upgradable: f.Upgradable, Retired: f.Retired}
	var err error
	if !domain.ValidCurrency(f.Currency) {
		err = domain.Invalidf("currency %q is not an ISO 4217 code", f.Currency)
	}
	if err == nil {
		p.SeatPrice, err = domain.ParseAmount(f.SeatPrice, f.Currency)
	}
	if err == nil {
		p.SupportPricePerSeatYear, err = domain.ParseAmount(f.SupportPricePerSeatYear, f.Currency)
	}
	if err == nil {
		err = p.Validate()
	}
	if err != nil {
		f.Error = domain.MessageOf(err)
		return h.renderProducts(c, fiber.StatusBadRequest, views.FlashData{}, f)
	}
	detail := fmt.Sprintf("%s %s: upgradable=%v retired=%v, %s per added user, %s support per user and year",
		p.Software, p.Edition, p.Upgradable, p.Retired,
		domain.Money{Amount: p.SeatPrice, Currency: p.Currency}, domain.Money{Amount: p.SupportPricePerSeatYear, Currency: p.Currency})
	if err := h.store.SaveProductAudited(c.UserContext(), p, h.audit(c, "product saved", detail)); err != nil {
		return err
	}
	return h.renderProducts(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: "Saved " + p.Software + " " + p.Edition + "."},
		views.ProductFormData{Currency: p.Currency, SeatPrice: "0.00", SupportPricePerSeatYear: "0.00"})
}

func (h *Handler) adminStaff(c *fiber.Ctx) error {
	return h.renderStaff(c, fiber.StatusOK, views.FlashData{})
}

func (h *Handler) renderStaff(c *fiber.Ctx, status int, a views.FlashData) error {
	users, err := h.store.StaffUsers(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]views.StaffRowData, len(users))
	for i, u := range users {
		rows[i] = views.StaffRowData{Email: u.Email, Role: string(u.Role), Disabled: u.Disabled, CreatedAt: u.CreatedAt}
	}
	return render(c, status, views.AdminStaffPage(h.staffMeta(c, "Staff accounts", "admin-staff"), a, rows))
}

// adminStaffSave adds an account, or resets the password and role of one.
func (h *Handler) adminStaffSave(c *fiber.Ctx) error {
	email, ok := domain.NormalizeEmail(c.FormValue("email"))
	role, err := domain.ParseRole(c.FormValue("role"))
	if !ok {
		err = domain.Invalidf("%q is not an email address", c.FormValue("email"))
	}
	var hash []byte
	if err == nil {
		hash, err = domain.HashPassword(c.FormValue("password"))
	}
	if err != nil {
		return h.renderStaff(c, fiber.StatusBadRequest, views.FlashData{Kind: "error", Message: domain.MessageOf(err)})
	}
	user, found, err := h.store.StaffUser(c.UserContext(), email)
	if err != nil {
		return err
	}
	action := "staff account added"
	if found {
		action = "staff password reset"
	} else {
		user = domain.StaffUser{Email: email, CreatedAt: h.cfg.Now().UTC()}
	}
	if found && user.Role == domain.RoleAdmin && role != domain.RoleAdmin {
		if last, err := h.lastActiveAdmin(c, email); err != nil || last {
			if err != nil {
				return err
			}
			return h.renderStaff(c, fiber.StatusConflict, views.FlashData{Kind: "error", Message: email + " is the last active administrator: keep the admin role."})
		}
	}
	user.Role, user.PasswordHash = role, hash
	// A new password ends the sessions made with the old one.
	user.SessionsFrom = h.cfg.Now().UTC()
	if err := h.store.SaveStaffUser(c.UserContext(), user, h.audit(c, action, email+" as "+string(role))); err != nil {
		return err
	}
	return h.renderStaff(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: "Saved " + email + "."})
}

// adminStaffDisable disables or enables an account; its sessions stop at once
// because every request reads the account.
func (h *Handler) adminStaffDisable(c *fiber.Ctx) error {
	email, _ := domain.NormalizeEmail(c.FormValue("email"))
	user, found, err := h.store.StaffUser(c.UserContext(), email)
	if err != nil {
		return err
	}
	if !found {
		return errNotFound
	}
	me, _ := staffUser(c)
	disable := c.FormValue("disabled") == "1"
	if disable && me.Email == email {
		return h.renderStaff(c, fiber.StatusConflict, views.FlashData{Kind: "error", Message: "You cannot disable your own account."})
	}
	if disable {
		if last, err := h.lastActiveAdmin(c, email); err != nil || last {
			if err != nil {
				return err
			}
			return h.renderStaff(c, fiber.StatusConflict, views.FlashData{Kind: "error", Message: email + " is the last active administrator."})
		}
		user.SessionsFrom = h.cfg.Now().UTC()
	}
	user.Disabled = disable
	action := "staff account enabled"
	if disable {
		action = "staff account disabled"
	}
	if err := h.store.SaveStaffUser(c.UserContext(), user, h.audit(c, action, email)); err != nil {
		return err
	}
	return h.renderStaff(c, fiber.StatusOK, views.FlashData{Kind: "info", Message: action + ": " + email})
}

// lastActiveAdmin reports whether email is the only active admin account.
func (h *Handler) lastActiveAdmin(c *fiber.Ctx, email string) (bool, error) {
	users, err := h.store.StaffUsers(c.UserContext())
	if err != nil {
		return false, err
	}
	for _, u := range users {
		if u.Email != email && u.Role == domain.RoleAdmin && !u.Disabled {
			return false, nil
		}
	}
	return true, nil
}

func (h *Handler) adminData(c *fiber.Ctx) error {
	return h.renderData(c, fiber.StatusOK, views.FlashData{}, "")
}

func (h *Handler) renderData(c *fiber.Ctx, status int, a views.FlashData, report string) error {
	audit, err := h.store.Audit(c.UserContext(), 200)
	if err != nil {
		return err
	}
	return render(c, status, views.AdminDataPage(h.staffMeta(c, "Data", "admin-data"), a, report, audit))
}

// adminImport imports an uploaded JSON Lines file and shows the same report as
// the command.
func (h *Handler) adminImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return h.renderData(c, fiber.StatusBadRequest, views.FlashData{Kind: "error", Message: "Choose a JSON Lines file to import."}, "")
	}
	if fh.Size > maxImportUpload {
		return h.renderData(c, fiber.StatusRequestEntityTooLarge, views.FlashData{
			Kind: "error", Message: fmt.Sprintf("The file is larger than %d MiB: import it with the portal import command.", maxImportUpload>>20)}, "")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	report, err := domain.Import(c.UserContext(), io.LimitReader(f, maxImportUpload), h.store, domain.NewActivationKey)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("%s: %d lines, %d imported, %d skipped, %d rejected", fh.Filename, report.Read, report.Imported, report.Skipped, len(report.Rejected))
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "import", detail)); err != nil {
		return err
	}
	status, a := fiber.StatusOK, views.FlashData{Kind: "info", Message: "Import finished."}
	if report.Failed() {
		status, a = fiber.StatusUnprocessableEntity, views.FlashData{Kind: "error", Message: "No line could be imported."}
	}
	return h.renderData(c, status, a, report.String())
}

// adminExport streams the export as a download.
func (h *Handler) adminExport(c *fiber.Ctx) error {
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "export", "downloaded")); err != nil {
		return err
	}
	c.Attachment(fmt.Sprintf("portal-export-%s.jsonl", h.cfg.Now().UTC().Format("20060102-150405")))
	c.Set(fiber.HeaderContentType, "application/x-ndjson")
	ctx := c.UserContext()
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if _, err := h.store.Export(ctx, w); err != nil {
			h.log.Error("export failed", "error", err.Error())
		}
		w.Flush()
	})
	return nil
}

// adminBackup streams a backup taken online while the portal serves.
func (h *Handler) adminBackup(c *fiber.Ctx) error {
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "backup", "downloaded")); err != nil {
		return err
	}
	c.Attachment(fmt.Sprintf("portal-backup-%s.badger", h.cfg.Now().UTC().Format("20060102-150405")))
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := h.store.Backup(w); err != nil {
			h.log.Error("backup failed", "error", err.Error())
		}
		w.Flush()
	})
	return nil
}
