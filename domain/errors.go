// Package domain holds the portal's types and rules: orders, licenses, products,
// money, support states and the import format. It imports nothing of the portal's
// own, so every rule here can be tested without a database or a web server.
package domain

import (
	"errors"
	"fmt"
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
}

func (e *Error) Error() string { return e.Message }

func newError(kind Kind, format string, args []any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

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
var ErrNotFound = NotFoundf("There is nothing here, or it belongs to another account.")

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
