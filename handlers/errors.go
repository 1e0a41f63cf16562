package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
	"portal/views"
)

// errFormExpired is the answer to a form without a valid CSRF token.
var errFormExpired = domain.Forbiddenf("This form has expired or did not come from this portal. Please reload the page and try again.")

// errorAnswers maps each kind of error to its status and the title of its page.
var errorAnswers = map[domain.Kind]struct {
	status int
	title  string
}{
	domain.KindInvalid:     {fiber.StatusBadRequest, "Request not accepted"},
	domain.KindNotFound:    {fiber.StatusNotFound, "Not found"},
	domain.KindConflict:    {fiber.StatusConflict, "Not possible right now"},
	domain.KindForbidden:   {fiber.StatusForbidden, "Not allowed"},
	domain.KindTooMany:     {fiber.StatusTooManyRequests, "Too many attempts"},
	domain.KindTooLarge:    {fiber.StatusRequestEntityTooLarge, "Request too large"},
	domain.KindUnavailable: {fiber.StatusBadGateway, "Please try again in a moment"},
	domain.KindInternal:    {fiber.StatusInternalServerError, "Something went wrong"},
}

// statusOf is the HTTP status of an error's kind.
func statusOf(err error) int { return errorAnswers[domain.KindOf(err)].status }

// handleError is the one place where errors become statuses and answers: JSON
// for the licensing API and webhooks, a message fragment for htmx, a page
// otherwise. Only internal errors are logged as failures: the others are
// answers.
func (h *Handler) handleError(c *fiber.Ctx, err error) error {
	err = fromFiber(err)
	kind := domain.KindOf(err)
	answer, message := errorAnswers[kind], domain.MessageOf(err)
	if errors.Is(err, errFormExpired) {
		answer.title = "Please try again"
	}
	if kind == domain.KindInternal {
		h.log.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "error", err.Error())
	}
	setRetryAfter(c, err)
	switch {
	case strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/webhooks/"):
		return c.Status(answer.status).JSON(fiber.Map{"error": message})
	case isPartial(c):
		// Into the page's message area, never in place of what the request
		// targeted (a table row would vanish).
		c.Set("HX-Retarget", "#flash")
		c.Set("HX-Reswap", "innerHTML")
		return render(c, answer.status, views.Flash(views.FlashData{Kind: "error", Message: message}))
	case strings.HasPrefix(c.Path(), "/staff/") || strings.HasPrefix(c.Path(), "/admin"):
		return render(c, answer.status, views.ErrorPage(h.staffMeta(c, answer.title, ""), answer.status, message))
	default:
		return render(c, answer.status, views.ErrorPage(h.meta(c, answer.title, ""), answer.status, message))
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
		return domain.TooLargef("The request is too large.")
	case fe.Code >= 400 && fe.Code < 500:
		return domain.Invalidf("The request could not be read.")
	default:
		return err
	}
}
