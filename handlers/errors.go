package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// errFormExpired is the answer to a form without a valid CSRF token.
var errFormExpired = userError(domain.KindForbidden, "error.form_expired")

// errorAnswers maps each kind of error to its status and the title of its
// page (a message key).
var errorAnswers = map[domain.Kind]struct {
	status int
	title  string
}{
	domain.KindInvalid:     {fiber.StatusBadRequest, "error.title_invalid"},
	domain.KindNotFound:    {fiber.StatusNotFound, "error.title_not_found"},
	domain.KindConflict:    {fiber.StatusConflict, "error.title_conflict"},
	domain.KindForbidden:   {fiber.StatusForbidden, "error.title_forbidden"},
	domain.KindTooMany:     {fiber.StatusTooManyRequests, "error.title_too_many"},
	domain.KindTooLarge:    {fiber.StatusRequestEntityTooLarge, "error.title_too_large"},
	domain.KindUnavailable: {fiber.StatusBadGateway, "error.title_unavailable"},
	domain.KindInternal:    {fiber.StatusInternalServerError, "error.title_internal"},
}

// statusOf is the HTTP status of an error's kind.
func statusOf(err error) int { return errorAnswers[domain.KindOf(err)].status }

// handleError is the one place where errors become statuses and answers: JSON
// in English for the licensing API and webhooks, a message fragment for htmx,
// a page otherwise, both in the request's language. Only internal errors are
// logged as failures: the others are answers.
func (h *Handler) handleError(c *fiber.Ctx, err error) error {
	err = fromFiber(err)
	kind := domain.KindOf(err)
	answer := errorAnswers[kind]
	if errors.Is(err, errFormExpired) {
		answer.title = "error.title_form_expired"
	}
	if kind == domain.KindInternal {
		h.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "error", err.Error())
	}
	setRetryAfter(c, err)
	switch {
	case strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/webhooks/"):
		return c.Status(answer.status).JSON(fiber.Map{"error": domain.MessageOf(err)})
	case isPartial(c):
		// Into the page's message area, never in place of what the request
		// targeted (a table row would vanish).
		c.Set("HX-Retarget", "#flash")
		c.Set("HX-Reswap", "innerHTML")
		return render(c, answer.status, views.Flash(views.FlashData{Kind: "error", Message: message(c, err)}))
	case strings.HasPrefix(c.Path(), "/staff/") || strings.HasPrefix(c.Path(), "/admin"):
		return render(c, answer.status, views.ErrorPage(h.staffMeta(c, t(c, answer.title), ""), answer.status, message(c, err)))
	default:
		return render(c, answer.status, views.ErrorPage(h.meta(c, t(c, answer.title), ""), answer.status, message(c, err)))
	}
}

// fromFiber turns the errors that Fiber itself makes (an unknown path, a
// method not allowed, a malformed request) into the portal's vocabulary.
func fromFiber(err error) error {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return err
	}
	switch {
	case fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed:
		return domain.ErrNotFound
	case fe.Code == fiber.StatusRequestEntityTooLarge:
		return userError(domain.KindTooLarge, "error.too_large")
	case fe.Code >= 400 && fe.Code < 500:
		return userError(domain.KindInvalid, "error.unreadable")
	default:
		return err
	}
}
