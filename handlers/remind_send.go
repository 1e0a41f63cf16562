package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// remindSend mails an email's order numbers with a sign-in link. The answer is
// the same page, status and time whether or not the address has orders, and
// whether or not a mail went: the mail is queued, and sent apart from the
// request.
func (h *Handler) remindSend(c *fiber.Ctx) error {
	if h.cfg.Mail == nil {
		return h.remindPage(c, fiber.StatusOK, views.RemindPageData{})
	}
	typed := strings.TrimSpace(c.FormValue("email"))
	email, ok := domain.NormalizeEmail(typed)
	if !ok || len(typed) > 254 {
		return h.remindPage(c, fiber.StatusUnprocessableEntity, views.RemindPageData{Email: typed,
			Error: t(c, "remind.bad_email")})
	}
	if _, err := h.spend(c, "limit.remind", spent{rateRemindAddress, h.limitKey(c)}); err != nil {
		if domain.KindOf(err) != domain.KindTooMany {
			return err
		}
		setRetryAfter(c, err)
		return h.remindPage(c, statusOf(err), views.RemindPageData{Email: typed, Error: message(c, err)})
	}
	start := time.Now()
	if err := h.queueReminder(c, email); err != nil {
		return err
	}
	h.waitLoginFloor(start)
	return h.remindPage(c, fiber.StatusOK, views.RemindPageData{Email: email, Sent: true})
}

// queueReminder queues the reminder of email, when it has orders and its
// mails are within their limit; otherwise it does nothing, silently.
func (h *Handler) queueReminder(c *fiber.Ctx, email string) error {
	limit, err := h.store.SpendToken(c.UserContext(), rateRemindEmail, email, h.cfg.Now())
	if err != nil || !limit.OK {
		return err
	}
	orders, err := h.store.OrdersByEmail(c.UserContext(), email)
	if err != nil || len(orders) == 0 {
		return err
	}
	refs := make([]string, len(orders))
	for i, o := range orders {
		refs[i] = o.Reference
	}
	now := h.cfg.Now().UTC()
	token := domain.NewLinkToken()
	link := domain.MailLink{Purpose: domain.LinkSignIn, Email: email, Created: now, Expires: now.Add(domain.SignInLinkTTL)}
	subject, text, html := views.ReminderMail(h.mailFrame(c), refs, h.linkURL("/login/link/", token), domain.SignInLinkTTL)
	if err := h.store.CreateMailLink(c.UserContext(), domain.HashLinkToken(token), link, []domain.Mail{h.newMail(email, subject, text, html, false)}); err != nil {
		return err
	}
	h.kickMail()
	return nil
}
