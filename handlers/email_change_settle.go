package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// A request to move orders to a new email is settled from links in mails:
// the new address confirms (/account/email/confirm/TOKEN), the old one may
// cancel (/account/email/cancel/TOKEN). Each link opens a page with one
// button; only its POST acts.

type settleLink struct {
	purpose domain.LinkPurpose
	action  string
}

var (
	confirmLink = settleLink{domain.LinkConfirmEmail, "/account/email/confirm"}
	cancelLink  = settleLink{domain.LinkCancelEmail, "/account/email/cancel"}
)

// emailChangeShow says what the link's button will do.
func (h *Handler) emailChangeShow(which settleLink) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.Params("token")
		link, live, err := h.store.MailLink(c.UserContext(), domain.HashLinkToken(token), h.cfg.Now())
		if err != nil {
			return err
		}
		var change domain.EmailChange
		if live && link.Purpose == which.purpose {
			if change, live, err = h.store.EmailChange(c.UserContext(), link.ChangeID); err != nil {
				return err
			}
			live = live && change.Usable(h.cfg.Now())
		} else {
			live = false
		}
		d := views.MailLinkPageData{Title: t(c, "email_link.title"), Action: which.action, Token: token, Live: live,
			Next: "/login", NextLabel: t(c, "login.title")}
		switch {
		case !live:
			d.Flash = linkUsedFlash(c)
			return render(c, fiber.StatusNotFound, views.MailLinkPage(h.meta(c, t(c, "email_link.title"), ""), d))
		case which.purpose == domain.LinkConfirmEmail:
			d.Explain = t(c, "email_link.confirm_explain", "Old", change.OldEmail, "New", change.NewEmail)
			d.Button = t(c, "email_link.confirm_button", "New", change.NewEmail)
		default:
			d.Explain = t(c, "email_link.cancel_explain", "Old", change.OldEmail, "New", change.NewEmail)
			d.Button = t(c, "mail.cancel_button")
		}
		return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, t(c, "email_link.title"), ""), d))
	}
}

// emailChangeConfirm moves the orders, signs this browser in as the new email
// (whoever holds the link reads its mailbox), and tells the old address.
func (h *Handler) emailChangeConfirm(c *fiber.Ctx) error {
	f := h.mailFrame(c)
	notice := func(change domain.EmailChange) []domain.Mail {
		subject, text, html := views.EmailChangedMail(f, change.OldEmail, change.NewEmail)
		return []domain.Mail{h.newMail(change.OldEmail, subject, text, html, false)}
	}
	change, err := h.store.ConfirmEmailChange(c.UserContext(), domain.HashLinkToken(c.FormValue("token")), h.cfg.Now(), domain.ActorCustomer, notice)
	if err == domain.ErrLinkUsed {
		return h.linkUsedPage(c)
	}
	if err != nil {
		return err
	}
	h.kickMail()
	h.log.Info("email change confirmed", "request_id", requestID(c), "change", change.ID)
	if err := h.startSession(c, change.NewEmail); err != nil {
		return err
	}
	d := views.MailLinkPageData{Title: t(c, "email_link.moved_title"), Live: false, Next: "/licenses", NextLabel: t(c, "email_link.see_licenses"),
		Flash: views.FlashData{Kind: "info", Message: t(c, "email_link.moved", "Old", change.OldEmail, "New", change.NewEmail)}}
	return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, t(c, "email_link.title"), ""), d))
}

// emailChangeCancel stops the move: nothing changed, nothing will.
func (h *Handler) emailChangeCancel(c *fiber.Ctx) error {
	change, err := h.store.CancelEmailChange(c.UserContext(), domain.HashLinkToken(c.FormValue("token")), h.cfg.Now())
	if err == domain.ErrLinkUsed {
		return h.linkUsedPage(c)
	}
	if err != nil {
		return err
	}
	h.log.Info("email change cancelled", "request_id", requestID(c), "change", change.ID)
	d := views.MailLinkPageData{Title: t(c, "email_link.cancelled_title"), Next: "/login", NextLabel: t(c, "login.title"),
		Flash: views.FlashData{Kind: "info", Message: t(c, "email_link.cancelled", "Old", change.OldEmail, "New", change.NewEmail, "Support", h.cfg.SupportEmail)}}
	return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, t(c, "email_link.title"), ""), d))
}

func (h *Handler) linkUsedPage(c *fiber.Ctx) error {
	d := views.MailLinkPageData{Title: t(c, "email_link.title"), Flash: linkUsedFlash(c), Next: "/login", NextLabel: t(c, "login.title")}
	return render(c, fiber.StatusNotFound, views.MailLinkPage(h.meta(c, t(c, "email_link.title"), ""), d))
}
