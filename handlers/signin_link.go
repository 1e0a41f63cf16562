package handlers

import (
	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// signInLinkShow is where a reminder's link lands: a page with one button.
// Opening it uses nothing up; mail scanners may open it freely.
func (h *Handler) signInLinkShow(c *fiber.Ctx) error {
	token := c.Params("token")
	_, live, err := h.store.MailLink(c.UserContext(), domain.HashLinkToken(token), h.cfg.Now())
	if err != nil {
		return err
	}
	d := views.MailLinkPageData{Title: t(c, "login.title"), Explain: t(c, "signin_link.explain"),
		Button: t(c, "mail.sign_in"), Action: "/login/link", Token: token, Live: live, Next: "/login", NextLabel: t(c, "signin_link.with_order")}
	status := fiber.StatusOK
	if !live {
		status, d = fiber.StatusNotFound, signInLinkUsed(c)
	}
	return render(c, status, views.MailLinkPage(h.meta(c, t(c, "mail.sign_in"), ""), d))
}

// signInLinkUse signs in as the email the link was sent to, once.
func (h *Handler) signInLinkUse(c *fiber.Ctx) error {
	link, err := h.store.UseMailLink(c.UserContext(), domain.HashLinkToken(c.FormValue("token")), domain.LinkSignIn, h.cfg.Now())
	if err == domain.ErrLinkUsed {
		return render(c, fiber.StatusNotFound, views.MailLinkPage(h.meta(c, t(c, "mail.sign_in"), ""), signInLinkUsed(c)))
	}
	if err != nil {
		return err
	}
	if err := h.startSession(c, link.Email); err != nil {
		return err
	}
	h.log.Info("login", "request_id", requestID(c), "client_ip", h.clientIP(c), "by", "mailed link")
	return c.Redirect("/licenses", fiber.StatusSeeOther)
}

// signInLinkUsed says that a sign-in link is used up, and where to get another.
func signInLinkUsed(c *fiber.Ctx) views.MailLinkPageData {
	return views.MailLinkPageData{Title: t(c, "login.title"), Flash: linkUsedFlash(c),
		Next: "/login/remind", NextLabel: t(c, "signin_link.new_link")}
}

// linkUsedFlash says that a mailed link is used up.
func linkUsedFlash(c *fiber.Ctx) views.FlashData {
	return views.FlashData{Kind: "error", Message: message(c, domain.ErrLinkUsed)}
}
