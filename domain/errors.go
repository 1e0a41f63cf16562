// Package domain holds the portal's types and rules: orders, licenses, products,
// money, support states and the import format. It imports nothing of the portal's
// own, so every rule here can be tested without a database or a web server.
package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that the web layer can map it to a status in one place.
type Kind int

// Error kinds, from the caller's point of view.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
)

// Error is an error whose message is safe to show to the user.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Invalidf returns an error for input that breaks a rule.
func Invalidf(format string, args ...any) error {
	return &Error{Kind: KindInvalid, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns an error for something that does not exist, or that the
// caller may not see (the two must look the same from outside).
func NotFoundf(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf returns an error for a request that clashes with the current state.
func Conflictf(format string, args ...any) error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the plain not-found error of look-ups.
var ErrNotFound = NotFoundf("not found")

// KindOf returns the kind of err, KindInternal for errors that carry none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
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
