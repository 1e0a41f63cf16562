package handlers

import (
	"bufio"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// adminExport streams the export (JSON Lines) as a download.
func (h *Handler) adminExport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	return h.download(c, "export", "jsonl", "application/x-ndjson", func(w io.Writer) error {
		_, err := h.store.Export(ctx, w)
		return err
	})
}

// adminBackup streams a backup taken online while the portal serves, in the
// format "portal restore" reads into any backend.
func (h *Handler) adminBackup(c *fiber.Ctx) error {
	ctx, now := c.UserContext(), h.cfg.Now()
	return h.download(c, "backup", "backup.gz", "application/gzip", func(w io.Writer) error {
		return domain.WriteBackup(w, now, func(emit func(domain.Record) error) error { return h.store.Dump(ctx, emit) })
	})
}

// download audits the download of what, then streams it as a dated attachment.
func (h *Handler) download(c *fiber.Ctx, what, ext, contentType string, write func(io.Writer) error) error {
	if err := h.store.RecordAudit(c.UserContext(), h.audit(c, "", what, "downloaded")); err != nil {
		return err
	}
	c.Attachment(fmt.Sprintf("portal-%s-%s.%s", what, h.cfg.Now().UTC().Format("20060102-150405"), ext))
	c.Set(fiber.HeaderContentType, contentType)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := write(w); err != nil {
			h.log.Error(what+" failed", "error", err.Error())
		}
		w.Flush()
	})
	return nil
}
