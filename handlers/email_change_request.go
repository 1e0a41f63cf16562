package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// accountEmailShow is the form to move the signed-in customer's orders to a new email.
func (h *Handler) accountEmailShow(c *fiber.Ctx) error {
	return h.accountEmailPage(c, fiber.StatusOK, views.AccountEmailPageData{})
}

func (h *Handler) accountEmailPage(c *fiber.Ctx, status int, d views.AccountEmailPageData) error {
	d.Email = customerEmail(c)
	if h.cfg.Mail == nil && d.Flash.Message == "" {
		d.Flash = views.FlashData{Kind: "warning", Message: t(c, "account.no_mail", "Support", h.cfg.SupportEmail)}
	}
	return render(c, status, views.AccountEmailPage(h.meta(c, t(c, "account.page_title"), "account"), d))
}

// accountEmailRequest asks to move the customer's orders to the email typed:
// a confirmation link goes to it, and the current address is told at once,
// with a link that cancels. Nothing moves until the link is used.
func (h *Handler) accountEmailRequest(c *fiber.Ctx) error {
	typed := strings.TrimSpace(c.FormValue("email"))
	old := customerEmail(c)
	if h.cfg.Mail == nil {
		return h.accountEmailPage(c, fiber.StatusServiceUnavailable, views.AccountEmailPageData{NewEmail: typed})
	}
	change, err := domain.NewEmailChange(domain.NewEmailChangeID(), old, typed, old, h.cfg.Now())
	if err != nil {
		return h.accountEmailPage(c, fiber.StatusUnprocessableEntity, views.AccountEmailPageData{NewEmail: typed, Error: message(c, err),
			Flash: views.FlashData{Kind: "error", Message: message(c, err)}})
	}
	if _, err := h.spend(c, "limit.email_changes", spent{rateEmailChanges, old}); err != nil {
		if domain.KindOf(err) != domain.KindTooMany {
			return err
		}
		setRetryAfter(c, err)
		return h.accountEmailPage(c, statusOf(err), views.AccountEmailPageData{NewEmail: typed, Flash: views.FlashData{Kind: "error", Message: message(c, err)}})
	}
	flash, err := h.requestEmailChange(c, change, h.mailFrame(c), nil)
	if err != nil {
		return err
	}
	h.log.Info("email change asked", "request_id", requestID(c), "change", change.ID)
	return h.accountEmailPage(c, fiber.StatusOK, views.AccountEmailPageData{Flash: flash})
}

// requestEmailChange stores the request with its links and mails (written in
// f's language), then sends the confirmation while the asker waits; a mail
// server's failure is said, and the mail stays queued for the next attempts.
func (h *Handler) requestEmailChange(c *fiber.Ctx, change domain.EmailChange, f views.MailFrame, audit *domain.AuditEntry) (views.FlashData, error) {
	ctx := c.UserContext()
	confirm, cancel := domain.NewLinkToken(), domain.NewLinkToken()
	subject, text, html := views.EmailChangeConfirmMail(f, change.OldEmail, change.NewEmail, h.linkURL("/account/email/confirm/", confirm), domain.EmailChangeTTL)
	confirmMail := h.newMail(change.NewEmail, subject, text, html, true)
	subject, text, html = views.EmailChangeRequestedMail(f, change.OldEmail, change.NewEmail, h.linkURL("/account/email/cancel/", cancel))
	noticeMail := h.newMail(change.OldEmail, subject, text, html, false)
	err := h.store.RequestEmailChange(ctx, change, domain.HashLinkToken(confirm), domain.HashLinkToken(cancel),
		[]domain.Mail{confirmMail, noticeMail}, audit)
	if err != nil {
		return views.FlashData{}, err
	}
	defer h.kickMail() // the notice, once the confirmation had its try
	if err := h.cfg.Mail.SendNow(ctx, confirmMail); err != nil {
		return views.FlashData{Kind: "warning", Message: t(c, "account.not_sent", "New", change.NewEmail, "Support", h.cfg.SupportEmail)}, nil
	}
	return views.FlashData{Kind: "info", Message: t(c, "account.sent", "New", change.NewEmail, "Old", change.OldEmail)}, nil
}
