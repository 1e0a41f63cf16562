package handlers

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// adminData offers import, export, backup and the audit log.
func (h *Handler) adminData(c *fiber.Ctx) error {
	return h.renderData(c, fiber.StatusOK, views.FlashData{}, "")
}

func (h *Handler) renderData(c *fiber.Ctx, status int, a views.FlashData, report string) error {
	audit, err := h.store.Audit(c.UserContext(), 200)
	if err != nil {
		return err
	}
	return render(c, status, views.AdminDataPage(h.staffMeta(c, t(c, "nav.data"), "admin-data"), a, report, audit))
}

// adminImport imports an uploaded JSON Lines file and shows the same report as
// the command.
func (h *Handler) adminImport(c *fiber.Ctx) error {
	fh, err := c.FormFile("file")
	if err != nil {
		return h.renderData(c, fiber.StatusBadRequest, views.FlashData{Kind: "error", Message: t(c, "data.choose_file")}, "")
	}
	if fh.Size > maxImportUpload {
		return h.renderData(c, fiber.StatusRequestEntityTooLarge, views.FlashData{Kind: "error", Message: t(c, "data.file_too_large", "MiB", maxImportUpload>>20)}, "")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	seller, err := h.seller(c.UserContext())
	if err != nil {
		return err
	}
	report, err := domain.ImportWith(c.UserContext(), io.LimitReader(f, maxImportUpload), h.store, domain.ImportOptions{InvoicePrefix: seller.InvoicePrefix})
	if err != nil {
		return err
	}
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "", "import", report.AuditDetail(fh.Filename))); err != nil {
		return err
	}
	status, a := fiber.StatusOK, views.FlashData{Kind: "info", Message: t(c, "data.finished")}
	if report.Failed() {
		status, a = fiber.StatusUnprocessableEntity, views.FlashData{Kind: "error", Message: t(c, "data.nothing_imported")}
	}
	return h.renderData(c, status, a, report.String())
}
