package views

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/a-h/templ"

	"portal/domain"
	"portal/i18n"
)

// t is the message key in the language of the request (ctx): every word a
// page shows goes through it or through tc.
func t(ctx context.Context, key string, args ...any) string {
	return i18n.FromContext(ctx).T(key, args...)
}

// tc is the message key as markup: its text escaped, and each argument that
// is a component (a link, a strong word) rendered in its place, so that a
// sentence with a link in it stays one message that translators can reorder.
func tc(key string, args ...any) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		l := i18n.FromContext(ctx)
		write := func(s string) error {
			_, err := io.WriteString(w, templ.EscapeString(s))
			return err
		}
		return l.Walk(key, args, write, func(v any) error {
			if c, ok := v.(templ.Component); ok {
				return c.Render(ctx, w)
			}
			return write(l.Format(v))
		})
	})
}

// money is an amount with its currency as the request's language writes it.
func money(ctx context.Context, m domain.Money) string {
	return i18n.FromContext(ctx).Money(m.Amount, m.Currency, domain.MinorUnits(m.Currency))
}

// dateText is a calendar date as the request's language writes it: the text
// of a <time> element whose datetime holds the ISO date.
func dateText(ctx context.Context, d time.Time) string { return i18n.FromContext(ctx).Date(d) }

// dateTimeText is an instant, in UTC, as the request's language writes it.
func dateTimeText(ctx context.Context, d time.Time) string { return i18n.FromContext(ctx).DateTime(d) }

// countryName is a country, by its ISO code, as the request's language names it.
func countryName(ctx context.Context, code string) string { return i18n.FromContext(ctx).Country(code) }

// langCode is the request's language, for <html lang>.
func langCode(ctx context.Context) string { return i18n.FromContext(ctx).Code }

// Message is what an error says to the user, in the request's language: a
// domain error with a message key is translated; one without (an import
// line's reason, written for admins) keeps its English; an internal error
// says only that something went wrong.
func Message(ctx context.Context, err error) string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return t(ctx, "error.internal")
	}
	if e.Key == "" {
		return e.Message
	}
	return t(ctx, e.Key, e.Args...)
}
