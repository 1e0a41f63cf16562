package handlers

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// newMail makes a mail to to, queued from now (first attempt at once, or
// mail.Lease later for one the request sends itself, SendNow).
func (h *Handler) newMail(to, subject, text, html string, sendNow bool) domain.Mail {
	now := h.cfg.Now().UTC()
	m := domain.Mail{ID: domain.NewMailID(now), To: to, Subject: subject, Text: text, HTML: html, Created: now, NextAttempt: now}
	if sendNow {
		m.NextAttempt = now.Add(mailLease)
	}
	return m
}

// mailLease matches mail.Lease: a mail the request sends itself is not taken
// by the dispatcher meanwhile.
const mailLease = 2 * time.Minute

func (h *Handler) mailFrame(c *fiber.Ctx) views.MailFrame {
	return views.MailFrame{Brand: h.cfg.Brand, SupportEmail: h.cfg.SupportEmail, Lang: lang(c)}
}

// linkURL is the public address of a mailed link: path, then its token.
func (h *Handler) linkURL(path, token string) string {
	return strings.TrimRight(h.cfg.BaseURL, "/") + path + url.PathEscape(token)
}

// kickMail asks the dispatcher to send what was just queued.
func (h *Handler) kickMail() {
	if h.cfg.Mail != nil {
		h.cfg.Mail.Kick()
	}
}
