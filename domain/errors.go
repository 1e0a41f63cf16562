// Package domain holds the portal's types and rules: orders, licenses, products,
// money, support states and the import format. It imports nothing of the portal's
// own, so every rule here can be tested without a database or a web server.
package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind classifies an error so that the web layer can map it to a status in one
// place. It is the whole error vocabulary of the portal: every error a caller may
// need to tell apart carries one of these kinds.
type Kind int

// Error kinds, from the caller's point of view.
const (
	// KindInternal is a failure of the portal itself: logged, never shown.
	KindInternal Kind = iota
	// KindInvalid is input that breaks a rule.
	KindInvalid
	// KindNotFound is something that does not exist, or that the caller may not
	// see: the two must look the same from outside.
	KindNotFound
	// KindConflict is a request that clashes with the current state.
	KindConflict
	// KindForbidden is a request the caller is not allowed to make.
	KindForbidden
	// KindTooMany is a request over a rate limit; the error says when to retry.
	KindTooMany
	// KindTooLarge is a request body over its limit.
	KindTooLarge
	// KindUnavailable is a service the portal depends on that did not answer.
	KindUnavailable
)

// Error is an error whose message is safe to show to the user.
type Error struct {
	Kind    Kind
	Message string
	// RetryAfter says when a KindTooMany request may be tried again.
	RetryAfter time.Duration
	// Key names the message in the portal's message files (i18n/en.toml), and
	// Args fill its placeholders (name, value pairs), so that the web layer
	// shows the error in the reader's language; Message is its English. An
	// error without a key (an import line's, written for admins) is English
	// only.
	Key  string
	Args []any
}

func (e *Error) Error() string { return e.Message }

func newError(kind Kind, format string, args []any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// keyed is an error of kind whose message has the key key in the message
// files and the English text english, a template whose placeholders
// ({{.Name}}) args fill (name, value pairs). The test of the message files
// checks that english is what en.toml says for key.
func keyed(kind Kind, key, english string, args []any) *Error {
	return &Error{Kind: kind, Message: fill(english, args), Key: key, Args: args}
}

// fill writes a message template with its arguments, as the message files do.
func fill(template string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		template = strings.ReplaceAll(template, "{{."+fmt.Sprint(args[i])+"}}", fmt.Sprint(args[i+1]))
	}
	return template
}

// Invalid returns an error for input that breaks a rule, with a message key.
func Invalid(key, english string, args ...any) error { return keyed(KindInvalid, key, english, args) }

// NotFound returns an error for something that does not exist, or that the
// caller may not see, with a message key.
func NotFound(key, english string, args ...any) error { return keyed(KindNotFound, key, english, args) }

// Conflict returns an error for a request that clashes with the current
// state, with a message key.
func Conflict(key, english string, args ...any) error { return keyed(KindConflict, key, english, args) }

// Invalidf returns an error for input that breaks a rule.
func Invalidf(format string, args ...any) error { return newError(KindInvalid, format, args) }

// NotFoundf returns an error for something that does not exist, or that the
// caller may not see (the two must look the same from outside).
func NotFoundf(format string, args ...any) error { return newError(KindNotFound, format, args) }

// Conflictf returns an error for a request that clashes with the current state.
func Conflictf(format string, args ...any) error { return newError(KindConflict, format, args) }

// Forbiddenf returns an error for a request the caller may not make.
func Forbiddenf(format string, args ...any) error { return newError(KindForbidden, format, args) }

// TooLargef returns an error for a request body over its limit.
func TooLargef(format string, args ...any) error { return newError(KindTooLarge, format, args) }

// Unavailablef returns an error for a service that did not answer.
func Unavailablef(format string, args ...any) error { return newError(KindUnavailable, format, args) }

// TooMany returns an error for a request over a rate limit, to be tried again
// after retryAfter.
func TooMany(retryAfter time.Duration, message string) error {
	return &Error{Kind: KindTooMany, Message: message, RetryAfter: retryAfter}
}

// ErrNotFound is the plain not-found error of look-ups and of ids that belong to
// someone else.
var ErrNotFound = NotFound("error.not_found", "There is nothing here, or it belongs to another account.")

// KindOf returns the kind of err, KindInternal for errors that carry none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// RetryAfterOf returns how long to wait before retrying after err, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// MessageOf returns the user-facing message of err, or a generic one for
// internal errors, whose text may hold details the user must not see.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// Text is a message of the message files used as an argument of another
// message (a VAT number's form, a field's name): the web layer writes it in
// the reader's language, and its English stands in everywhere else.
type Text struct {
	Key, English string
	Args         []any
}

func text(key, english string, args ...any) Text { return Text{Key: key, English: english, Args: args} }

// String is the text in English.
func (t Text) String() string { return fill(t.English, t.Args) }

// MessageKey is the text's key and arguments, for the message files.
func (t Text) MessageKey() (string, []any) { return t.Key, t.Args }

// Region is a country as an argument of a message: named in the reader's
// language from its ISO code where it has one, in English otherwise.
type Region struct{ Code, English string }

// String is the country's name in English.
func (r Region) String() string { return r.English }

// RegionCode is the country's ISO 3166 code, or "" for none.
func (r Region) RegionCode() string { return r.Code }

// Day is a calendar date as an argument of a message: 2026-03-14 in English
// text, as the reader's language writes dates on a page.
type Day time.Time

// String is the date as 2026-03-14.
func (d Day) String() string { return time.Time(d).UTC().Format(DateLayout) }

// Time is the date's instant.
func (d Day) Time() time.Time { return time.Time(d) }
