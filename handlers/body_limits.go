package handlers

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"portal/domain"
)

// Request bodies are bounded per kind of route, and a larger one is refused
// with 413 before it is read whole: the server streams bodies, so a declared
// length is checked before anything past the first kilobytes is read, and a
// body of unknown length is read only up to its limit.
const (
	maxAPIBody     = 8 << 10  // the licensing API: two short strings
	maxWebhookBody = 1 << 20  // a Stripe event: a few kilobytes in practice
	maxFormBody    = 64 << 10 // a page's form
	// maxImportUpload is the import upload's limit, for a signed-in admin only.
	maxImportUpload = 8 << 20
)

// closeAfter ends the connection after the answer: for a route that may answer
// before reading a large body (the import upload of someone not signed in as
// an admin), whose unread rest must not be taken for the next request.
func closeAfter(c *fiber.Ctx) error {
	c.Context().SetConnectionClose()
	return c.Next()
}

// limitBody refuses a request whose body is over max bytes.
func limitBody(max int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		tooLarge := func() error {
			// The rest of the body is not read: the connection cannot be reused.
			c.Context().SetConnectionClose()
			return userError(domain.KindTooLarge, "error.larger_than", "KiB", max>>10)
		}
		declared := c.Request().Header.ContentLength()
		if declared > max {
			return tooLarge()
		}
		if stream := c.Context().RequestBodyStream(); declared == -1 && stream != nil {
			// Chunked: read up to the limit and one byte more.
			body, err := io.ReadAll(io.LimitReader(stream, int64(max)+1))
			if err != nil {
				return userError(domain.KindInvalid, "error.body_unreadable")
			}
			if len(body) > max {
				return tooLarge()
			}
			c.Request().SetBodyRaw(body)
		}
		return c.Next()
	}
}
