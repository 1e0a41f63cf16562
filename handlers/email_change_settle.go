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
		d := views.MailLinkPageData{Title: "Change of purchase email", Action: which.action, Token: token, Live: live,
			Next: "/login", NextLabel: "Access your personal space"}
		switch {
		case !live:
			d.Flash = linkUsedFlash()
			return render(c, fiber.StatusNotFound, views.MailLinkPage(h.meta(c, "Change of purchase email", ""), d))
		case which.purpose == domain.LinkConfirmEmail:
			d.Explain = "Press the button to move every order and license of " + change.OldEmail + " to " + change.NewEmail + "."
			d.Button = "Move my orders to " + change.NewEmail
		default:
			d.Explain = "Someone asked to move every order and license of " + change.OldEmail + " to " + change.NewEmail +
				". Press the button to stop it: nothing has changed yet."
			d.Button = "Cancel the change"
		}
		return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, "Change of purchase email", ""), d))
	}
}

// emailChangeConfirm moves the orders, signs this browser in as the new email
// (whoever holds the link reads its mailbox), and tells the old address.
func (h *Handler) emailChangeConfirm(c *fiber.Ctx) error {
	f := h.mailFrame()
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
	d := views.MailLinkPageData{Title: "Your orders have moved", Live: false, Next: "/licenses", NextLabel: "See your licenses",
		Flash: views.FlashData{Kind: "info", Message: "Every order and license of " + change.OldEmail + " now belongs to " + change.NewEmail +
			". Sign in with " + change.NewEmail + " from now on; " + change.OldEmail + " was told."}}
	return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, "Change of purchase email", ""), d))
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
	d := views.MailLinkPageData{Title: "Change cancelled", Next: "/login", NextLabel: "Access your personal space",
		Flash: views.FlashData{Kind: "info", Message: "The orders of " + change.OldEmail + " stay where they are: nothing was moved to " +
			change.NewEmail + ". If you did not ask for this, consider telling " + h.cfg.SupportEmail + "."}}
	return render(c, fiber.StatusOK, views.MailLinkPage(h.meta(c, "Change of purchase email", ""), d))
}

func (h *Handler) linkUsedPage(c *fiber.Ctx) error {
	d := views.MailLinkPageData{Title: "Change of purchase email", Flash: linkUsedFlash(), Next: "/login", NextLabel: "Access your personal space"}
	return render(c, fiber.StatusNotFound, views.MailLinkPage(h.meta(c, "Change of purchase email", ""), d))
}
